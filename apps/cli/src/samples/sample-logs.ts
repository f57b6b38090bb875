/**
 * The sample logs: one day (UTC) of the same small shop seen through each supported format,
 * with a few malformed lines inside otherwise good files and one file that is not a log at
 * all. Deterministic apart from the day (seed 2026): every day gets the same traffic, shifted,
 * so `logflow run` can process them as yesterday's logs, which CloudWatch accepts on any date.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isDay } from '@logflow/shared-types';

const DAY_MS = 86_400_000;

/** The day of the copy kept in `examples/logs/`. */
export const EXAMPLE_LOGS_DATE = '2026-11-22';

/** One sample log file: its name and its bytes. */
export interface SampleLogFile {
  name: string;
  content: string | Buffer;
}

/** The sample logs of `day` (`YYYY-MM-DD`), in a fixed order. */
export function sampleLogFiles(day: string): SampleLogFile[] {
  if (!isDay(day)) throw new Error(`sample logs: "${day}" is not a day (YYYY-MM-DD)`);
  return generate(Date.parse(`${day}T00:00:00Z`));
}

/** Writes the sample logs of `day` into `dir` (created if needed); returns their paths. */
export async function writeSampleLogs(dir: string, day: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const { name, content } of sampleLogFiles(day)) {
    const file = join(dir, name);
    await writeFile(file, content);
    paths.push(file);
  }
  return paths;
}

