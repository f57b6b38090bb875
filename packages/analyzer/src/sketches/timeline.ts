import type { Timeline } from '@logflow/shared-types';

/**
 * Bucket widths a timeline may use, each dividing every later one, so timelines of any two
 * widths merge exactly at the coarser (or a common coarser) width. Buckets are aligned to
 * multiples of their width since the epoch.
 */
export const TIMELINE_BUCKET_SECONDS: readonly number[] = [
  60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400, 172800, 345600, 691200, 1382400, 2764800,
  5529600, 11059200, 22118400, 44236800, 88473600, 176947200, 353894400, 707788800, 1415577600, 2831155200,
  5662310400,
];

/** Largest number of buckets a finished timeline holds. */
export const TIMELINE_MAX_BUCKETS = 1440;

/** Smallest allowed width ≥ `minSeconds` that is a multiple of every width in `divisors`. */
export function bucketWidthAtLeast(minSeconds: number, ...divisors: number[]): number {
  for (const w of TIMELINE_BUCKET_SECONDS) {
    if (w >= minSeconds && divisors.every((d) => w % d === 0)) return w;
  }
  throw new RangeError(`timeline span too large for ${minSeconds} s buckets`);
}

/** Smallest allowed width, multiple of `divisor`, for which `[firstMs, lastMs]` fits `maxBuckets`. */
export function widthForSpan(firstMs: number, lastMs: number, maxBuckets: number, divisor = 60): number {
  let w = bucketWidthAtLeast(divisor, divisor);
  while (Math.floor(lastMs / (w * 1000)) - Math.floor(firstMs / (w * 1000)) + 1 > maxBuckets) {
    w = bucketWidthAtLeast(w + 1, divisor);
  }
  return w;
}

/**
 * Per-bucket request and 5xx counts, filled from log timestamps. Buckets live in growable
 * arrays indexed from the first bucket seen; the width starts at 60 s and coarsens when the span
 * would need more than `internalMaxBuckets` arrays slots, so memory stays bounded on any input.
 */
export class TimelineBuilder {
  bucketMs = 60_000;
  /** Absolute bucket number (epoch ms / bucketMs) of slot 0. */
  private base = 0;
  requests = new Float64Array(0);
  errors = new Float64Array(0);

  constructor(private readonly internalMaxBuckets = 1 << 16) {}

  /** Count one request at `timestampMs` (finite). */
  add(timestampMs: number, is5xx: boolean): void {
    const i = Math.floor(timestampMs / this.bucketMs) - this.base;
    if (i >= 0 && i < this.requests.length) {
      this.requests[i]!++;
      if (is5xx) this.errors[i]!++;
      return;
    }
    this.grow(timestampMs);
    this.add(timestampMs, is5xx);
  }

  private grow(timestampMs: number): void {
    const bucket = Math.floor(timestampMs / this.bucketMs);
    let lo = 0;
    let hi = this.requests.length - 1;
    while (lo <= hi && this.requests[lo] === 0) lo++;
    while (hi >= lo && this.requests[hi] === 0) hi--;
    if (lo > hi) {
      this.base = bucket;
      this.requests = new Float64Array(64);
      this.errors = new Float64Array(64);
      return;
    }
    // Size by the data actually held, not by the slack of the arrays.
    const first = Math.min(this.base + lo, bucket);
    const last = Math.max(this.base + hi, bucket);
    const span = last - first + 1;
    if (span > this.internalMaxBuckets) {
      const width = widthForSpan(
        first * this.bucketMs,
        last * this.bucketMs,
        this.internalMaxBuckets / 2,
        this.bucketMs / 1000,
      );
      this.rebucket(width * 1000, lo, hi, first, last);
      return;
    }
    // Grow by doubling, leaving the slack on the side that needed room.
    const len = Math.min(this.internalMaxBuckets, Math.max(this.requests.length * 2, span));
    const newBase = bucket < this.base + lo ? last - len + 1 : first;
    const req = new Float64Array(len);
    const err = new Float64Array(len);
    req.set(this.requests.subarray(lo, hi + 1), this.base + lo - newBase);
    err.set(this.errors.subarray(lo, hi + 1), this.base + lo - newBase);
    this.requests = req;
    this.errors = err;
    this.base = newBase;
  }

  /** Move slots `lo..hi` to buckets of `newBucketMs`, sized for buckets `first..last` (old width). */
  private rebucket(newBucketMs: number, lo: number, hi: number, first: number, last: number): void {
    const oldMs = this.bucketMs;
    const newBase = Math.floor((first * oldMs) / newBucketMs);
    const len = Math.floor((last * oldMs) / newBucketMs) - newBase + 1;
    const req = new Float64Array(len);
    const err = new Float64Array(len);
    for (let i = lo; i <= hi; i++) {
      const j = Math.floor(((this.base + i) * oldMs) / newBucketMs) - newBase;
      req[j]! += this.requests[i]!;
      err[j]! += this.errors[i]!;
    }
    this.requests = req;
    this.errors = err;
    this.base = newBase;
    this.bucketMs = newBucketMs;
  }

