import { LOG_FORMATS } from '@logflow/shared-types';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../detect.js';
import { emptyRecord, type LogRecord } from '../record.js';
import { iso } from './parse-fixture.js';
import { PRESETS, presetNamed } from './presets.js';

const parse = (name: string, line: string): LogRecord => {
  const parser = presetNamed(name)!.create({});
  const record = emptyRecord();
  if (!parser.parse(line, 0, line.length, record)) throw new Error(`${name}: ${parser.reason}`);
  return record;
};

/** What each preset's documented example line holds. */
const EXPECTED: Record<string, Partial<LogRecord> & { time?: string }> = {
  combined: {
    time: '2000-10-10T20:55:36.000Z',
    client: '127.0.0.1',
    method: 'GET',
    path: '/apache_pb.gif',
    status: 200,
    bytes: 2326,
    latencyMs: NaN,
    userAgent: 'Mozilla/4.08 [en] (Win98; I ;Nav)',
  },
  common: { time: '2000-10-10T20:55:36.000Z', status: 200, bytes: 2326, userAgent: '', latencyMs: NaN },
  'nginx-timed': { status: 200, bytes: 5120, latencyMs: 4, userAgent: 'curl/8.5.0' },
  'nginx-main': { client: '10.0.0.5', status: 200, bytes: 612, latencyMs: NaN },
  'nginx-main-ext': { status: 200, bytes: 312, latencyMs: 45, host: 'shop.example.com', path: '/api/items' },
  // The first bare number is $request_length (78), not a time: latency is $request_time.
  'ingress-nginx': { status: 200, bytes: 59, latencyMs: 2, path: '/hello', client: '192.168.49.1' },
  // The host is a dimension; the client is %h.
  'apache-vhost-combined': { host: 'www.example.com', client: '192.0.2.10', status: 200, bytes: 5432 },
  // 12 is the request counter, 3ms the duration.
  'traefik-clf': { status: 200, bytes: 412, latencyMs: 3, path: '/whoami' },
  envoy: {
    time: '2016-04-15T20:17:00.310Z',
    method: 'POST',
    path: '/api/v1/locations',
    status: 204,
    bytes: 0,
    latencyMs: 226,
    client: '10.0.35.28',
    userAgent: 'nsq2http',
    host: 'locations',
  },
  'haproxy-http': {
    time: '2009-02-06T12:14:14.655Z',
    client: '10.0.1.2',
    status: 200,
    bytes: 2750,
    latencyMs: 109,
    path: '/index.html',
  },
  alb: { time: '2018-07-02T22:23:00.186Z', client: '192.168.131.39', status: 200, bytes: 366, latencyMs: 1 },
  elb: {
    time: '2015-05-13T23:39:43.945Z',
    client: '192.168.131.39',
    status: 200,
    bytes: 29,
    path: '/',
    userAgent: 'curl/7.38.0',
  },
  cloudfront: {
    time: '2019-12-04T21:02:31.000Z',
    status: 200,
    bytes: 392,
    latencyMs: 1,
    path: '/index.html',
  },
  s3: { time: '2019-02-06T00:00:38.000Z', status: 200, bytes: 113, latencyMs: 7, userAgent: 'S3Console/0.4' },
  'traefik-json': {
    time: '2026-11-22T10:15:30.123Z',
    status: 200,
    bytes: 412,
    latencyMs: 3.071002,
    client: '192.0.2.15',
    path: '/whoami',
    userAgent: 'curl/8.5.0',
    host: 'whoami.example.com',
  },
  'caddy-json': {
    time: '2025-12-02T10:15:30.524Z',
    status: 200,
    bytes: 10900,
    latencyMs: 0.929675,
    client: '192.0.2.20',
    path: '/docs',
    userAgent: 'curl/8.5.0',
    host: 'example.com',
  },
  'envoy-json': { status: 204, bytes: 0, latencyMs: 226, client: '192.0.2.30', path: '/api/v1/locations' },
  'apigateway-json': {
    time: '2026-11-22T10:15:30.000Z',
    status: 200,
    bytes: 1024,
    method: 'GET',
    path: '/pets/{petId}',
    client: '192.0.2.40',
  },
  jsonl: { status: 401, bytes: 360, latencyMs: 34, client: '192.0.2.50', path: '/account' },
};

