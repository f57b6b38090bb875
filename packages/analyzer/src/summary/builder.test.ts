import { describe, expect, it } from 'vitest';
import { emptyRecord, type LogRecord } from '../record.js';
import { rng } from '../sketches/test-support/random.js';
import { SummaryBuilder, TOP_CAPACITY } from './builder.js';
import { SUMMARY_TARGET_BYTES, serializedSize } from './size.js';

const file = { key: 'logs/a.log', bucket: 'b', gzip: false };

function record(over: Partial<LogRecord>): LogRecord {
  return { ...emptyRecord(), ...over };
}

describe('SummaryBuilder', () => {
  it('counts lines, statuses, methods, bytes and time exactly', () => {
    const b = new SummaryBuilder({ file, format: 'combined' });
    const t0 = Date.UTC(2026, 10, 22, 10, 0, 30);
    b.add(record({ timestampMs: t0, method: 'GET', path: '/a', status: 200, bytes: 100, client: '1.1.1.1' }));
    b.add(
      record({
        timestampMs: t0 + 60_000,
        method: 'GET',
        path: '/a',
        status: 503,
        bytes: 0,
        client: '2.2.2.2',
      }),
    );
    b.add(
      record({
        timestampMs: t0 + 125_000,
        method: 'POST',
        path: '/b',
        status: 0,
        bytes: 50,
        client: '1.1.1.1',
      }),
    );
    b.addSkipped();
    b.addMalformed(5, 'x'.repeat(500), 'no request line');
    const s = b.finish();
    expect(s.lines).toEqual({ total: 5, parsed: 3, malformed: 1, skipped: 1 });
    expect(s.requests).toBe(3);
    expect(s.bytes).toBe(150);
    expect(s.status).toEqual({ '200': 1, '503': 1, '-': 1 });
    // The line without a status is in `other`, so the classes add up to the requests.
    expect(s.statusClass).toEqual({ '1xx': 0, '2xx': 1, '3xx': 0, '4xx': 0, '5xx': 1, other: 1 });
    expect(s.methods).toEqual({ GET: 2, POST: 1 });
    expect(s.malformedSamples).toEqual([{ line: 5, text: 'x'.repeat(200), reason: 'no request line' }]);
    expect(s.timeRange).toEqual({ first: '2026-11-22T10:00:30.000Z', last: '2026-11-22T10:02:35.000Z' });
    expect(s.timeline).toEqual({
      start: '2026-11-22T10:00:00.000Z',
      bucketSeconds: 60,
      requests: [1, 1, 1],
      errors5xx: [0, 1, 0],
    });
    expect(s.uniqueClients.estimate).toBe(2);
    expect(s.topPaths.entries).toEqual([
      { value: '/a', count: 2, error: 0 },
      { value: '/b', count: 1, error: 0 },
    ]);
    expect(s.latencyMs).toBeNull();
    expect(s.responseBytes?.count).toBe(3);
    expect(s.responseBytes?.max).toBe(100);
    expect(s.file).toEqual(file);
    expect(s.format).toBe('combined');
  });

  it('keeps only the first five malformed samples', () => {
    const b = new SummaryBuilder({ file, format: 'jsonl' });
    for (let i = 1; i <= 9; i++) b.addMalformed(i, `bad ${i}`, 'invalid JSON');
    const s = b.finish();
    expect(s.lines.malformed).toBe(9);
    expect(s.malformedSamples.map((x) => x.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('returns empty fields for an empty file', () => {
    const s = new SummaryBuilder({ file, format: 'common' }).finish();
    expect(s.lines.total).toBe(0);
    expect(s.timeline).toBeNull();
    expect(s.timeRange).toBeNull();
    expect(s.uniqueClients.estimate).toBe(0);
    expect(s.responseBytes).toBeNull();
  });

  it('keeps an ordinary day of traffic under 64 KiB without shrinking', () => {
    const random = rng(3);
    const agents = Array.from(
      { length: 40 },
      (_, i) => `Mozilla/5.0 (compatible; Agent${i}/1.0; +https://example.com/bot${i}.html) Gecko/20100101`,
    );
    const b = new SummaryBuilder({ file: { key: 'day.log', gzip: true }, format: 'combined' });
    const start = Date.UTC(2026, 10, 22);
    for (let i = 0; i < 150_000; i++) {
      b.add({
        timestampMs: start + Math.floor((i / 150_000) * 86_400_000),
        method: random() < 0.9 ? 'GET' : 'POST',
        path: `/api/v1/items/${Math.floor(random() ** 3 * 50_000)}/details`,
        status: random() < 0.02 ? 502 : random() < 0.1 ? 404 : 200,
        bytes: Math.floor(Math.exp(6 + 4 * random())),
        latencyMs: Math.exp(1 + 4 * random()),
        client: `198.51.${Math.floor(random() * 60)}.${Math.floor(random() * 250)}`,
        host: '',
        userAgent: agents[Math.floor(random() * agents.length)]!,
      });
    }
    const s = b.finish();
    expect(serializedSize(s)).toBeLessThanOrEqual(SUMMARY_TARGET_BYTES);
    expect(s.topPaths.capacity).toBe(TOP_CAPACITY.paths);
    expect(s.topPaths.entries).toHaveLength(TOP_CAPACITY.paths);
    expect(s.timeline?.bucketSeconds).toBe(60);
    expect(s.timeline?.requests).toHaveLength(1440);
  });
});
