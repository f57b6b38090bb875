/**
 * Hand-written DailySummary fixtures for renderer tests: a busy day with hostile log strings,
 * an empty day and a day on which every file failed.
 */
import type { DailySummary, DistributionSummary, TopK } from '@logflow/shared-types';

/** Log-derived strings that would inject markup if a renderer forgot to escape them. */
export const HOSTILE = {
  path: '/<script>alert(1)</script>',
  pathImg: '/search?q="><img src=x onerror=alert(2)>',
  pathMarkdown: '/docs/*bold*_x_|pipe|`tick`[link](http://evil.example)',
  userAgent: 'Mozilla/5.0 <svg onload=alert(3)> & "quotes" \'single\'',
  client: '10.0.0.1<b>bold</b>',
  malformedLine: '<iframe src="https://evil.example"></iframe>\u001b[31mred',
  fileKey: 'logs/2026/11/22/<img src=x onerror=alert(4)>.log',
  cause: 'Unexpected <style>body{display:none}</style> in line 1',
} as const;

function distribution(
  p50: number,
  p90: number,
  p95: number,
  p99: number,
  max: number,
  count: number,
): DistributionSummary {
  return {
    count,
    sum: p50 * count * 1.3,
    min: 0.4,
    max,
    p50,
    p90,
    p95,
    p99,
    relativeAccuracy: 0.01,
    sketch: 'AAAA',
  };
}

function topK(entries: [string, number, number][], total: number, capacity = 100): TopK {
  return { entries: entries.map(([value, count, error]) => ({ value, count, error })), capacity, total };
}

/** A deterministic diurnal traffic curve with a 5xx incident around 14:00 UTC. */
function dayTimeline(date: string): { requests: number[]; errors5xx: number[] } {
  const requests: number[] = [];
  const errors5xx: number[] = [];
  for (let minute = 0; minute < 1440; minute++) {
    const hour = minute / 60;
    const diurnal = 0.25 + 0.75 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI)) ** 1.5;
    const jitter = ((minute * 7919) % 97) / 97;
    const r = Math.round(200 * diurnal + 40 * jitter);
    requests.push(r);
    const incident = minute >= 835 && minute < 860 ? 0.18 : 0.002;
    errors5xx.push(Math.round(r * incident + (minute % 53 === 0 ? 2 : 0)));
  }
  void date;
  return { requests, errors5xx };
}

export function busyDay(): DailySummary {
  const date = '2026-11-22';
  const { requests: perMinute, errors5xx } = dayTimeline(date);
  const requests = perMinute.reduce((a, b) => a + b, 0);
  const e5 = errors5xx.reduce((a, b) => a + b, 0);
  const e4 = Math.round(requests * 0.031);
  const e3 = Math.round(requests * 0.052);
  const e1 = 0;
  const e2 = requests - e5 - e4 - e3 - e1;
  return {
    version: 1,
    date,
    requests,
    bytes: requests * 5321,
    lines: { total: requests + 9 + 2, parsed: requests, malformed: 9, skipped: 2 },
    status: {
      '200': e2 - 1200,
      '204': 1200,
      '301': e3 - 400,
      '304': 400,
      '404': e4 - 90,
      '429': 90,
      '500': e5 - 300,
      '503': 300,
    },
    statusClass: { '1xx': e1, '2xx': e2, '3xx': e3, '4xx': e4, '5xx': e5 },
    methods: { GET: requests - 12000, POST: 11000, PUT: 700, DELETE: 250, '<BREW>': 50 },
    latencyMs: distribution(38.2, 121.5, 190.4, 512.7, 4812.3, requests),
    responseBytes: distribution(2100, 12000, 21000, 98000, 4_200_000, requests),
    uniqueClients: { estimate: 18234, relativeStandardError: 0.0081, sketch: 'AAAA' },
    topPaths: topK(
      [
        ['/api/v1/orders', 61234, 0],
        ['/api/v1/products', 40211, 0],
        ['/healthz', 28800, 0],
        ['/static/app.3f9a1c.js', 15022, 12],
        [HOSTILE.path, 1337, 20],
        [HOSTILE.pathImg, 1200, 20],
        [HOSTILE.pathMarkdown, 1100, 25],
        ['/api/v1/orders/' + 'x'.repeat(260), 900, 25],
        ['/login', 850, 30],
      ],
      requests,
    ),
    topClients: topK(
      [
        ['203.0.113.7', 12001, 0],
        ['198.51.100.23', 9022, 0],
        ['2001:db8::1', 5123, 3],
        [HOSTILE.client, 77, 5],
      ],
      requests,
    ),
    topUserAgents: topK(
      [
        [
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
          90211,
          0,
        ],
        ['kube-probe/1.31', 28800, 0],
        ['curl/8.5.0', 4022, 0],
        [HOSTILE.userAgent, 88, 4],
      ],
      requests,
    ),
    timeRange: { first: `${date}T00:00:03.000Z`, last: `${date}T23:59:58.000Z` },
    timeline: { start: `${date}T00:00:00.000Z`, bucketSeconds: 60, requests: perMinute, errors5xx },
    malformedSamples: [
      {
        line: 17,
        text: HOSTILE.malformedLine,
        reason: 'unrecognised line',
        file: 'logs/2026/11/22/web-1.log.gz',
      },
      {
        line: 2041,
        text: '127.0.0.1 - - [22/Nov/2026:10:00:00 +0000] "GET',
        reason: 'truncated request line',
        file: 'logs/2026/11/22/web-2.log',
      },
    ],
    files: {
      analyzed: 3,
      failed: [{ key: HOSTILE.fileKey, error: 'UnrecognizedLogFormatError', cause: HOSTILE.cause }],
      details: [
        {
          key: 'logs/2026/11/22/web-1.log.gz',
          format: 'combined',
          requests: Math.floor(requests / 2),
          bytes: 1e9,
          malformed: 7,
          errors5xx: Math.floor(e5 / 2),
        },
        {
          key: 'logs/2026/11/22/web-2.log',
          format: 'combined',
          requests: requests - Math.floor(requests / 2) - 10,
          bytes: 2e9,
          malformed: 2,
          errors5xx: e5 - Math.floor(e5 / 2),
        },
        {
          key: 'logs/2026/11/22/alb.log',
          format: 'alb',
          requests: 10,
          bytes: 5000,
          malformed: 0,
          errors5xx: 0,
        },
      ],
    },
  };
}

function emptyTopK(): TopK {
  return { entries: [], capacity: 100, total: 0 };
}

export function emptyDay(date = '2026-11-23'): DailySummary {
  return {
    version: 1,
    date,
    requests: 0,
    bytes: 0,
    lines: { total: 0, parsed: 0, malformed: 0, skipped: 0 },
    status: {},
    statusClass: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
    methods: {},
    latencyMs: null,
    responseBytes: null,
    uniqueClients: { estimate: 0, relativeStandardError: 0.0081, sketch: '' },
    topPaths: emptyTopK(),
    topClients: emptyTopK(),
    topUserAgents: emptyTopK(),
    timeRange: null,
    timeline: null,
    malformedSamples: [],
    files: { analyzed: 0, failed: [], details: [] },
  };
}

export function onlyFailuresDay(): DailySummary {
  return {
    ...emptyDay('2026-11-24'),
    files: {
      analyzed: 0,
      failed: [
        { key: 'logs/2026/11/24/a.log', error: 'LogObjectNotFoundError', cause: 'NoSuchKey' },
        { key: HOSTILE.fileKey, error: 'States.Timeout' },
      ],
      details: [],
    },
  };
}
