import type { FileSummary, LogFormat } from './summary.js';

/** Unit of a JSON latency field. */
export type LatencyUnit = 's' | 'ms' | 'us' | 'ns';

/** Names (dotted for nested objects) of the JSON fields to read; unset ones use the defaults. */
export interface JsonFieldMapping {
  time?: string;
  method?: string;
  /** A path, URI or URL; a full request line (`GET /x HTTP/1.1`) also works. */
  path?: string;
  status?: string;
  bytes?: string;
  latency?: string;
  /** Unit of the `latency` field; defaults to `ms`. */
  latencyUnit?: LatencyUnit;
  client?: string;
  userAgent?: string;
}

/**
 * How to read a log file: one of a preset, an nginx `log_format`, an Apache `LogFormat` or a JSON
 * field mapping (the first of these set, in that order of precedence: `logFormat`,
 * `apacheFormat`, `format`, `jsonFields`); none detects the format.
 */
export interface FormatOptions {
  /** A preset name (`logflow formats` lists them). */
  format?: LogFormat;
  /** An nginx `log_format` string, e.g. `$remote_addr - $remote_user [$time_local] "$request" …`. */
  logFormat?: string;
  /** An Apache `LogFormat` string, e.g. `%h %l %u %t "%r" %>s %b %D`. */
  apacheFormat?: string;
  /** JSON field names (with or instead of `format: 'jsonl'`). */
  jsonFields?: JsonFieldMapping;
  /** Count the first public address of X-Forwarded-For as the client, where the format logs it. */
  clientFromForwardedFor?: boolean;
}

/**
 * CloudWatch datums sent, and those left out because CloudWatch rejects timestamps older than
 * two weeks or more than two hours ahead of the time they are sent.
 */
export interface MetricDatumCounts {
  datums: number;
  outsideWindow: number;
}

/** Execution input of the daily state machine. */
export interface DailyRunInput {
  /** The day being processed, `YYYY-MM-DD`. */
  date: string;
  /** Input bucket holding the access logs. */
  bucket: string;
  /** Key prefix listed by `ProcessLogsUnderPrefix`, e.g. `logs/2026/11/22/`. */
  prefix: string;
  /** How to read the prefix's objects; detected per file when absent. */
  format?: FormatOptions;
}

/** One item of the S3 `listObjectsV2` ItemReader, as Step Functions delivers it (`Etag`, not `ETag`). */
export interface S3ListItem {
  Key: string;
  Size: number;
  Etag: string;
  /** Epoch seconds, as the listObjectsV2 ItemReader delivers it. */
  LastModified: number;
  StorageClass: string;
}

/** One listed object of a batch, as the Distributed Map's ItemSelector shapes it. */
export interface AnalyzeObjectItem {
  bucket: string;
  date: string;
  object: S3ListItem;
  /**
   * Whether this object version's metrics are still to be published (ClaimObject wrote its
   * record as PENDING); false when an earlier run published them.
   */
  publish: boolean;
  /** How to read the object; detected when absent or null. */
  format?: FormatOptions | null;
}

/** Payload of the AnalyzeLogData Lambda: one batch of objects of the day. */
export interface AnalyzeLogDataEvent {
  items: AnalyzeObjectItem[];
}

/**
 * One CloudWatch metric datum, as `aws-sdk:cloudwatch:putMetricData` takes it from a state
 * payload (`Timestamp` in ISO-8601).
 */
export interface MetricDatumJson {
  MetricName: string;
  Dimensions?: { Name: string; Value: string }[];
  Timestamp?: string;
  Value?: number;
  Values?: number[];
  Counts?: number[];
  StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
  Unit?: string;
  StorageResolution?: number;
}

/** DynamoDB item in the low-level attribute-value form that `dynamodb:putItem` takes. */
export type DynamoItem = Record<string, { S: string } | { N: string }>;

/** An object of the batch that was analysed (its numbers are in the batch summary record). */
export interface AnalyzedFileRecord {
  key: string;
  /** ETag without quotes. */
  etag: string;
  status: 'ANALYZED';
}

/** A file the workflow could not analyse, store or publish, as the per-batch chain records it. */
export interface FailedFileRecord {
  key: string;
  status: 'FAILED';
  /** The state the file failed in: `ClaimObject`, `AnalyzeLogData`, `StoreSummary`, `StoreMetrics`, ... */
  state: string;
  error: string;
  cause?: string;
}

export type FileOutcomeRecord = AnalyzedFileRecord | FailedFileRecord;

/**
 * Result of the AnalyzeLogData Lambda for one batch. Its serialized size stays under 250 KiB so it
 * fits a Step Functions payload (256 KiB).
 */
export interface AnalyzeLogDataResult {
  /** Every object of the batch, in input order. */
  files: FileOutcomeRecord[];
  /** The batch summary record for StoreSummary; null when no object of the batch was analysed. */
  item: DynamoItem | null;
  /** Sort key of `item`: the report reads the batch's numbers by it. */
  summaryKey: string | null;
  /**
   * The objects whose metrics `metricBatches` carry (analysed, still to be published), merged
   * into one set of datums; `id` names the publication's progress record.
   */
  publication: {
    id: string;
    objects: { key: string; etag: string }[];
  } & MetricDatumCounts;
  /** PutMetricData requests for StoreMetrics, each within the API's limits. */
  metricBatches: MetricDatumJson[][];
}

/**
 * What one child execution of ProcessLogsUnderPrefix (one batch) returns, as the ResultWriter
 * exports it: where the batch's summary is, how many of its objects it holds, and every failure.
 */
export interface BatchOutcome {
  /** Sort key of the batch summary record in the day's partition; null when nothing is to merge. */
  summaryKey: string | null;
  analyzed: number;
  failed: FailedFileRecord[];
}

/** Payload of the GenerateDailySummary Lambda. */
export interface GenerateDailySummaryEvent {
  date: string;
  /** Where ExportResults wrote the Map results (the ResultWriter manifest). */
  resultWriterDetails?: { Bucket: string; Key: string };
  /**
   * Publish the day's own metrics: the workflow sets it when it claimed them (ClaimDailyMetrics),
   * so they are published once per day. Absent or false (a re-render), nothing is published.
   */
  publishMetrics?: boolean;
}

export type { FileSummary };
