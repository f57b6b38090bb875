/**
 * One source of resource names, shared by the Terraform stack and local runs so that both
 * create and address the same things.
 */
export interface ResourceNameOptions {
  /** Lowercase name prefix, e.g. `logflow`. */
  prefix?: string;
  /** Environment name, e.g. `prod`, `dev`, `local`. */
  environment?: string;
}

export interface ResourceNames {
  inputBucket: string;
  resultBucket: string;
  summaryTable: string;
  metricNamespace: string;
  analyzerFunction: string;
  reporterFunction: string;
  stateMachine: string;
}

export const DEFAULT_NAME_PREFIX = 'logflow';
export const DEFAULT_ENVIRONMENT = 'local';

/** DynamoDB key attributes of the summary table. */
export const SUMMARY_TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch-seconds attribute DynamoDB TTL expires items by. */
  ttlAttribute: 'expiresAt',
} as const;

/**
 * The summary table as DynamoDB's CreateTable takes it (string keys, on-demand billing): the
 * schema local runs and tests create, and the one the Terraform stack deploys.
 */
export function summaryTableDefinition(tableName: string) {
  const { partitionKey, sortKey } = SUMMARY_TABLE_KEYS;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' as const },
      { AttributeName: sortKey, KeyType: 'RANGE' as const },
    ],
    AttributeDefinitions: [
      { AttributeName: partitionKey, AttributeType: 'S' as const },
      { AttributeName: sortKey, AttributeType: 'S' as const },
    ],
  };
}

/** Key prefixes in the result bucket. */
export const RESULT_PREFIXES = {
  /** ResultWriter output of ProcessLogsUnderPrefix: `results/<date>/<mapRunId>/...`. */
  results: 'results/',
  /** Daily report objects: `reports/<date>/summary.{json,md,html}`. */
  reports: 'reports/',
} as const;

export function resourceNames(options: ResourceNameOptions = {}): ResourceNames {
  const prefix = options.prefix ?? DEFAULT_NAME_PREFIX;
  const env = options.environment ?? DEFAULT_ENVIRONMENT;
  if (!/^[a-z][a-z0-9-]{1,30}$/.test(prefix)) throw new Error(`invalid name prefix "${prefix}"`);
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(env)) throw new Error(`invalid environment name "${env}"`);
  const base = `${prefix}-${env}`;
  return {
    inputBucket: `${base}-logs`,
    resultBucket: `${base}-results`,
    summaryTable: `${base}-summaries`,
    metricNamespace: `Logflow/${env}`,
    analyzerFunction: `${base}-analyze-log-data`,
    reporterFunction: `${base}-generate-daily-summary`,
    stateMachine: `${base}-daily-logs`,
  };
}

/** Whether `value` is a calendar day written `YYYY-MM-DD` (UTC); `2026-02-30` is not one. */
export function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  // Date.parse accepts any day up to 31 in every month; the round trip rejects those that do not exist.
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** The key prefix of one day's logs in the input bucket: `logs/YYYY/MM/DD/`. */
export function dayPrefix(date: string, root = 'logs/'): string {
  if (!isDay(date)) throw new Error(`invalid date "${date}", expected YYYY-MM-DD`);
  return `${root}${date.replaceAll('-', '/')}/`;
}

/**
 * Key of an object version record: one partition per day, one sort key per object. The record
 * holds the version last claimed for publication (ETag, analyzer version) and its status.
 */
export function summaryItemKey(date: string, bucket: string, key: string): { pk: string; sk: string } {
  return { pk: `DAY#${date}`, sk: `FILE#s3://${bucket}/${key}` };
}

/**
 * Version of the analysis, part of an object version `(bucket, key, ETag, analyzer version)`:
 * bumped whenever the analyzer computes different numbers from the same bytes, so that a new
 * analysis publishes its metrics again while a rerun of the same one does not.
 */
export const ANALYZER_VERSION = '1';

/** `status` of an object version record: claimed for publication, or every metric batch sent. */
export const PUBLICATION_STATUS = { pending: 'PENDING', published: 'PUBLISHED' } as const;

/**
 * Key of a batch summary record: the merged summary of the objects one AnalyzeLogData
 * invocation analysed, named by a hash of their versions so a batch of other objects (or other
 * versions) never reuses it.
 */
export function batchRecordKey(date: string, id: string): { pk: string; sk: string } {
  return { pk: `DAY#${date}`, sk: `BATCH#${id}` };
}

/** An ETag as S3 lists it (`"abc"`) or as an SDK returns it, without its quotes. */
export function plainEtag(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}

/** The object a summary item's sort key names (the inverse of `summaryItemKey`'s `sk`). */
export function summaryItemObject(sk: string): { bucket: string; key: string } | undefined {
  const m = /^FILE#s3:\/\/([^/]*)\/(.*)$/s.exec(sk);
  return m ? { bucket: m[1]!, key: m[2]! } : undefined;
}

/** Environment variables the Lambda handlers read their resource names from. */
export const HANDLER_ENV = {
  summaryTable: 'LOGFLOW_SUMMARY_TABLE',
  resultBucket: 'LOGFLOW_RESULT_BUCKET',
  metricNamespace: 'LOGFLOW_METRIC_NAMESPACE',
  /** Days a summary item lives before DynamoDB TTL removes it. */
  summaryTtlDays: 'LOGFLOW_SUMMARY_TTL_DAYS',
} as const;
