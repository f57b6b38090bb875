import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TopK } from '@logflow/shared-types';
import { HeavyHitters, absentBound, mergeTopK } from './heavy-hitters.js';
import { rng } from './test-support/random.js';

/** Zipf-like stream over `distinct` values. */
function zipfStream(n: number, distinct: number, seed: number): string[] {
  const random = rng(seed);
  return Array.from({ length: n }, () => `/p/${Math.floor(distinct ** random()) - 1}`);
}

function exactCounts(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/** Every listed entry brackets the true count; every unlisted value is within the absent bound. */
function expectBounds(topK: TopK, exact: Map<string, number>): void {
  const listed = new Set(topK.entries.map((e) => e.value));
  for (const e of topK.entries) {
    const truth = exact.get(e.value) ?? 0;
    expect(truth).toBeLessThanOrEqual(e.count);
    expect(truth).toBeGreaterThanOrEqual(e.count - e.error);
  }
  const bound = absentBound(topK);
  for (const [value, truth] of exact) if (!listed.has(value)) expect(truth).toBeLessThanOrEqual(bound);
}

describe('HeavyHitters', () => {
  it('is exact while the distinct values fit', () => {
    const h = new HeavyHitters();
    for (const v of ['a', 'b', 'a', 'c', 'a', 'b']) h.offer(v);
    expect(h.toTopK(2)).toEqual({
      entries: [
        { value: 'a', count: 3, error: 0 },
        { value: 'b', count: 2, error: 0 },
      ],
      capacity: 2,
      total: 6,
    });
  });

  it('brackets true counts after purges and finds the heaviest values', () => {
    const stream = zipfStream(100_000, 20_000, 1);
    const h = new HeavyHitters(512);
    for (const v of stream) h.offer(v);
    const exact = exactCounts(stream);
    const top = h.toTopK(20);
    expect(h.offset).toBeGreaterThan(0);
    expectBounds(top, exact);
    const trueTop5 = [...exact]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([v]) => v);
    expect(
      top.entries
        .slice(0, 5)
        .map((e) => e.value)
        .sort(),
    ).toEqual([...trueTop5].sort());
  });

  it('merges within bounds for any split of a stream (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 300 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.integer({ min: 2, max: 16 }),
        (parts, cap) => {
          const tops = parts.map((p) => {
            const h = new HeavyHitters(cap * 2);
            for (const x of p) h.offer(`v${x % (x % 7 === 0 ? 3 : 61)}`);
            return h.toTopK(cap);
          });
          const all = parts.flat().map((x) => `v${x % (x % 7 === 0 ? 3 : 61)}`);
          const merged = mergeTopK(tops);
          expect(merged.total).toBe(all.length);
          expectBounds(merged, exactCounts(all));
          // Merging merges keeps the bounds too.
          expectBounds(mergeTopK([mergeTopK(tops.slice(0, 1)), mergeTopK(tops.slice(1))]), exactCounts(all));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('merges exact summaries exactly', () => {
    const a = new HeavyHitters();
    const b = new HeavyHitters();
    ['x', 'y', 'x'].forEach((v) => a.offer(v));
    ['y', 'z'].forEach((v) => b.offer(v));
    expect(mergeTopK([a.toTopK(10), b.toTopK(10)]).entries).toEqual([
      { value: 'x', count: 2, error: 0 },
      { value: 'y', count: 2, error: 0 },
      { value: 'z', count: 1, error: 0 },
    ]);
  });
});
