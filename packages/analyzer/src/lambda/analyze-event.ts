/**
 * The pure part of AnalyzeLogData: validate a batch event, analyse each object's byte stream,
 * and shape the result (per-object outcomes, the batch summary record, merged PutMetricData
 * batches) to fit a Step Functions payload.
 */
import type { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import {
  ANALYZER_VERSION,
  FILE_SUMMARY_VERSION,
  HANDLER_ENV,
  batchRecordKey,
  isDay,
  plainEtag,
  type AnalyzeLogDataEvent,
  type AnalyzeLogDataResult,
  type AnalyzeObjectItem,
  type DailyFileDetail,
  type FileOutcomeRecord,
  type FileRef,
  type FileSummary,
  type LogFormat,
  type SummaryCore,
  type FormatOptions,
  LOG_FORMATS,
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
import { DEFAULT_SUMMARY_TTL_DAYS, toBatchSummaryItem } from '../adapters/dynamodb.js';
import { mergeSummaries } from '../merge/merge.js';
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
  const fail = (field: string, want: string): never => {
    throw new InvalidAnalyzeEventError(`AnalyzeLogData event: field "${field}" must be ${want}`);
  };
  if (typeof event !== 'object' || event === null) fail('(event)', 'an object');
  const items = (event as { items?: unknown }).items;
  if (!Array.isArray(items)) return fail('items', 'a list of listed objects');
  items.forEach((raw: unknown, i) => {
    const e = raw as Partial<AnalyzeObjectItem> | null;
    const at = `items[${i}]`;
    if (typeof e !== 'object' || e === null) fail(at, 'an object');
    if (typeof e!.bucket !== 'string' || e!.bucket === '') fail(`${at}.bucket`, 'a bucket name');
    if (!isDay(e!.date)) fail(`${at}.date`, 'a YYYY-MM-DD date');
    if (typeof e!.object !== 'object' || e!.object === null) fail(`${at}.object`, 'an S3 list item');
    if (typeof e!.object!.Key !== 'string' || e!.object!.Key === '')
      fail(`${at}.object.Key`, 'an object key');
    if (typeof e!.publish !== 'boolean') fail(`${at}.publish`, 'true or false');
    if (e!.format !== undefined && e!.format !== null) validateFormatOptions(e!.format, `${at}.format`, fail);
  });
  return event as AnalyzeLogDataEvent;
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
export function fileRefOf(item: AnalyzeObjectItem): Omit<FileRef, 'gzip'> {
  const ref: Omit<FileRef, 'gzip'> = { key: item.object.Key, bucket: item.bucket };
  if (typeof item.object.Etag === 'string' && item.object.Etag !== '') ref.etag = plainEtag(item.object.Etag);
  if (typeof item.object.Size === 'number') ref.size = item.object.Size;
  return ref;
}

/**
 * Analyse `body` (the object's bytes, plain or gzip). Content errors (unrecognised format, corrupt
 * gzip) pass through; a failure of the stream itself becomes a retryable `LogObjectReadError`.
 */
export async function analyzeLogBody(event: AnalyzeObjectItem, body: Readable): Promise<FileSummary> {
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

/** Opens an object's bytes as a stream (GetObject in the handler). */
export type OpenObject = (bucket: string, key: string) => Promise<Readable>;

export interface AnalyzeBatchOptions {
  /** Time of analysis, for CloudWatch's accepted timestamp window; null keeps every datum. */
  now: Date | null;
  /** Objects streamed at once. Default 2: one parses while the next one's bytes arrive. */
  concurrency?: number;
  /** Waits before the retries of an object whose read failed in transit; default 0.5 s and 2 s. */
  readRetryDelaysMs?: readonly number[];
  /** How a retry waits (tests pass one that does not). */
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_READ_RETRY_DELAYS_MS = [500, 2000] as const;
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Cause text kept per failed object, so a batch of failures still fits a state payload. */
export const FAILED_CAUSE_MAX_CHARS = 500;

/** What analysing one object of the batch came to. */
type ObjectOutcome = { ok: true; summary: FileSummary } | { ok: false; error: string; cause: string };

/** Errors that concern the whole batch, not one object: the invocation fails and the workflow catches it. */
function isBatchError(error: unknown): boolean {
  return error instanceof HandlerConfigError || error instanceof InvalidAnalyzeEventError;
}

async function analyzeObject(
  item: AnalyzeObjectItem,
  open: OpenObject,
  options: AnalyzeBatchOptions,
): Promise<ObjectOutcome> {
  const delays = options.readRetryDelaysMs ?? DEFAULT_READ_RETRY_DELAYS_MS;
  const sleep = options.sleep ?? wait;
  for (let attempt = 0; ; attempt++) {
    try {
      const body = await open(item.bucket, item.object.Key);
      try {
        return { ok: true, summary: await analyzeLogBody(item, body) };
      } finally {
        body.destroy();
      }
    } catch (error) {
      if (isBatchError(error)) throw error;
      // only a read that failed in transit may go better a second time
      if (error instanceof LogObjectReadError && attempt < delays.length) {
        await sleep(delays[attempt]!);
        continue;
      }
      const e = error instanceof Error ? error : new Error(String(error));
      return {
        ok: false,
        error: e.name || 'Error',
        cause: (e.message || e.name).slice(0, FAILED_CAUSE_MAX_CHARS),
      };
    }
  }
}

/**
 * Runs `work` over `items` with at most `concurrency` at once and hands each result to `take` in
 * input order, holding only the results that finished ahead of their turn.
 */
async function inOrder<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
  take: (result: R, index: number) => void,
): Promise<void> {
  const done = new Map<number, R>();
  let next = 0;
  let turn = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      done.set(index, await work(items[index]!));
      while (done.has(turn)) {
        const result = done.get(turn)!;
        done.delete(turn);
        take(result, turn++);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/** Stable id of a set of object versions of a day: the same versions give the same id. */
export function versionSetId(
  date: string,
  versions: readonly { bucket: string; key: string; etag: string }[],
): string {
  const hash = createHash('sha256').update(JSON.stringify([date, ANALYZER_VERSION]));
  for (const v of versions) hash.update(JSON.stringify([v.bucket, v.key, v.etag]));
  return hash.digest('hex').slice(0, 40);
}

/** Summaries folded as they arrive: the whole batch, and per format what is to be published. */
class BatchFold {
  readonly details: DailyFileDetail[] = [];
  readonly analyzed: { bucket: string; key: string; etag: string }[] = [];
  readonly toPublish: { bucket: string; key: string; etag: string }[] = [];
  core: SummaryCore | undefined;
  readonly publishByFormat = new Map<LogFormat, SummaryCore>();
  publishAll: SummaryCore | undefined;

  add(item: AnalyzeObjectItem, summary: FileSummary): void {
    const version = { bucket: item.bucket, key: item.object.Key, etag: plainEtag(item.object.Etag ?? '') };
    this.analyzed.push(version);
    this.details.push({
      key: summary.file.key,
      format: summary.format,
      requests: summary.requests,
      bytes: summary.bytes,
      malformed: summary.lines.malformed,
      errors5xx: summary.statusClass['5xx'] ?? 0,
    });
    this.core = this.core ? mergeSummaries([this.core, summary]) : mergeSummaries([summary]);
    if (!item.publish) return;
    this.toPublish.push(version);
    this.publishAll = this.publishAll
      ? mergeSummaries([this.publishAll, summary])
      : mergeSummaries([summary]);
    const prior = this.publishByFormat.get(summary.format);
    this.publishByFormat.set(
      summary.format,
      prior ? mergeSummaries([prior, summary]) : mergeSummaries([summary]),
    );
  }
}

/**
 * Analyse one batch: every object is streamed and summarised (a few at once), each object's
 * failure is recorded against that object only, and the batch comes back as one merged summary
 * record plus the merged metrics of the objects still to be published.
 */
export async function analyzeBatch(
  event: AnalyzeLogDataEvent,
  open: OpenObject,
  config: AnalyzeHandlerConfig,
  options: AnalyzeBatchOptions,
): Promise<AnalyzeLogDataResult> {
  const fold = new BatchFold();
  const files: FileOutcomeRecord[] = [];
  await inOrder(
    event.items,
    options.concurrency ?? 2,
    (item) => analyzeObject(item, open, options),
    (outcome, index) => {
      const item = event.items[index]!;
      if (outcome.ok) {
        fold.add(item, outcome.summary);
        files.push({ key: item.object.Key, etag: plainEtag(item.object.Etag ?? ''), status: 'ANALYZED' });
      } else {
        files.push({
          key: item.object.Key,
          status: 'FAILED',
          state: 'AnalyzeLogData',
          error: outcome.error,
          cause: outcome.cause,
        });
      }
    },
  );
  return buildBatchResult(event, files, fold, config, options.now);
}

/**
 * Metric options from finest to coarsest: the first whose result fits `RESULT_MAX_BYTES` wins.
 * Time resolution goes first, then the per-format series, then distribution resolution.
 */
const METRIC_FALLBACKS: readonly {
  maxTimelineBuckets?: number;
  perFormat: boolean;
  maxDistributionValues?: number;
}[] = [
  { perFormat: true },
  { maxTimelineBuckets: 720, perFormat: true },
  { maxTimelineBuckets: 288, perFormat: true },
  { maxTimelineBuckets: 96, perFormat: true },
  { maxTimelineBuckets: 24, perFormat: true },
  { maxTimelineBuckets: 6, perFormat: true },
  { maxTimelineBuckets: 1, perFormat: true },
  { maxTimelineBuckets: 1, perFormat: false },
  { maxTimelineBuckets: 1, perFormat: false, maxDistributionValues: 150 },
  { maxTimelineBuckets: 1, perFormat: false, maxDistributionValues: 20 },
];

/**
 * The datums of merged summaries: the fleet-wide series from everything to publish, and one
 * `Format` series per log format. For a batch of one object these are that object's datums.
 */
function batchMetricDatums(
  fold: BatchFold,
  options: Omit<MetricDataOptions, 'dimensionSets'>,
  perFormat: boolean,
): MetricDatum[] {
  if (!fold.publishAll) return [];
  const asFile = (core: SummaryCore, format: LogFormat): FileSummary =>
    ({ ...core, version: FILE_SUMMARY_VERSION, file: { key: '', gzip: false }, format }) as FileSummary;
  const data = toMetricData(asFile(fold.publishAll, 'combined'), { ...options, dimensionSets: [[]] });
  if (perFormat) {
    for (const [format, core] of [...fold.publishByFormat].sort(([a], [b]) => (a < b ? -1 : 1))) {
      data.push(
        ...toMetricData(asFile(core, format), {
          ...options,
          dimensionSets: [[{ Name: 'Format', Value: format }]],
        }),
      );
    }
  }
  return data;
}

/**
 * Shape the handler result for one batch. Deterministic: same outcomes and `now`, same result.
 * Datums CloudWatch would reject at `now` (older than two weeks, more than two hours ahead) are
 * left out of the batches and counted in `publication.outsideWindow`.
 */
function buildBatchResult(
  event: AnalyzeLogDataEvent,
  files: FileOutcomeRecord[],
  fold: BatchFold,
  config: AnalyzeHandlerConfig,
  now: Date | null,
): AnalyzeLogDataResult {
  const date = event.items[0]?.date ?? '';
  const summaryId = fold.core ? versionSetId(date, fold.analyzed) : null;
  const item =
    fold.core && summaryId
      ? toBatchSummaryItem({ core: fold.core, details: fold.details }, date, summaryId, {
          ttlDays: config.summaryTtlDays,
        })
      : null;
  const summaryKey = item ? batchRecordKey(date, summaryId!).sk : null;
  const fixedBytes = Buffer.byteLength(JSON.stringify({ files, item, summaryKey }), 'utf8');
  const objects = fold.toPublish.map(({ key, etag }) => ({ key, etag }));
  const id = versionSetId(date, fold.toPublish);
  const fallbackTimestamp = date ? new Date(`${date}T00:00:00Z`) : undefined;
  for (const { perFormat, ...options } of METRIC_FALLBACKS) {
    const data = batchMetricDatums(
      fold,
      { ...options, ...(fallbackTimestamp ? { fallbackTimestamp } : {}) },
      perFormat,
    );
    const accepted = now ? data.filter((datum) => isTimestampAccepted(datum.Timestamp, now)) : data;
    const metricBatches = batchMetricData(accepted.map(toMetricDatumJson), config.metricNamespace);
    const publication = {
      id,
      objects,
      datums: accepted.length,
      outsideWindow: data.length - accepted.length,
    };
    const bytes = fixedBytes + Buffer.byteLength(JSON.stringify({ publication, metricBatches }), 'utf8');
    if (bytes <= RESULT_MAX_BYTES) return { files, item, summaryKey, publication, metricBatches };
  }
  throw new Error(
    `batch of ${event.items.length} objects (first ${event.items[0]?.object.Key ?? '-'}): result exceeds ${RESULT_MAX_BYTES} bytes`,
  );
}
