import { describe, expect, it } from 'vitest';
import { HyperLogLog } from './hyperloglog.js';

function ip(i: number): string {
  return `${(i >>> 24) & 255}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
}

describe('HyperLogLog', () => {
  for (const n of [1, 10, 100, 1_000, 5_000, 20_000, 60_000, 200_000]) {
    it(`estimates ${n} distinct clients within 2%`, () => {
      const h = new HyperLogLog();
      // Each client repeats, as in a log: repeats must not change the estimate.
      for (let i = 0; i < n; i++) {
        h.add(ip(0x0a000000 + i * 7919));
        if (i % 3 === 0) h.add(ip(0x0a000000 + i * 7919));
      }
      const estimate = h.estimate();
      expect(Math.abs(estimate - n)).toBeLessThanOrEqual(Math.max(0.02 * n, n < 100 ? 0 : 1));
    });
  }

  it('merges into the union and survives serialization', () => {
    const a = new HyperLogLog();
    const b = new HyperLogLog();
    const union = new HyperLogLog();
    for (let i = 0; i < 30_000; i++) {
      const v = `client-${i}`;
      (i < 20_000 ? a : b).add(v);
      if (i >= 10_000 && i < 20_000) b.add(v); // overlap
      union.add(v);
    }
    const merged = HyperLogLog.deserialize(a.serialize());
    merged.merge(HyperLogLog.deserialize(b.serialize()));
    expect(merged.registers).toEqual(union.registers);
    expect(Math.abs(merged.estimate() - 30_000)).toBeLessThanOrEqual(600);
  });

  it('serializes small sketches compactly and rejects corrupt input', () => {
    const h = new HyperLogLog();
    for (let i = 0; i < 50; i++) h.add(`c${i}`);
    expect(h.serialize().length).toBeLessThan(1000);
    expect(() => HyperLogLog.deserialize('AAAA')).toThrow(/HyperLogLog/);
    expect(new HyperLogLog().estimate()).toBe(0);
  });
});
