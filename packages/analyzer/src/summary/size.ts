import type { SummaryCore, TopEntry, TopK } from '@logflow/shared-types';
import { truncateEntries } from '../sketches/heavy-hitters.js';
import { coarsenTimeline } from '../sketches/timeline.js';

/** Serialized size an ordinary summary stays under. */
export const SUMMARY_TARGET_BYTES = 64 * 1024;
/**
 * Serialized size no summary exceeds (it travels inside a DynamoDB item and a state payload).
 * Measured on the summary's JSON encoded once more as a JSON string, as it appears inside the
 * AnalyzeLogData result, so escaping in hostile log values cannot push the payload over.
 */
export const SUMMARY_MAX_BYTES = 160 * 1024;
/** Characters of a top-k value kept; longer values are cut and counted together. */
export const TOP_VALUE_MAX_CHARS = 256;

/** Shrink steps: top-k capacities are divided and timeline buckets capped, coarsest last. */
const SHRINK_STEPS: readonly { topDivisor: number; maxBuckets: number }[] = [
  { topDivisor: 1, maxBuckets: 1440 },
  { topDivisor: 2, maxBuckets: 1440 },
  { topDivisor: 4, maxBuckets: 720 },
  { topDivisor: 10, maxBuckets: 360 },
  { topDivisor: 25, maxBuckets: 180 },
  { topDivisor: 100, maxBuckets: 48 },
];
/** Steps allowed only to stay under the hard cap (the ordinary target may stay exceeded). */
const ORDINARY_STEPS = 4;

export function serializedSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Size of `value`'s JSON as a string inside another JSON document. */
export function embeddedSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(JSON.stringify(value)), 'utf8');
}

/**
 * Bound a summary's serialized size deterministically: cut over-long top-k values, then take the
 * first shrink step whose result fits the target; past the ordinary steps, only the hard cap counts.
 * Throws when even the last step exceeds the hard cap.
 */
export function fitSummary<T extends SummaryCore>(summary: T): T {
  const base: T = {
    ...summary,
    topPaths: cutLongValues(summary.topPaths),
    topClients: cutLongValues(summary.topClients),
    topUserAgents: cutLongValues(summary.topUserAgents),
    ...(summary.topHosts ? { topHosts: cutLongValues(summary.topHosts) } : {}),
  };
  let last: { value: T; size: number } | undefined;
  for (let i = 0; i < SHRINK_STEPS.length; i++) {
    const step = SHRINK_STEPS[i]!;
    const value = i === 0 ? base : shrink(base, step.topDivisor, step.maxBuckets);
    const json = JSON.stringify(value);
    const size = Buffer.byteLength(json, 'utf8');
    const embedded = Buffer.byteLength(JSON.stringify(json), 'utf8');
    if (size <= SUMMARY_TARGET_BYTES && embedded <= SUMMARY_MAX_BYTES) return value;
    if (i >= ORDINARY_STEPS - 1 && embedded <= SUMMARY_MAX_BYTES) return value;
    last = { value, size: embedded };
  }
  throw new Error(
    `summary is ${last?.size} bytes even at its smallest, over the ${SUMMARY_MAX_BYTES}-byte cap`,
  );
}

function shrink<T extends SummaryCore>(s: T, topDivisor: number, maxBuckets: number): T {
  const top = (t: TopK): TopK => {
    const capacity = Math.max(1, Math.floor(t.capacity / topDivisor));
    return { entries: t.entries.slice(0, capacity), capacity, total: t.total };
  };
  return {
    ...s,
    topPaths: top(s.topPaths),
    topClients: top(s.topClients),
    topUserAgents: top(s.topUserAgents),
    ...(s.topHosts ? { topHosts: top(s.topHosts) } : {}),
    timeline: s.timeline ? coarsenTimeline(s.timeline, maxBuckets) : null,
  };
}

/** Cut values longer than `TOP_VALUE_MAX_CHARS`; values that become equal are counted together. */
export function cutLongValues(t: TopK): TopK {
  if (t.entries.every((e) => e.value.length <= TOP_VALUE_MAX_CHARS)) return t;
  const byValue = new Map<string, TopEntry>();
  for (const e of t.entries) {
    const value = e.value.length > TOP_VALUE_MAX_CHARS ? e.value.slice(0, TOP_VALUE_MAX_CHARS) : e.value;
    const prev = byValue.get(value);
    if (prev) {
      prev.count += e.count;
      prev.error += e.error;
    } else byValue.set(value, { value, count: e.count, error: e.error });
  }
  return {
    entries: truncateEntries([...byValue.values()], t.capacity),
    capacity: t.capacity,
    total: t.total,
  };
}
