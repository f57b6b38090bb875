/**
 * The pure part of AnalyzeLogData: validate the event, analyse a byte stream, and shape the
 * result (headline, DynamoDB item, PutMetricData batches) to fit a Step Functions payload.
 */
import type { Readable } from 'node:stream';
import {
  HANDLER_ENV,
  type AnalyzeLogDataEvent,
  type AnalyzeLogDataResult,
  type FileRef,
  type Clock,
  type FileSummary,
  type FormatOptions,
  isDay,
  LOG_FORMATS,
  systemClock,
} from '@logflow/shared-types';
import { analyzeStream } from '../analyze.js';
import { CorruptGzipError, UnrecognizedLogFormatError } from '../errors.js';
import {
  batchMetricData,
  isTimestampAccepted,
  toMetricData,
  toMetricDatumJson,
  type MetricDataOptions,
} from '../adapters/cloudwatch.js';
import { DEFAULT_SUMMARY_TTL_DAYS, toSummaryItem } from '../adapters/dynamodb.js';
import { HandlerConfigError, InvalidAnalyzeEventError, LogObjectReadError } from './errors.js';

/** The result stays under this many bytes of JSON (Step Functions payloads are capped at 256 KiB). */
export const RESULT_MAX_BYTES = 250 * 1024;

export interface AnalyzeHandlerConfig {
  metricNamespace: string;
  summaryTtlDays: number;
}

/** Settings from the environment: the metric namespace is required, TTL days default to 90. */
export function readHandlerConfig(env: NodeJS.ProcessEnv = process.env): AnalyzeHandlerConfig {
  const metricNamespace = env[HANDLER_ENV.metricNamespace]?.trim();
  if (!metricNamespace)
    throw new HandlerConfigError(`environment variable ${HANDLER_ENV.metricNamespace} is not set`);
  const rawTtl = env[HANDLER_ENV.summaryTtlDays]?.trim();
  const summaryTtlDays = rawTtl ? Number(rawTtl) : DEFAULT_SUMMARY_TTL_DAYS;
  if (!Number.isInteger(summaryTtlDays) || summaryTtlDays <= 0) {
    throw new HandlerConfigError(
      `${HANDLER_ENV.summaryTtlDays} must be a positive whole number of days, got "${rawTtl}"`,
    );
  }
  return { metricNamespace, summaryTtlDays };
}

/** Check the event's shape; names the offending field. */
export function validateEvent(event: unknown): AnalyzeLogDataEvent {
  const e = event as Partial<AnalyzeLogDataEvent> | null;
  const fail = (field: string, want: string): never => {
    throw new InvalidAnalyzeEventError(`AnalyzeLogData event: field "${field}" must be ${want}`);
  };
  if (typeof e !== 'object' || e === null) fail('(event)', 'an object');
  if (typeof e!.bucket !== 'string' || e!.bucket === '') fail('bucket', 'a bucket name');
  if (!isDay(e!.date)) fail('date', 'a YYYY-MM-DD date');
  if (typeof e!.object !== 'object' || e!.object === null) fail('object', 'an S3 list item');
  if (typeof e!.object!.Key !== 'string' || e!.object!.Key === '') fail('object.Key', 'an object key');
  if (e!.format !== undefined && e!.format !== null) validateFormatOptions(e!.format, 'format', fail);
  return e as AnalyzeLogDataEvent;
}

/** Checks a `FormatOptions` value from JSON input; `fail(field, want)` throws. */
export function validateFormatOptions(
  value: unknown,
  field: string,
  fail: (field: string, want: string) => never,
): FormatOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'an object');
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!['format', 'logFormat', 'apacheFormat', 'jsonFields', 'clientFromForwardedFor'].includes(key))
      fail(`${field}.${key}`, 'absent (unknown option)');
  }
  if (o.format !== undefined && !(LOG_FORMATS as readonly unknown[]).includes(o.format))
    fail(`${field}.format`, `one of ${LOG_FORMATS.filter((f) => !f.endsWith('-format')).join(', ')}`);
  for (const key of ['logFormat', 'apacheFormat'] as const) {
    if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key] === ''))
      fail(`${field}.${key}`, 'a format string');
  }
  if (o.jsonFields !== undefined) {
    const j = o.jsonFields;
    if (typeof j !== 'object' || j === null || Array.isArray(j)) fail(`${field}.jsonFields`, 'an object');
    for (const [k, v] of Object.entries(j as object)) {
      if (typeof v !== 'string') fail(`${field}.jsonFields.${k}`, 'a field name');
    }
  }
  if (o.clientFromForwardedFor !== undefined && typeof o.clientFromForwardedFor !== 'boolean')
    fail(`${field}.clientFromForwardedFor`, 'true or false');
  return o as FormatOptions;
}