  /** The finished timeline, trimmed to non-empty ends and coarsened to at most `maxBuckets`; null when empty. */
  finish(maxBuckets = TIMELINE_MAX_BUCKETS): Timeline | null {
    let lo = 0;
    let hi = this.requests.length - 1;
    while (lo <= hi && this.requests[lo] === 0) lo++;
    while (hi >= lo && this.requests[hi] === 0) hi--;
    if (lo > hi) return null;
    const timeline: Timeline = {
      start: new Date((this.base + lo) * this.bucketMs).toISOString(),
      bucketSeconds: this.bucketMs / 1000,
      requests: Array.from(this.requests.subarray(lo, hi + 1)),
      errors5xx: Array.from(this.errors.subarray(lo, hi + 1)),
    };
    return coarsenTimeline(timeline, maxBuckets);
  }
}

/** Re-bucket `timeline` to `bucketSeconds` (a multiple of its width). */
export function rebucketTimeline(timeline: Timeline, bucketSeconds: number): Timeline {
  if (bucketSeconds === timeline.bucketSeconds) return timeline;
  if (bucketSeconds % timeline.bucketSeconds !== 0) {
    throw new Error(`cannot re-bucket a ${timeline.bucketSeconds} s timeline to ${bucketSeconds} s`);
  }
  const startMs = Date.parse(timeline.start);
  const w = bucketSeconds * 1000;
  const newStart = Math.floor(startMs / w) * w;
  const lastMs = startMs + (timeline.requests.length - 1) * timeline.bucketSeconds * 1000;
  const len = Math.floor(lastMs / w) - newStart / w + 1;
  const requests = new Array<number>(len).fill(0);
  const errors5xx = new Array<number>(len).fill(0);
  for (let i = 0; i < timeline.requests.length; i++) {
    const j = Math.floor((startMs + i * timeline.bucketSeconds * 1000 - newStart) / w);
    requests[j]! += timeline.requests[i]!;
    errors5xx[j]! += timeline.errors5xx[i] ?? 0;
  }
  return { start: new Date(newStart).toISOString(), bucketSeconds, requests, errors5xx };
}

/** Coarsen to the finest allowed width with at most `maxBuckets` buckets. */
export function coarsenTimeline(timeline: Timeline, maxBuckets = TIMELINE_MAX_BUCKETS): Timeline {
  const startMs = Date.parse(timeline.start);
  const lastMs = startMs + (timeline.requests.length - 1) * timeline.bucketSeconds * 1000;
  return rebucketTimeline(timeline, widthForSpan(startMs, lastMs, maxBuckets, timeline.bucketSeconds));
}

/** Merge timelines at the coarsest width among them (coarser still if the union exceeds `maxBuckets`). */
export function mergeTimelines(
  parts: readonly (Timeline | null)[],
  maxBuckets = TIMELINE_MAX_BUCKETS,
): Timeline | null {
  const present = parts.filter((t): t is Timeline => t !== null && t.requests.length > 0);
  if (present.length === 0) return null;
  let width = 60;
  let first = Infinity;
  let last = -Infinity;
  for (const t of present) {
    width = bucketWidthAtLeast(Math.max(width, t.bucketSeconds), width, t.bucketSeconds);
    const s = Date.parse(t.start);
    first = Math.min(first, s);
    last = Math.max(last, s + (t.requests.length - 1) * t.bucketSeconds * 1000);
  }
  width = widthForSpan(first, last, maxBuckets, width);
  const w = width * 1000;
  const startMs = Math.floor(first / w) * w;
  const len = Math.floor(last / w) - startMs / w + 1;
  const requests = new Array<number>(len).fill(0);
  const errors5xx = new Array<number>(len).fill(0);
  for (const t of present) {
    const r = rebucketTimeline(t, width);
    const offset = (Date.parse(r.start) - startMs) / w;
    for (let i = 0; i < r.requests.length; i++) {
      requests[offset + i]! += r.requests[i]!;
      errors5xx[offset + i]! += r.errors5xx[i] ?? 0;
    }
  }
  return trimTimeline({ start: new Date(startMs).toISOString(), bucketSeconds: width, requests, errors5xx });
}

function trimTimeline(t: Timeline): Timeline | null {
  let lo = 0;
  let hi = t.requests.length - 1;
  while (lo <= hi && t.requests[lo] === 0) lo++;
  while (hi >= lo && t.requests[hi] === 0) hi--;
  if (lo > hi) return null;
  if (lo === 0 && hi === t.requests.length - 1) return t;
  return {
    start: new Date(Date.parse(t.start) + lo * t.bucketSeconds * 1000).toISOString(),
    bucketSeconds: t.bucketSeconds,
    requests: t.requests.slice(lo, hi + 1),
    errors5xx: t.errors5xx.slice(lo, hi + 1),
  };
}
