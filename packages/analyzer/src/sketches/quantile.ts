import { DDSketch } from '@datadog/sketches-js';
import type { DistributionSummary } from '@logflow/shared-types';

/** Relative accuracy of every quantile sketch the analyzer keeps. */
export const RELATIVE_ACCURACY = 0.01;

/**
 * Range the sketches resolve (1e-3 ms is the finest latency any supported format records);
 * values outside are counted at the nearest end, so a sketch never needs more than ~2,100 bins.
 * Exact `min`/`max`/`sum` are kept regardless.
 */
export const SKETCH_MIN = 1e-3;
export const SKETCH_MAX = 1e15;

/** A DDSketch (1% relative accuracy) plus the exact statistics the protobuf form loses. */
export class QuantileSketch {
  readonly sketch: DDSketch;
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  constructor(sketch?: DDSketch) {
    this.sketch = sketch ?? new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
  }

  /** Add a non-negative value (negative values mean "absent" in the log formats and are ignored). */
  add(value: number): void {
    if (!(value >= 0)) return;
    // Clamp into the tracked range so hostile values cannot blow up the number of bins.
    this.sketch.accept(
      value === 0 ? 0 : value < SKETCH_MIN ? SKETCH_MIN : value > SKETCH_MAX ? SKETCH_MAX : value,
    );
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  quantile(q: number): number {
    return this.count === 0 ? NaN : this.sketch.getValueAtQuantile(q);
  }

  merge(other: QuantileSketch): void {
    if (other.count === 0) return;
    this.sketch.merge(other.sketch);
    this.count += other.count;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  /** The summary form, or null when no value was added. */
  toSummary(): DistributionSummary | null {
    if (this.count === 0) return null;
    // Quantiles of a relative-accuracy sketch can fall just outside [min, max]; clamp them.
    const q = (p: number): number => roundValue(Math.min(this.max, Math.max(this.min, this.quantile(p))));
    return {
      count: this.count,
      sum: roundValue(this.sum),
      min: this.min,
      max: this.max,
      p50: q(0.5),
      p90: q(0.9),
      p95: q(0.95),
      p99: q(0.99),
      relativeAccuracy: RELATIVE_ACCURACY,
      sketch: encodeSketch(this.sketch),
    };
  }

  static fromSummary(summary: DistributionSummary): QuantileSketch {
    if (summary.relativeAccuracy !== RELATIVE_ACCURACY) {
      throw new Error(`unsupported sketch relative accuracy ${summary.relativeAccuracy}`);
    }
    const q = new QuantileSketch(decodeSketch(summary.sketch));
    q.count = summary.count;
    q.sum = summary.sum;
    q.min = summary.min;
    q.max = summary.max;
    return q;
  }

  /**
   * Non-empty bins as representative values and counts (CloudWatch `Values`/`Counts`), in
   * ascending order; each value is within the sketch's relative accuracy of the values it stands for.
   */
  bins(): { values: number[]; counts: number[] } {
    const values: number[] = [];
    const counts: number[] = [];
    if (this.sketch.zeroCount > 0) {
      values.push(0);
      counts.push(this.sketch.zeroCount);
    }
    const store = this.sketch.store;
    for (let key = store.minKey; key <= store.maxKey; key++) {
      const c = store.bins[key - store.offset] ?? 0;
      if (c === 0) continue;
      const value = roundValue(Math.min(this.max, Math.max(this.min, this.sketch.mapping.value(key))));
      // Clamping to [min, max] can map neighbouring bins to one value; keep values distinct.
      if (values.length > 0 && values[values.length - 1] === value) counts[counts.length - 1]! += c;
      else {
        values.push(value);
        counts.push(c);
      }
    }
    return { values, counts };
  }
}

/** Sums and sketch values are rounded to 6 significant decimals so JSON stays short and stable. */
function roundValue(v: number): number {
  return Math.abs(v) >= 1e6 ? Math.round(v) : Number(v.toPrecision(9));
}

/** Protobuf (DDSketch's own format), bins trimmed to the non-empty range, base64. */
export function encodeSketch(sketch: DDSketch): string {
  for (const store of [sketch.store, sketch.negativeStore]) {
    if (store.count === 0) {
      store.bins = [];
      store.offset = 0;
      continue;
    }
    const from = store.minKey - store.offset;
    store.bins = store.bins.slice(from, store.maxKey - store.offset + 1);
    store.offset = store.minKey;
  }
  return Buffer.from(sketch.toProto()).toString('base64');
}

/** Decode into a fresh sketch, so values map back through the same mapping as locally built sketches. */
export function decodeSketch(encoded: string): DDSketch {
  const decoded = DDSketch.fromProto(Buffer.from(encoded, 'base64')) as DDSketch;
  const sketch = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
  if (!sketch.mergeable(decoded)) throw new Error('sketch relative accuracy mismatch');
  if (decoded.negativeStore.count > 0) throw new Error('sketch holds negative values');
  sketch.merge(decoded);
  return sketch;
}

/** Merge distribution summaries; null inputs (formats without the field) are skipped. */
export function mergeDistributions(
  parts: readonly (DistributionSummary | null)[],
): DistributionSummary | null {
  const acc = new QuantileSketch();
  for (const p of parts) if (p) acc.merge(QuantileSketch.fromSummary(p));
  return acc.toSummary();
}
