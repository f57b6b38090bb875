import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TopK } from '@logflow/shared-types';
import { HeavyHitters, truncateEntries } from './heavy-hitters.js';

/** The textbook form of the same sketch (a Map of counters, median purge) as the oracle. */
function referenceTopK(values: readonly string[], maxTracked: number, capacity: number): TopK {
  const counts = new Map<string, number>();
  let offset = 0;
  for (const v of values) {
    const c = counts.get(v);
    if (c !== undefined) {
      counts.set(v, c + 1);
      continue;
    }
    if (counts.size >= maxTracked) {
      const sorted = [...counts.values()].sort((a, b) => a - b);
      const median = sorted[sorted.length >> 1] ?? 0;
      for (const [k, n] of counts) {
        if (n <= median) counts.delete(k);
        else counts.set(k, n - median);
      }
      offset += median;
    }
    counts.set(v, 1);
  }
  const entries = [...counts].map(([value, c]) => ({ value, count: c + offset, error: offset }));
  return { entries: truncateEntries(entries, capacity), capacity, total: values.length };
}

/** Long values that share their length and the characters the recent-value cache looks at. */
function lookalike(n: number): string {
  return `Mozilla/5.0 (X11; Linux x86_64) Build/${String(n).padStart(6, '0')} Gecko/20100101 Firefox/132.0`;
}

describe('HeavyHitters table', () => {
  it('counts exactly like the Map-based Misra-Gries sketch, purges included (property)', () => {
    const value = fc.oneof(
      fc.integer({ min: 0, max: 40 }).map((i) => `/p/${i}`),
      fc.integer({ min: 0, max: 40 }).map(lookalike),
      fc.string({ maxLength: 6 }),
      fc.constantFrom('', 'é', '\u{1F600}', 'a'.repeat(300)),
    );
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 600 }),
        fc.integer({ min: 2, max: 40 }),
        (values, maxTracked) => {
          const h = new HeavyHitters(maxTracked);
          for (const v of values) {
            // `offer` reports a value as new exactly when the reference would insert it.
            const tracked = h.counts.has(v);
            expect(h.offer(v)).toBe(!tracked);
          }
          expect(h.toTopK(1000)).toEqual(referenceTopK(values, maxTracked, 1000));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tells apart long values that share length and sampled characters', () => {
    const h = new HeavyHitters();
    const values: string[] = [];
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < 500; i++) values.push(lookalike(i % (round + 2)));
    for (let i = 0; i < 2000; i++) values.push(lookalike(i));
    for (const v of values) h.offer(v);
    expect(h.toTopK(5000)).toEqual(referenceTopK(values, 16384, 5000));
  });
});
