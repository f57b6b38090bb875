import { describe, expect, it } from 'vitest';
import { emptyRecord } from '../record.js';
import { candidatesOf, JsonLinesParser, toEpochMs } from './jsonl.js';
import { iso, parseFixture, records } from './parse-fixture.js';

describe('JSON lines with default field names', () => {
  const [nginx, app, request] = records(parseFixture('app.jsonl', 'jsonl'));

  it('reads nginx-style names; request_time is seconds', () => {
    expect(nginx).toMatchObject({
      method: 'GET',
      path: '/products/42',
      status: 200,
      bytes: 1532,
      client: '192.0.2.50',
      userAgent: 'Mozilla/5.0 (X11)',
    });
    expect(nginx!.latencyMs).toBeCloseTo(42, 9);
    expect(iso(nginx!.timestampMs)).toBe('2026-11-22T10:00:00.250Z');
  });

  it('reads other usual names, numeric strings, full URLs and a client with port', () => {
    expect(app).toMatchObject({ method: 'POST', path: '/v1/login', status: 401, bytes: 88, latencyMs: 12.5 });
    expect(app!.client).toBe('198.51.100.2');
    expect(iso(app!.timestampMs)).toBe('2026-11-22T10:00:01.000Z');
  });

  it('reads a request line and epoch seconds', () => {
    expect(request).toMatchObject({
      method: 'DELETE',
      path: '/v1/items/9',
      status: 204,
      latencyMs: 3,
      client: '2001:db8::99',
    });
    expect(iso(request!.timestampMs)).toBe('2026-11-22T11:00:02.000Z');
  });
});

describe('JSON lines in Elastic Common Schema', () => {
  it('reads nested ECS fields; event.duration is nanoseconds', () => {
    const line = JSON.stringify({
      '@timestamp': '2026-11-22T09:30:00.000Z',
      http: { request: { method: 'GET' }, response: { status_code: 304, body: { bytes: 0 } } },
      url: { path: '/img/logo.png', query: 'v=2' },
      source: { ip: '203.0.113.77' },
      user_agent: { original: 'Mozilla/5.0' },
      event: { duration: 2_500_000 },
    });
    const record = emptyRecord();
    expect(new JsonLinesParser().parse(line, 0, line.length, record)).toBe(true);
    expect(record).toMatchObject({
      method: 'GET',
      status: 304,
      bytes: 0,
      path: '/img/logo.png',
      client: '203.0.113.77',
      userAgent: 'Mozilla/5.0',
      latencyMs: 2.5,
    });
    expect(iso(record.timestampMs)).toBe('2026-11-22T09:30:00.000Z');
  });
});

describe('JSON lines with a field mapping', () => {
  it('uses the named (nested) fields and latency unit', () => {
    const parser = new JsonLinesParser(
      candidatesOf({
        status: 'res.code',
        path: 'req.route',
        latency: 'timing.total',
        latencyUnit: 'us',
        client: 'peer',
        time: 'at',
      }),
    );
    const line = JSON.stringify({
      res: { code: 503 },
      req: { route: '/queue?x=1' },
      timing: { total: 2500 },
      peer: '10.0.0.9',
      at: '2026-11-22T00:00:00Z',
      status: 200,
    });
    const record = emptyRecord();
    expect(parser.parse(line, 0, line.length, record)).toBe(true);
    expect(record).toMatchObject({ status: 503, path: '/queue', latencyMs: 2.5, client: '10.0.0.9' });
    expect(iso(record.timestampMs)).toBe('2026-11-22T00:00:00.000Z');
  });

  it.each([
    ['not json', 'not a JSON object'],
    ['{"status": 200', 'invalid JSON'],
    ['[1,2]', 'not a JSON object'],
    ['{"level":"info","msg":"started"}', 'JSON object has no status or path field'],
    ['{"status":"abc","path":"/"}', 'invalid status'],
    ['{"status":"0x1F4","path":"/"}', 'invalid status'],
    ['{"status":"Infinity","path":"/"}', 'invalid status'],
    ['{"status":1e400,"path":"/"}', 'invalid status'],
    ['{"status":200.5,"path":"/"}', 'invalid status'],
    ['{"status":200,"bytes":1e400}', 'invalid bytes'],
    ['{"status":200,"bytes":"Infinity"}', 'invalid bytes'],
    ['{"status":200,"bytes":-5}', 'invalid bytes'],
    ['{"status":200,"bytes":"1e3"}', 'invalid bytes'],
    ['{"status":200,"bytes":12345678901234567890}', 'invalid bytes'],
    ['{"status":200,"request_time":-0.5}', 'invalid latency'],
    ['{"status":200,"request_time":"NaN"}', 'invalid latency'],
    ['{"status":200,"duration":1e400}', 'invalid latency'],
    ['{"status":200,"time":"2026-02-30T10:00:00Z"}', 'invalid time'],
    ['{"status":200,"time":"yesterday"}', 'invalid time'],
    ['{"status":200,"time":1e400}', 'invalid time'],
  ])('rejects %j (%s)', (line, reason) => {
    const parser = new JsonLinesParser();
    expect(parser.parse(line, 0, line.length, emptyRecord())).toBe(false);
    expect(parser.reason).toBe(reason);
  });
});

describe('toEpochMs', () => {
  it.each([
    ['2026-11-22T10:00:00Z', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22 10:00:00.123456', '2026-11-22T10:00:00.123Z'],
    ['2026-11-22T12:00:00+0200', '2026-11-22T10:00:00.000Z'],
    ['22/Nov/2026:10:00:00 +0000', '2026-11-22T10:00:00.000Z'],
    [1795341600, '2026-11-22T10:00:00.000Z'],
    [1795341600123, '2026-11-22T10:00:00.123Z'],
    ['1795341600.5', '2026-11-22T10:00:00.500Z'],
  ])('%j → %s', (value, expected) => {
    expect(iso(toEpochMs(value))).toBe(expected);
  });

  it('is NaN for values that are not times', () => {
    expect(toEpochMs('yesterday')).toBeNaN();
    expect(toEpochMs('2026-02-30T00:00:00Z')).toBeNaN();
    expect(toEpochMs('Mon, 30 Feb 2026 10:00:00 GMT')).toBeNaN();
    expect(toEpochMs(Infinity)).toBeNaN();
    expect(toEpochMs(-1)).toBeNaN();
    expect(toEpochMs(null)).toBeNaN();
  });
});
