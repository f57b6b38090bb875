import {
  STATUS_CLASSES,
  type CardinalitySummary,
  type MalformedSample,
  type StatusClass,
  type SummaryCore,
} from '@logflow/shared-types';
import { mergeTopK } from '../sketches/heavy-hitters.js';
import { HLL_PRECISION, HyperLogLog } from '../sketches/hyperloglog.js';
import { mergeDistributions } from '../sketches/quantile.js';
import { mergeTimelines } from '../sketches/timeline.js';
import { TOP_CAPACITY } from '../summary/builder.js';

/** Malformed samples a merged summary keeps. */
export const MERGED_MALFORMED_SAMPLE_LIMIT = 20;

/** The summary of nothing: the identity of `mergeSummaries`. */
export function emptySummaryCore(): SummaryCore {
  return {
    lines: { total: 0, parsed: 0, malformed: 0, skipped: 0 },
    malformedSamples: [],
    requests: 0,
    bytes: 0,
    status: {},
    statusClass: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, other: 0 },
    methods: {},
    latencyMs: null,
    responseBytes: null,
    uniqueClients: cardinality(new HyperLogLog(HLL_PRECISION)),
    topPaths: { entries: [], capacity: TOP_CAPACITY.paths, total: 0 },
    topClients: { entries: [], capacity: TOP_CAPACITY.clients, total: 0 },
    topUserAgents: { entries: [], capacity: TOP_CAPACITY.userAgents, total: 0 },
    timeRange: null,
    timeline: null,
    outOfRange: 0,
  };
}

/**
 * Merge summaries (file summaries or earlier merges) into one `SummaryCore`. Counts add up
 * exactly; sketches merge within their stated error. The result does not depend on the order of
 * `summaries` (every list is sorted with ties broken by value), and merging in any grouping gives
 * the same counts, distributions, cardinality and timeline; top-k lists agree exactly as long as
 * no list had to drop entries, and always stay within their error bounds.
 */
export function mergeSummaries(summaries: readonly SummaryCore[]): SummaryCore {
  if (summaries.length === 0) return emptySummaryCore();
  const lines = { total: 0, parsed: 0, malformed: 0, skipped: 0 };
  const statusClass = Object.fromEntries(STATUS_CLASSES.map((c) => [c, 0])) as Record<StatusClass, number> & {
    other?: number;
  };
  let other = 0;
  let outOfRange = 0;
  const status = new Map<string, number>();
  const methods = new Map<string, number>();
  const samples: MalformedSample[] = [];
  let requests = 0;
  let bytes = 0;
  let first: string | undefined;
  let last: string | undefined;
  const hll = new HyperLogLog(HLL_PRECISION);
  for (const s of summaries) {
    lines.total += s.lines.total;
    lines.parsed += s.lines.parsed;
    lines.malformed += s.lines.malformed;
    lines.skipped += s.lines.skipped;
    requests += s.requests;
    bytes += s.bytes;
    for (const c of STATUS_CLASSES) statusClass[c] += s.statusClass[c] ?? 0;
    other += s.statusClass.other ?? 0;
    outOfRange += s.outOfRange ?? 0;
    addCounts(status, s.status);
    addCounts(methods, s.methods);
    const fileKey = fileKeyOf(s);
    for (const sample of s.malformedSamples) {
      samples.push(
        sample.file === undefined && fileKey !== undefined ? { ...sample, file: fileKey } : sample,
      );
    }
    if (s.timeRange) {
      if (first === undefined || s.timeRange.first < first) first = s.timeRange.first;
      if (last === undefined || s.timeRange.last > last) last = s.timeRange.last;
    }
    hll.merge(HyperLogLog.deserialize(s.uniqueClients.sketch));
  }
  samples.sort(compareSamples);
  statusClass.other = other;
  const hosts = summaries.flatMap((s) => (s.topHosts ? [s.topHosts] : []));
  return {
    lines,
    malformedSamples: samples.slice(0, MERGED_MALFORMED_SAMPLE_LIMIT),
    requests,
    bytes,
    status: sortedRecord(status),
    statusClass,
    methods: sortedRecord(methods),
    latencyMs: mergeDistributions(summaries.map((s) => s.latencyMs)),
    responseBytes: mergeDistributions(summaries.map((s) => s.responseBytes)),
    uniqueClients: cardinality(hll),
    topPaths: mergeTopK(summaries.map((s) => s.topPaths)),
    topClients: mergeTopK(summaries.map((s) => s.topClients)),
    topUserAgents: mergeTopK(summaries.map((s) => s.topUserAgents)),
    timeRange: first !== undefined && last !== undefined ? { first, last } : null,
    timeline: mergeTimelines(summaries.map((s) => s.timeline)),
    outOfRange,
    ...(hosts.length > 0 ? { topHosts: mergeTopK(hosts) } : {}),
  };
}

function cardinality(hll: HyperLogLog): CardinalitySummary {
  return {
    estimate: hll.estimate(),
    relativeStandardError: hll.relativeStandardError,
    sketch: hll.serialize(),
  };
}

function addCounts(into: Map<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into.set(k, (into.get(k) ?? 0) + v);
}

/** Keys in a stable order (JSON of the result must not depend on input order). */
function sortedRecord(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!;
  return out;
}

/** A file summary's key, used to label its samples once they are mixed with other files'. */
function fileKeyOf(s: SummaryCore): string | undefined {
  const file = (s as { file?: { key?: unknown } }).file;
  return typeof file?.key === 'string' ? file.key : undefined;
}

function compareSamples(a: MalformedSample, b: MalformedSample): number {
  return cmp(a.file ?? '', b.file ?? '') || a.line - b.line || cmp(a.text, b.text) || cmp(a.reason, b.reason);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
