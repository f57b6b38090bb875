import { describe, expect, it } from 'vitest';
import { rng } from './test-support/random.js';
import { QuantileSketch, RELATIVE_ACCURACY, mergeDistributions } from './quantile.js';

/** The value DDSketch's rank convention targets: sorted[floor(q * (n - 1))]. */
function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

const QUANTILES = [0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

describe('QuantileSketch', () => {
  const random = rng(7);
  const datasets: Record<string, number[]> = {
    'log-normal latencies': Array.from({ length: 50_000 }, () => Math.exp(3 + 1.5 * gaussian(random))),
    'uniform sizes with zeros': Array.from({ length: 20_000 }, (_, i) =>
      i % 10 === 0 ? 0 : Math.floor(random() * 1e6),
    ),
    'wide range': Array.from({ length: 10_000 }, () => 10 ** (random() * 12 - 3)),
  };

  for (const [name, values] of Object.entries(datasets)) {
    it(`keeps every quantile within 1% of the exact value: ${name}`, () => {
      const q = new QuantileSketch();
      for (const v of values) q.add(v);
      const sorted = [...values].sort((a, b) => a - b);
      for (const p of QUANTILES) {
        const exact = exactQuantile(sorted, p);
        expect(Math.abs(q.quantile(p) - exact)).toBeLessThanOrEqual(RELATIVE_ACCURACY * exact + 1e-9);
      }
      const s = q.toSummary()!;
      expect(s.count).toBe(values.length);
      expect(s.min).toBe(sorted[0]);
      expect(s.max).toBe(sorted[sorted.length - 1]);
      for (const [key, p] of [
        ['p50', 0.5],
        ['p90', 0.9],
        ['p95', 0.95],
        ['p99', 0.99],
      ] as const) {
        const exact = exactQuantile(sorted, p);
        expect(Math.abs(s[key] - exact)).toBeLessThanOrEqual(RELATIVE_ACCURACY * exact * 1.0001 + 1e-9);
      }
    });
  }

  it('round-trips through its serialized form and merges like one sketch of all values', () => {
    const values = datasets['log-normal latencies']!;
    const whole = new QuantileSketch();
    const a = new QuantileSketch();
    const b = new QuantileSketch();
    values.forEach((v, i) => {
      whole.add(v);
      (i % 3 === 0 ? a : b).add(v);
    });
    const merged = mergeDistributions([a.toSummary(), null, b.toSummary()])!;
    const direct = whole.toSummary()!;
    expect(merged.sketch).toBe(direct.sketch);
    expect({ ...merged, sum: 0 }).toEqual({ ...direct, sum: 0 });
    expect(merged.sum).toBeCloseTo(direct.sum, 3);
    const decoded = QuantileSketch.fromSummary(direct);
    expect(decoded.quantile(0.5)).toBe(whole.quantile(0.5));
  });

  it('exposes its bins as values and counts for CloudWatch', () => {
    const q = new QuantileSketch();
    for (const v of [0, 0, 1, 1, 1, 100, 1000]) q.add(v);
    const { values, counts } = q.bins();
    expect(counts.reduce((x, y) => x + y, 0)).toBe(7);
    expect(values[0]).toBe(0);
    expect(counts[0]).toBe(2);
    expect(values.slice(1).map((v) => Math.round(v))).toEqual([1, 100, 1000]);
  });

  it('round-trips a sketch of zeros only', () => {
    const q = new QuantileSketch();
    for (let i = 0; i < 5; i++) q.add(0);
    const merged = mergeDistributions([q.toSummary(), q.toSummary()])!;
    expect(merged).toMatchObject({ count: 10, min: 0, max: 0, p50: 0, p99: 0 });
    expect(QuantileSketch.fromSummary(merged).bins()).toEqual({ values: [0], counts: [10] });
  });

  it('ignores negative and NaN values (absent in the log formats)', () => {
    const q = new QuantileSketch();
    q.add(-1);
    q.add(NaN);
    expect(q.toSummary()).toBeNull();
  });

  it('rejects a sketch of another accuracy', () => {
    const s = new QuantileSketch();
    s.add(1);
    expect(() => QuantileSketch.fromSummary({ ...s.toSummary()!, relativeAccuracy: 0.02 })).toThrow(
      /accuracy/,
    );
  });
});

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
