import type { Dimension, MetricDatum, StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { DistributionSummary, FileSummary, MetricDatumJson, Timeline } from '@logflow/shared-types';
import { FILE_METRIC_NAMES } from '@logflow/shared-types';
import { QuantileSketch } from '../sketches/quantile.js';
import { coarsenTimeline } from '../sketches/timeline.js';

/** Metric names the analyzer publishes (namespace is chosen by the caller). */
export const METRIC_NAMES = FILE_METRIC_NAMES;

/** PutMetricData limits. */
export const PUT_METRIC_DATA_LIMITS = {
  maxDatumsPerRequest: 1000,
  /** Request payload limit (1 MB); batches are sized against the query-string encoding, the largest. */
  maxRequestBytes: 1_000_000,
  maxValuesPerDatum: 150,
  maxDimensionsPerDatum: 30,
} as const;

/**
 * CloudWatch accepts datapoints up to two weeks old and up to two hours ahead; PutMetricData
 * rejects the whole request for one datum outside that window. A small margin keeps a datum
 * that is valid when built from being rejected by the time it is sent.
 */
export const CLOUDWATCH_TIMESTAMP_WINDOW = {
  maxAgeMs: 14 * 86_400_000 - 15 * 60_000,
  maxAheadMs: 2 * 3_600_000 - 15 * 60_000,
} as const;

/** Whether CloudWatch accepts a datapoint stamped `timestamp` at `now` (no timestamp: it stamps it). */
export function isTimestampAccepted(timestamp: Date | undefined, now: Date): boolean {
  if (!timestamp) return true;
  const delta = now.getTime() - timestamp.getTime();
  return delta <= CLOUDWATCH_TIMESTAMP_WINDOW.maxAgeMs && -delta <= CLOUDWATCH_TIMESTAMP_WINDOW.maxAheadMs;
}

export interface MetricDataOptions {
  /**
   * When given, datums CloudWatch would reject at this time (older than two weeks, more than two
   * hours ahead) are left out, so re-analysing old logs still stores their summaries.
   */
  now?: Date;
  /**
   * Dimension sets every metric is published under. Default: none (the fleet-wide series) and
   * `Format` (one series per log format). Dimensions are deliberately coarse: per-file or
   * per-path dimensions would create unbounded, billable metric streams.
   */
  dimensionSets?: readonly (readonly Dimension[])[];
  /** Cap on timeline buckets turned into per-bucket datums (coarser buckets when exceeded). */
  maxTimelineBuckets?: number;
  /**
   * Cap on the values of each distribution; adjacent sketch bins are pooled (count-weighted
   * mean) to meet it, trading resolution for payload size. Default: every bin.
   */
  maxDistributionValues?: number;
  /**
   * Timestamp for whole-file metrics (distributions, malformed lines) when the log has no
   * timestamps at all. Default: none, in which case those datums carry no timestamp.
   */
  fallbackTimestamp?: Date;
}

export function defaultDimensionSets(summary: Pick<FileSummary, 'format'>): Dimension[][] {
  return [[], [{ Name: 'Format', Value: summary.format }]];
}

/**
 * CloudWatch datums for one file, stamped with the log's own time: `Requests` and `5xxErrors`
 * per timeline bucket (bucket start), the latency and response-size distributions as
 * `Values`/`Counts` from the sketch bins (split into datums of at most 150 values), stamped with
 * the minute of the file's first request, and `MalformedLines`.
 */
export function toMetricData(summary: FileSummary, options: MetricDataOptions = {}): MetricDatum[] {
  const dimensionSets = options.dimensionSets ?? defaultDimensionSets(summary);
  for (const set of dimensionSets) {
    if (set.length > PUT_METRIC_DATA_LIMITS.maxDimensionsPerDatum) throw new Error('too many dimensions');
  }
  const data: MetricDatum[] = [];
  const push = (datum: Omit<MetricDatum, 'Dimensions'>): void => {
    for (const set of dimensionSets) {
      data.push(set.length > 0 ? { ...datum, Dimensions: set.map((d) => ({ ...d })) } : { ...datum });
    }
  };

  const timeline = summary.timeline && limitBuckets(summary.timeline, options.maxTimelineBuckets);
  if (timeline) {
    const startMs = Date.parse(timeline.start);
    timeline.requests.forEach((requests, i) => {
      if (requests === 0) return;
      const Timestamp = new Date(startMs + i * timeline.bucketSeconds * 1000);
      push({ MetricName: METRIC_NAMES.requests, Timestamp, Value: requests, Unit: 'Count' });
      push({
        MetricName: METRIC_NAMES.errors5xx,
        Timestamp,
        Value: timeline.errors5xx[i] ?? 0,
        Unit: 'Count',
      });
    });
  }

  const fileTime = summary.timeRange
    ? new Date(Math.floor(Date.parse(summary.timeRange.first) / 60_000) * 60_000)
    : options.fallbackTimestamp;
  const stamp = fileTime ? { Timestamp: fileTime } : {};
  for (const [name, unit, dist] of [
    [METRIC_NAMES.latency, 'Milliseconds', summary.latencyMs],
    [METRIC_NAMES.responseSize, 'Bytes', summary.responseBytes],
  ] as const) {
    for (const chunk of distributionChunks(dist, options.maxDistributionValues)) {
      push({ MetricName: name, ...stamp, ...chunk, Unit: unit as StandardUnit });
    }
  }
  push({ MetricName: METRIC_NAMES.malformedLines, ...stamp, Value: summary.lines.malformed, Unit: 'Count' });
  const now = options.now;
  return now ? data.filter((datum) => isTimestampAccepted(datum.Timestamp, now)) : data;
}

function limitBuckets(timeline: Timeline, maxBuckets: number | undefined): Timeline {
  return maxBuckets !== undefined && timeline.requests.length > maxBuckets
    ? coarsenTimeline(timeline, maxBuckets)
    : timeline;
}

/** Sketch bins as `Values`/`Counts` chunks of at most 150 values each. */
function distributionChunks(
  dist: DistributionSummary | null,
  maxValues = Infinity,
): { Values: number[]; Counts: number[] }[] {
  if (!dist || dist.count === 0) return [];
  let { values, counts } = QuantileSketch.fromSummary(dist).bins();
  if (values.length > maxValues) ({ values, counts } = poolBins(values, counts, Math.max(1, maxValues)));
  const chunks: { Values: number[]; Counts: number[] }[] = [];
  const n = PUT_METRIC_DATA_LIMITS.maxValuesPerDatum;
  for (let i = 0; i < values.length; i += n) {
    chunks.push({ Values: values.slice(i, i + n), Counts: counts.slice(i, i + n) });
  }
  return chunks;
}

/** Pool runs of adjacent bins into at most `maxValues` bins at their count-weighted mean. */
function poolBins(
  values: number[],
  counts: number[],
  maxValues: number,
): { values: number[]; counts: number[] } {
  const group = Math.ceil(values.length / maxValues);
  const out = { values: [] as number[], counts: [] as number[] };
  for (let i = 0; i < values.length; i += group) {
    let c = 0;
    let weighted = 0;
    for (let j = i; j < Math.min(values.length, i + group); j++) {
      c += counts[j]!;
      weighted += values[j]! * counts[j]!;
    }
    out.values.push(Number((weighted / c).toPrecision(9)));
    out.counts.push(c);
  }
  return out;
}

/** The payload form (`aws-sdk:cloudwatch:putMetricData` from a state): ISO timestamps. */
export function toMetricDatumJson(datum: MetricDatum): MetricDatumJson {
  const { Timestamp, ...rest } = datum;
  const json = { ...rest } as MetricDatumJson;
  if (Timestamp) json.Timestamp = new Date(Timestamp).toISOString();
  return json;
}

export function toMetricDataJson(summary: FileSummary, options: MetricDataOptions = {}): MetricDatumJson[] {
  return toMetricData(summary, options).map(toMetricDatumJson);
}

/**
 * Split datums into PutMetricData requests within the API limits: at most 1,000 datums and
 * 1 MB each (measured as the query-string encoding, the most verbose wire form). Order is kept.
 */
export function batchMetricData<T extends MetricDatum | MetricDatumJson>(
  data: readonly T[],
  namespace = '',
): T[][] {
  const overhead = encodedLength(`Action=PutMetricData&Version=2010-08-01&Namespace=${namespace}`);
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = overhead;
  for (const datum of data) {
    checkDatum(datum);
    const size = datumQuerySize(datum);
    if (overhead + size > PUT_METRIC_DATA_LIMITS.maxRequestBytes)
      throw new Error(`metric datum ${datum.MetricName} too large`);
    if (
      batch.length === PUT_METRIC_DATA_LIMITS.maxDatumsPerRequest ||
      bytes + size > PUT_METRIC_DATA_LIMITS.maxRequestBytes
    ) {
      batches.push(batch);
      batch = [];
      bytes = overhead;
    }
    batch.push(datum);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

function checkDatum(datum: MetricDatum | MetricDatumJson): void {
  if ((datum.Values?.length ?? 0) > PUT_METRIC_DATA_LIMITS.maxValuesPerDatum) {
    throw new Error(`metric datum ${datum.MetricName} has more than 150 values`);
  }
  if ((datum.Dimensions?.length ?? 0) > PUT_METRIC_DATA_LIMITS.maxDimensionsPerDatum) {
    throw new Error(`metric datum ${datum.MetricName} has more than 30 dimensions`);
  }
}

/**
 * Upper bound of a datum's size in a query-encoded PutMetricData request, assuming the widest
 * member indexes (`MetricData.member.1000.…`, `Values.member.150`).
 */
export function datumQuerySize(datum: MetricDatum | MetricDatumJson): number {
  const p = 'MetricData.member.1000.';
  let n = 0;
  const field = (name: string, value: string | number): void => {
    n += 1 + fieldNameLength(p + name) + 1 + valueLength(value);
  };
  field('MetricName', datum.MetricName ?? '');
  datum.Dimensions?.forEach((d) => {
    field('Dimensions.member.30.Name', d.Name ?? '');
    field('Dimensions.member.30.Value', d.Value ?? '');
  });
  if (datum.Timestamp !== undefined) field('Timestamp', new Date(datum.Timestamp).toISOString());
  if (datum.Value !== undefined) field('Value', datum.Value);
  datum.Values?.forEach((v) => field('Values.member.150', v));
  datum.Counts?.forEach((c) => field('Counts.member.150', c));
  const s = datum.StatisticValues;
  if (s)
    for (const k of ['SampleCount', 'Sum', 'Minimum', 'Maximum'] as const)
      field(`StatisticValues.${k}`, s[k] ?? 0);
  if (datum.Unit) field('Unit', datum.Unit);
  if (datum.StorageResolution !== undefined) field('StorageResolution', datum.StorageResolution);
  return n;
}

function encodedLength(s: string): number {
  return encodeURIComponent(s).length;
}

/** Field names repeat for every datum and value: encode each once. */
const fieldNameLengths = new Map<string, number>();
function fieldNameLength(name: string): number {
  let n = fieldNameLengths.get(name);
  if (n === undefined) fieldNameLengths.set(name, (n = encodedLength(name)));
  return n;
}

/** A number prints as digits, `.`, `-`, `e` and `+`, of which only `+` is escaped (`%2B`). */
function valueLength(value: string | number): number {
  if (typeof value === 'string') return encodedLength(value);
  const text = String(value);
  return text.includes('+') ? text.length + 2 : text.length;
}