describe('presets', () => {
  it('has one preset for every format name except the two format strings', () => {
    expect(PRESETS.map((p) => p.name).sort()).toEqual(
      LOG_FORMATS.filter((f) => !f.endsWith('-format')).sort(),
    );
  });

  it.each(PRESETS.map((p) => [p.name, p.example] as const))(
    '%s reads its documented example',
    (name, example) => {
      const record = parse(name, example);
      const { time, ...fields } = EXPECTED[name]!;
      if (time !== undefined) expect(iso(record.timestampMs)).toBe(time);
      for (const [key, value] of Object.entries(fields)) {
        if (typeof value === 'number' && !Number.isNaN(value) && key === 'latencyMs')
          expect(record.latencyMs).toBeCloseTo(value, 6);
        else expect(record[key as keyof LogRecord], key).toEqual(value);
      }
    },
  );

  it.each(PRESETS.map((p) => [p.name, p.example] as const))(
    '%s is detected from its example',
    (name, example) => {
      expect(detectFormat([example, example, example])).toMatchObject({ format: name, confidence: 1 });
    },
  );
});

describe('CloudFront field lists', () => {
  const current = presetNamed('cloudfront')!.example.split('\t');
  const read = (lines: string[]) => {
    const parser = presetNamed('cloudfront')!.create({});
    return lines.map((line) => {
      if (line.startsWith('#')) return parser.header?.(line, 0, line.length) ? 'header' : 'not a header';
      const record = emptyRecord();
      return parser.parse(line, 0, line.length, record) ? record : parser.reason;
    });
  };

  it.each([12, 15, 18, 19, 23, 24, 26, 33])('reads a line of the %d-field list without a header', (count) => {
    const [record] = read([current.slice(0, count).join('\t')]) as LogRecord[];
    expect(record).toMatchObject({ status: 200, bytes: 392, path: '/index.html', client: '192.0.2.100' });
    // time-taken is the 19th field: older lists have no latency.
    if (count < 19) expect(record!.latencyMs).toBeNaN();
    else expect(record!.latencyMs).toBe(1);
  });

  it('ignores fields appended after the current 33', () => {
    const [record] = read([[...current, 'new-field', 'another'].join('\t')]) as LogRecord[];
    expect(record).toMatchObject({ status: 200, latencyMs: 1 });
  });

  it('follows a #Fields header, in its order, and refuses lines shorter than it', () => {
    const results = read([
      '#Version: 1.0',
      '#Fields: date time sc-status cs-uri-stem time-taken c-ip',
      '2019-12-04\t21:02:31\t404\t/missing\t0.250\t192.0.2.9',
      '2019-12-04\t21:02:31\t404',
    ]);
    expect(results[2]).toMatchObject({ status: 404, path: '/missing', latencyMs: 250, client: '192.0.2.9' });
    expect(results[3]).toBe('expected 6 tab-separated fields');
  });

  it('refuses a line shorter than the oldest list', () => {
    expect(read([current.slice(0, 11).join('\t')])[0]).toBe('expected 12 tab-separated fields');
  });
});

describe('S3 server access logs, old and new field counts', () => {
  const current = presetNamed('s3')!.example;
  it.each([
    // The first layouts end at Version Id: 18 fields (20 space-separated tokens: time and request hold spaces).
    ['18 fields', current.split(' ').slice(0, 20).join(' ')],
    ['the current 26', current],
    ['a future field appended', `${current} future-field`],
  ])('reads %s', (_, line) => {
    expect(parse('s3', line)).toMatchObject({
      status: 200,
      bytes: 113,
      latencyMs: 7,
      userAgent: 'S3Console/0.4',
    });
  });
});