/** mulberry32: small seeded PRNG, floats in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = [
  '/',
  '/index.html',
  '/products',
  '/products/42',
  '/products/7',
  '/cart',
  '/checkout',
  '/api/v1/cart',
  '/api/v1/search',
  '/api/v1/orders',
  '/static/app.js',
  '/static/app.css',
  '/img/logo.png',
  '/favicon.ico',
  '/robots.txt',
  '/login',
  '/account',
  '/blog/black-friday',
  '/health',
  '/wp-login.php',
  ...Array.from({ length: 60 }, (_, i) => `/products/${100 + i}`),
];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'curl/8.5.0',
  'python-requests/2.32.3',
];
const STATUSES: readonly (readonly [number, number])[] = [
  [200, 800],
  [201, 20],
  [204, 20],
  [301, 20],
  [302, 20],
  [304, 40],
  [400, 10],
  [401, 10],
  [403, 8],
  [404, 35],
  [429, 4],
  [500, 6],
  [502, 4],
  [503, 3],
];
const METHODS: readonly (readonly [string, number])[] = [
  ['GET', 85],
  ['POST', 10],
  ['PUT', 2],
  ['DELETE', 1],
  ['HEAD', 2],
];
const CLIENTS = Array.from({ length: 600 }, (_, i) =>
  i % 25 === 0
    ? `2001:db8:${(i * 7919).toString(16)}::${(i * 104729).toString(16).slice(-4)}`
    : `${[198, 203, 192][i % 3]}.${[51, 0, 0][i % 3]}.${[100, 113, 2][i % 3]}.${1 + (i % 254)}`,
);

interface Request {
  ms: number;
  client: string;
  method: string;
  path: string;
  query: string;
  status: number;
  bytes: number;
  latencyS: number;
  agent: string;
  referer: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const clfTime = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
};
const HOUR_MS = 3_600_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The files of the day starting at `dayStartMs`; a fresh PRNG each time, so equal days are equal. */
function generate(dayStartMs: number): SampleLogFile[] {
  const random = seeded(2026);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  /** Index in [0, n) with a Zipf-like skew (small indices frequent). */
  const skewed = (n: number): number => Math.min(n - 1, Math.floor(Math.pow(random(), 2.5) * n));
  const weighted = <T>(choices: readonly (readonly [T, number])[]): T => {
    let u = random() * choices.reduce((sum, [, w]) => sum + w, 0);
    for (const [value, w] of choices) if ((u -= w) < 0) return value;
    return choices[0]![0];
  };

  /** `count` requests spread over the day, in time order. */
  function requests(count: number): Request[] {
    const times = Array.from({ length: count }, () => dayStartMs + Math.floor(random() * DAY_MS)).sort(
      (a, b) => a - b,
    );
    return times.map((ms) => {
      const status = weighted(STATUSES);
      const path = PATHS[skewed(PATHS.length)]!;
      return {
        ms,
        client: CLIENTS[skewed(CLIENTS.length)]!,
        method: weighted(METHODS),
        path,
        query: random() < 0.15 ? `?page=${1 + Math.floor(random() * 9)}` : '',
        status,
        bytes: status === 204 || status === 304 ? 0 : Math.floor(200 + Math.exp(5 + random() * 7)),
        latencyS: Math.round(-Math.log(1 - random()) * (status >= 500 ? 900 : 45)) / 1000,
        agent: AGENTS[skewed(AGENTS.length)]!,
        referer: random() < 0.3 ? 'https://shop.example.com/' : '-',
      };
    });
  }

  const isoMicros = (ms: number) =>
    new Date(ms).toISOString().replace('Z', `${pad(Math.floor(random() * 1000), 3)}Z`);
  const hex = (length: number) =>
    Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

  /** Inserts `lines` at spread-out positions (deterministic). */
  function withMalformed(good: string[], bad: string[]): string[] {
    const out = [...good];
    bad.forEach((line, i) => out.splice(Math.floor(((i + 1) * out.length) / (bad.length + 1)), 0, line));
    return out;
  }

  function nginx(): string {
    const lines = requests(7000).map((r) => {
      const upstream = r.status === 304 ? '-' : (r.latencyS * 0.92).toFixed(3);
      return `${r.client} - - [${clfTime(r.ms)}] "${r.method} ${r.path}${r.query} HTTP/1.1" ${r.status} ${r.bytes} "${r.referer}" "${r.agent}" ${r.latencyS.toFixed(3)} ${upstream}`;
    });
    return `${withMalformed(lines, [
      `198.51.100.9 - - [${clfTime(dayStartMs + 10 * HOUR_MS).replace(':10:00:00', ':10:61:00')}] "GET / HTTP/1.1" 200 512 "-" "curl/8.5.0" 0.001 0.001`,
      '<html><body><script>alert("not a log line")</script></body></html>',
      `203.0.113.5 - - [${clfTime(dayStartMs + 13 * HOUR_MS)}] "GET /truncated`,
    ]).join('\n')}\n`;
  }

  function alb(): Buffer {
    const lines = requests(5000).map((r) => {
      const failed = r.status === 502 || r.status === 503;
      const times = failed ? '0.000 -1 -1' : `0.000 ${r.latencyS.toFixed(3)} 0.000`;
      const target = failed ? '-' : `10.0.${1 + (r.ms % 3)}.${10 + (r.ms % 7)}:8080`;
      const port = 1024 + Math.floor(random() * 60000);
      return (
        `https ${isoMicros(r.ms)} app/shop-alb/50dc6c495c0c9188 ${r.client}:${port} ${target} ${times} ` +
        `${r.status} ${failed ? '-' : r.status} ${Math.floor(200 + random() * 800)} ${r.bytes} ` +
        `"${r.method} https://shop.example.com:443${r.path}${r.query} HTTP/1.1" "${r.agent}" ` +
        `ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop/73e2d6bc24d8a067 ` +
        `"Root=1-${Math.floor(r.ms / 1000).toString(16)}-${hex(24)}" "shop.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" ` +
        `0 ${isoMicros(r.ms - 20)} "forward" "-" "${failed ? 'TargetConnectionError' : '-'}" "${target}" "${failed ? '-' : r.status}" "-" "-" TID_${hex(32)}`
      );
    });
    const text = `${withMalformed(lines, [`https ${new Date(dayStartMs + 9 * HOUR_MS).toISOString().replace('Z', '000Z')} app/shop-alb/50dc6c495c0c9188 truncated entry`]).join('\n')}\n`;
    return gzipSync(text, { level: 9 });
  }

  const CLOUDFRONT_FIELDS =
    'date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end';

  function cloudfront(): string {
    const lines = requests(2500).map((r) => {
      const iso = new Date(r.ms).toISOString();
      const result = r.status >= 500 ? 'Error' : random() < 0.7 ? 'Hit' : 'Miss';
      return [
        iso.slice(0, 10),
        iso.slice(11, 19),
        pick(['IAD89-C1', 'FRA56-P2', 'NRT57-C3', 'GRU3-C1']),
        r.bytes + 350,
        r.client,
        r.method,
        'd111111abcdef8.cloudfront.net',
        r.path,
        r.status,
        r.referer,
        encodeURIComponent(r.agent).replace(/%2F/g, '/').replace(/%3B/g, ';').replace(/%2C/g, ','),
        r.query === '' ? '-' : r.query.slice(1),
        '-',
        result,
        `${hex(20)}==`,
        'shop.example.com',
        'https',
        Math.floor(100 + random() * 400),
        r.latencyS.toFixed(3),
        '-',
        'TLSv1.3',
        'TLS_AES_128_GCM_SHA256',
        result,
        'HTTP/2.0',
        '-',
        '-',
        1024 + Math.floor(random() * 60000),
        (r.latencyS * 0.8).toFixed(3),
        result,
        'text/html',
        r.bytes,
        '-',
        '-',
      ].join('\t');
    });
    return `#Version: 1.0\n#Fields: ${CLOUDFRONT_FIELDS}\n${withMalformed(lines, [`${isoDay(dayStartMs)}\t12:00:00\tIAD89-C1\tcut short`]).join('\n')}\n`;
  }

  function s3(): string {
    const owner = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
    const lines = requests(1800).map((r) => {
      const key = `assets${r.path === '/' ? '/index.html' : r.path}`;
      const operation =
        r.method === 'PUT' ? 'REST.PUT.OBJECT' : r.method === 'HEAD' ? 'REST.HEAD.OBJECT' : 'REST.GET.OBJECT';
      const error =
        r.status === 403
          ? 'AccessDenied'
          : r.status === 404
            ? 'NoSuchKey'
            : r.status >= 500
              ? 'InternalError'
              : '-';
      const totalMs = Math.max(1, Math.round(r.latencyS * 1000));
      return (
        `${owner} shop-static-assets [${clfTime(r.ms)}] ${r.client} - ${hex(16).toUpperCase()} ${operation} ${key} ` +
        `"${r.method} /shop-static-assets/${key}${r.query} HTTP/1.1" ${r.status} ${error} ${r.bytes || '-'} ${r.bytes + 1000} ` +
        `${totalMs} ${Math.max(1, totalMs - 3)} "${r.referer}" "${r.agent}" - ${hex(56)}= SigV4 ECDHE-RSA-AES128-GCM-SHA256 ` +
        `AuthHeader shop-static-assets.s3.us-east-1.amazonaws.com TLSv1.2 - -`
      );
    });
    return `${withMalformed(lines, [`${owner} shop-static-assets [${clfTime(dayStartMs + 8 * HOUR_MS)}] 192.0.2.1 -`]).join('\n')}\n`;
  }

  function jsonl(): string {
    const lines = requests(2500).map((r) =>
      JSON.stringify({
        time: new Date(r.ms).toISOString(),
        level: r.status >= 500 ? 'error' : 'info',
        remote_addr: r.client,
        request_method: r.method,
        request_uri: `${r.path}${r.query}`,
        status: r.status,
        body_bytes_sent: r.bytes,
        request_time: r.latencyS,
        http_user_agent: r.agent,
        trace_id: hex(16),
      }),
    );
    return `${withMalformed(lines, [
      `{"time":"${isoDay(dayStartMs)}T11:00:00Z","status":200,"request_uri":"/cut`,
      'plain text in a JSON log',
    ]).join('\n')}\n`;
  }

  function notALog(): string {
    return [
      'Quarterly planning notes',
      '========================',
      '',
      '- move the shop to the new CDN before Black Friday',
      '- \u0007 ask finance about the S3 bill',
      '',
    ].join('\n');
  }

  const day = new Date(dayStartMs).toISOString().slice(0, 10);
  return [
    { name: 'nginx-access.log', content: nginx() },
    { name: 'alb-access.log.gz', content: alb() },
    { name: `cloudfront-E2EXAMPLE.${day}.log`, content: cloudfront() },
    { name: 's3-server-access.log', content: s3() },
    { name: 'app-access.jsonl', content: jsonl() },
    { name: 'notes-not-a-log.txt', content: notALog() },
  ];
}