/** The object as the summary names it. */
export function fileRefOf(event: AnalyzeLogDataEvent): Omit<FileRef, 'gzip'> {
  const ref: Omit<FileRef, 'gzip'> = { key: event.object.Key, bucket: event.bucket };
  if (typeof event.object.Etag === 'string' && event.object.Etag !== '')
    ref.etag = event.object.Etag.replace(/^"|"$/g, '');
  if (typeof event.object.Size === 'number') ref.size = event.object.Size;
  return ref;
}

/**
 * Analyse `body` (the object's bytes, plain or gzip). Content errors (unrecognised format, corrupt
 * gzip) pass through; a failure of the stream itself becomes a retryable `LogObjectReadError`.
 */
export async function analyzeLogBody(event: AnalyzeLogDataEvent, body: Readable): Promise<FileSummary> {
  let streamError: unknown;
  const onError = (e: unknown): void => {
    streamError ??= e;
  };
  body.on('error', onError);
  try {
    return await analyzeStream(body, {
      file: fileRefOf(event),
      ...(event.format ?? {}),
      timeWindow: runDayWindow(event.date),
    });
  } catch (error) {
    if (error instanceof UnrecognizedLogFormatError || error instanceof CorruptGzipError) throw error;
    if (streamError !== undefined || isTransportError(error)) {
      throw new LogObjectReadError(event.bucket, event.object.Key, streamError ?? error);
    }
    throw error;
  } finally {
    body.off('error', onError);
  }
}

/** Requests more than a day away from the run's day are out of range. */
export function runDayWindow(date: string): { fromMs: number; toMs: number } {
  const dayStart = Date.parse(`${date}T00:00:00Z`);
  return { fromMs: dayStart - 86_400_000, toMs: dayStart + 2 * 86_400_000 - 1 };
}

function isTransportError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|ERR_STREAM_PREMATURE_CLOSE)$/.test(code)
  );
}

/**
 * Metric options from finest to coarsest: the first whose result fits `RESULT_MAX_BYTES` wins.
 * Time resolution goes first, then the per-format series, then distribution resolution.
 */
const METRIC_FALLBACKS: readonly Omit<MetricDataOptions, 'fallbackTimestamp'>[] = [
  {},
  { maxTimelineBuckets: 720 },
  { maxTimelineBuckets: 288 },
  { maxTimelineBuckets: 96 },
  { maxTimelineBuckets: 24 },
  { maxTimelineBuckets: 6 },
  { maxTimelineBuckets: 1 },
  { maxTimelineBuckets: 1, dimensionSets: [[]] },
  { maxTimelineBuckets: 1, dimensionSets: [[]], maxDistributionValues: 150 },
  { maxTimelineBuckets: 1, dimensionSets: [[]], maxDistributionValues: 20 },
];

/**
 * Shape the handler result for one analysed file. Deterministic: same summary and `now`, same
 * result. Datums CloudWatch would reject at `now` (older than two weeks, more than two hours
 * ahead) are left out of the batches and counted in `headline.metrics.outsideWindow`.
 */
export function buildResult(
  event: AnalyzeLogDataEvent,
  summary: FileSummary,
  config: AnalyzeHandlerConfig,
  /** Processing time, for CloudWatch's accepted timestamp window; null keeps every datum. */
  now: Date | null,
): AnalyzeLogDataResult {
  const item = toSummaryItem(summary, event.date, { bucket: event.bucket, ttlDays: config.summaryTtlDays });
  // the item is the bulk of the result and the same for every option: measure it once
  const itemBytes = Buffer.byteLength(`,"item":${JSON.stringify(item)}`, 'utf8');
  const fallbackTimestamp = new Date(`${event.date}T00:00:00Z`);
  for (const options of METRIC_FALLBACKS) {
    const data = toMetricData(summary, { ...options, fallbackTimestamp });
    const accepted = now ? data.filter((datum) => isTimestampAccepted(datum.Timestamp, now)) : data;
    const headline: AnalyzeLogDataResult['headline'] = {
      key: summary.file.key,
      format: summary.format,
      requests: summary.requests,
      bytes: summary.bytes,
      malformed: summary.lines.malformed,
      status: 'ANALYZED',
      metrics: { datums: accepted.length, outsideWindow: data.length - accepted.length },
    };
    const metricBatches = batchMetricData(accepted.map(toMetricDatumJson), config.metricNamespace);
    const bytes = itemBytes + Buffer.byteLength(JSON.stringify({ headline, metricBatches }), 'utf8');
    if (bytes <= RESULT_MAX_BYTES) return { headline, item, metricBatches };
  }
  throw new Error(`s3://${event.bucket}/${event.object.Key}: result exceeds ${RESULT_MAX_BYTES} bytes`);
}

/** Event and body in, result out: everything the handler does except fetching the object. */
export async function analyzeEvent(
  event: AnalyzeLogDataEvent,
  body: Readable,
  config: AnalyzeHandlerConfig,
  clock: Clock = systemClock,
): Promise<AnalyzeLogDataResult> {
  const summary = await analyzeLogBody(event, body);
  return buildResult(event, summary, config, clock());
}
