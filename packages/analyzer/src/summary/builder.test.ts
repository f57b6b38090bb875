import { describe, expect, it } from 'vitest';
import { emptyRecord, type LogRecord } from '../record.js';
import { SummaryBuilder } from './builder.js';

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
    expect(s.statusClass).toEqual({ '1xx': 0, '2xx': 1, '3xx': 0, '4xx': 0, '5xx': 1 });
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
});
