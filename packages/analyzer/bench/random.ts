/** Small deterministic random helpers for generated benchmark data. */

/** mulberry32: a fast 32-bit seeded PRNG; returns floats in [0, 1). */
export { rng as seededRandom } from '../src/sketches/test-support/random.js';

/** Draws indices 0..n-1 with Zipf(s) probabilities (index 0 most frequent). */
export function zipfSampler(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) {
    total += 1 / Math.pow(k + 1, s);
    cdf[k] = total;
  }
  for (let k = 0; k < n; k++) cdf[k]! /= total;
  return () => {
    const u = random();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Picks from weighted choices. */
export function weighted<T>(choices: readonly (readonly [T, number])[], random: () => number): () => T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  return () => {
    let u = random() * total;
    for (const [value, w] of choices) {
      u -= w;
      if (u < 0) return value;
    }
    return choices[choices.length - 1]![0];
  };
}
