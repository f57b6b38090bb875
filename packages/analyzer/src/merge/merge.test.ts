import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FileSummary, SummaryCore } from '@logflow/shared-types';
import type { LogRecord } from '../record.js';
import { absentBound } from '../sketches/heavy-hitters.js';
import { rng } from '../sketches/test-support/random.js';
import { SummaryBuilder } from '../summary/builder.js';
import { emptySummaryCore, mergeSummaries } from './merge.js';

const T0 = Date.UTC(2026, 10, 22);

function summarize(key: string, records: readonly LogRecord[], malformedEvery = 0): FileSummary {
  const b = new SummaryBuilder({ file: { key, gzip: false }, format: 'alb' });
  records.forEach((r, i) => {
    if (malformedEvery > 0 && i % malformedEvery === 0) b.addMalformed(i + 1, `garbage ${i}`, 'bad field');
    b.add(r);
  });
  return b.finish();
}

/** The mergeable core of a summary (what `mergeSummaries` returns). */
function core(s: SummaryCore): SummaryCore {
  const { lines, malformedSamples, requests, bytes, status, statusClass, methods, latencyMs, responseBytes } =
    s;
  const { uniqueClients, topPaths, topClients, topUserAgents, timeRange, timeline, outOfRange } = s;
  return {
    outOfRange,
    lines,
    malformedSamples,
    requests,
    bytes,
    status,
    statusClass,
    methods,
    latencyMs,
    responseBytes,
    uniqueClients,
    topPaths,
    topClients,
    topUserAgents,
    timeRange,
    timeline,
  };
}

// Small domains keep every top-k list under capacity (exact), dyadic latencies keep float sums exact.
const recordArb: fc.Arbitrary<LogRecord> = fc.record({
  timestampMs: fc.oneof(fc.integer({ min: T0, max: T0 + 6 * 3_600_000 }), fc.constant(NaN)),
  method: fc.constantFrom('GET', 'POST', 'PUT', ''),
  path: fc.constantFrom('/', '/a', '/b', '/api/x', ''),
  status: fc.constantFrom(200, 201, 301, 404, 500, 503, 0),
  bytes: fc.integer({ min: 0, max: 1_000_000 }),
  latencyMs: fc.oneof(
    fc.integer({ min: 0, max: 80_000 }).map((x) => x / 8),
    fc.constant(NaN),
  ),
  client: fc.constantFrom('10.0.0.1', '10.0.0.2', '192.168.1.9', '::1', ''),
  userAgent: fc.constantFrom('curl/8', 'Mozilla/5.0', ''),
  host: fc.constant(''),
});
const summaryArb = fc
  .tuple(fc.array(recordArb, { maxLength: 40 }), fc.constantFrom('a.log', 'b.log', 'c.log'), fc.nat(4))
  .map(([records, key, every]) => summarize(key, records, every));

describe('mergeSummaries', () => {
  it('is commutative and associative (property)', () => {
    fc.assert(
      fc.property(summaryArb, summaryArb, summaryArb, (a, b, c) => {
        const abc = mergeSummaries([a, b, c]);
        expect(mergeSummaries([c, a, b])).toEqual(abc);
        expect(mergeSummaries([mergeSummaries([a, b]), c])).toEqual(abc);
        expect(mergeSummaries([a, mergeSummaries([b, c])])).toEqual(abc);
        expect(mergeSummaries([abc, emptySummaryCore()])).toEqual(abc);
      }),
      { numRuns: 60 },
    );
  });

  it('equals the summary of the concatenation (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(recordArb, { maxLength: 40 }), { minLength: 1, maxLength: 4 }),
        (parts) => {
          const merged = mergeSummaries(parts.map((p, i) => summarize(`part-${i}`, p)));
          const whole = core(summarize('whole', parts.flat()));
          expect({ ...merged, malformedSamples: [] }).toEqual({ ...whole, malformedSamples: [] });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps counts exact and sketches within their error on a large split log', () => {
    const random = rng(42);
    const records: LogRecord[] = [];
    for (let i = 0; i < 60_000; i++) {
      records.push({
        timestampMs: T0 + i * 1_000 + Math.floor(random() * 500),
        method: random() < 0.8 ? 'GET' : 'POST',
        path: `/item/${Math.floor(5000 ** random())}`,
        status: random() < 0.03 ? 503 : 200,
        bytes: Math.floor(Math.exp(8 + 2 * random())),
        latencyMs: Math.exp(2 + 3 * random()),
        client: `10.${Math.floor(random() * 100)}.${Math.floor(random() * 250)}.1`,
        host: '',
        userAgent: `agent-${Math.floor(300 ** random())}`,
      });
    }
    const cuts = [0, 5_000, 17_000, 17_001, 30_000, 44_000, 60_000];
    const parts = cuts.slice(1).map((end, i) => summarize(`p${i}.log`, records.slice(cuts[i], end), 997));
    const merged = mergeSummaries(parts);
    const whole = summarize('whole.log', records, 0);

    expect(merged.requests).toBe(60_000);
    expect(merged.lines.malformed).toBe(parts.reduce((n, p) => n + p.lines.malformed, 0));
    for (const k of ['bytes', 'status', 'statusClass', 'methods', 'timeRange', 'timeline'] as const) {
      expect(merged[k]).toEqual(whole[k]);
    }
    expect(merged.malformedSamples).toHaveLength(20);
    expect(merged.malformedSamples[0]).toEqual({
      file: 'p0.log',
      line: 1,
      text: 'garbage 0',
      reason: 'bad field',
    });

    const latencies = records.map((r) => r.latencyMs).sort((a, b) => a - b);
    for (const [key, q] of [
      ['p50', 0.5],
      ['p90', 0.9],
      ['p99', 0.99],
    ] as const) {
      const exact = latencies[Math.floor(q * (latencies.length - 1))]!;
      expect(Math.abs(merged.latencyMs![key] - exact)).toBeLessThanOrEqual(0.01 * exact);
    }
    expect(merged.latencyMs!.sum).toBeCloseTo(
      latencies.reduce((a, b) => a + b, 0),
      -1,
    );

    const distinctClients = new Set(records.map((r) => r.client)).size;
    expect(Math.abs(merged.uniqueClients.estimate - distinctClients)).toBeLessThanOrEqual(
      0.02 * distinctClients,
    );

    const exactPaths = new Map<string, number>();
    for (const r of records) exactPaths.set(r.path, (exactPaths.get(r.path) ?? 0) + 1);
    for (const e of merged.topPaths.entries) {
      const truth = exactPaths.get(e.value) ?? 0;
      expect(truth).toBeLessThanOrEqual(e.count);
      expect(truth).toBeGreaterThanOrEqual(e.count - e.error);
    }
    const listed = new Set(merged.topPaths.entries.map((e) => e.value));
    const bound = absentBound(merged.topPaths);
    for (const [path, n] of exactPaths) if (!listed.has(path)) expect(n).toBeLessThanOrEqual(bound);
    expect(merged.topPaths.entries[0]?.value).toBe([...exactPaths].sort((a, b) => b[1] - a[1])[0]![0]);
  });

  it('returns the empty summary for no input', () => {
    expect(mergeSummaries([])).toEqual(emptySummaryCore());
  });
});
