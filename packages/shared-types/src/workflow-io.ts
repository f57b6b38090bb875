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

/** Payload of the AnalyzeLogData Lambda. */
export interface AnalyzeLogDataEvent {
  bucket: string;
  date: string;
  object: S3ListItem;
  /** How to read the object; detected when absent or null. */
  format?: FormatOptions | null;
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

/**
 * Result of the AnalyzeLogData Lambda. Its serialized size stays under 250 KiB so it fits a
 * Step Functions payload (256 KiB): the full summary travels once, inside `item`.
 */
export interface AnalyzeLogDataResult {
  /** Headline of the file, kept in the Map results exported by ExportResults. */
  headline: {
    key: string;
    format: string;
    requests: number;
    bytes: number;
    malformed: number;
    status: 'ANALYZED';
    /** CloudWatch datums handed to StoreMetrics, and those left out at the time of analysis. */
    metrics: MetricDatumCounts;
  };
  /** The DynamoDB item for StoreSummary (`toSummaryItem`). */
  item: DynamoItem;
  /** PutMetricData requests for StoreMetrics, each within the API's limits. */
  metricBatches: MetricDatumJson[][];
}

/** What the Catch of AnalyzeLogData records for a file that failed. */
export interface FailedFileRecord {
  key: string;
  status: 'FAILED';
  error: string;
  cause?: string;
}

/** Payload of the GenerateDailySummary Lambda. */
export interface GenerateDailySummaryEvent {
  date: string;
  /** Where ExportResults wrote the Map results (the ResultWriter manifest). */
  resultWriterDetails?: { Bucket: string; Key: string };
}

export type { FileSummary };
