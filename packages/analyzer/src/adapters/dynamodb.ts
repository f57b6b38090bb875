import {
  FILE_SUMMARY_VERSION,
  LOG_FORMATS,
  SUMMARY_TABLE_KEYS,
  summaryItemKey,
  type DynamoItem,
  type FileSummary,
  isDay,
} from '@logflow/shared-types';

/** DynamoDB's item size limit. */
export const DYNAMO_ITEM_MAX_BYTES = 400 * 1024;
export const DEFAULT_SUMMARY_TTL_DAYS = 90;

export interface SummaryItemOptions {
  /** Bucket the object was read from (part of the sort key). */
  bucket: string;
  /** Days the item lives after the end of `date` before DynamoDB TTL removes it. */
  ttlDays?: number;
}

/**
 * The summary table item of one file: pk `DAY#<date>`, sk `FILE#s3://bucket/key`, the headline
 * as top-level attributes and the whole `FileSummary` as JSON. The item is a pure function of its
 * inputs (the expiry counts from the day, not from now), so re-analysing a file overwrites its item
 * with the same content.
 */
export function toSummaryItem(summary: FileSummary, date: string, options: SummaryItemOptions): DynamoItem {
  const ttlDays = options.ttlDays ?? DEFAULT_SUMMARY_TTL_DAYS;
  if (!Number.isInteger(ttlDays) || ttlDays <= 0) throw new Error(`invalid summary TTL of ${ttlDays} days`);
  if (!isDay(date)) throw new Error(`invalid date "${date}", expected YYYY-MM-DD`);
  const dayStartMs = Date.parse(`${date}T00:00:00Z`);
  const { pk, sk } = summaryItemKey(date, options.bucket, summary.file.key);
  const expiresAt = Math.floor(dayStartMs / 1000) + (ttlDays + 1) * 86_400;
  return {
    [SUMMARY_TABLE_KEYS.partitionKey]: { S: pk },
    [SUMMARY_TABLE_KEYS.sortKey]: { S: sk },
    date: { S: date },
    bucket: { S: options.bucket },
    key: { S: summary.file.key },
    format: { S: summary.format },
    version: { N: String(summary.version) },
    requests: { N: String(summary.requests) },
    bytes: { N: String(summary.bytes) },
    malformed: { N: String(summary.lines.malformed) },
    summary: { S: JSON.stringify(summary) },
    [SUMMARY_TABLE_KEYS.ttlAttribute]: { N: String(expiresAt) },
  };
}

/** DynamoDB's item size: attribute names plus values (UTF-8 strings, numbers roughly 1 byte per 2 digits). */
export function dynamoItemSize(item: DynamoItem): number {
  let n = 0;
  for (const [name, value] of Object.entries(item)) {
    n += Buffer.byteLength(name);
    n += 'S' in value ? Buffer.byteLength(value.S) : Math.ceil(value.N.length / 2) + 1;
  }
  return n;
}

export class InvalidSummaryItemError extends Error {
  override readonly name = 'InvalidSummaryItemError';
}

/** Read the `FileSummary` back from a summary item, rejecting versions and shapes it does not know. */
export function fromSummaryItem(item: Record<string, unknown>): FileSummary {
  const where = describeItem(item);
  const attr = item.summary as { S?: unknown } | undefined;
  if (typeof attr?.S !== 'string')
    throw new InvalidSummaryItemError(`${where}: missing string attribute "summary"`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(attr.S);
  } catch (e) {
    throw new InvalidSummaryItemError(`${where}: attribute "summary" is not JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw new InvalidSummaryItemError(`${where}: summary is not an object`);
  const s = parsed as Partial<FileSummary>;
  if (s.version !== FILE_SUMMARY_VERSION) {
    throw new InvalidSummaryItemError(`${where}: unsupported summary version ${JSON.stringify(s.version)}`);
  }
  if (typeof s.file?.key !== 'string')
    throw new InvalidSummaryItemError(`${where}: summary field "file.key" missing`);
  if (!LOG_FORMATS.includes(s.format as never)) {
    throw new InvalidSummaryItemError(`${where}: unknown summary format ${JSON.stringify(s.format)}`);
  }
  for (const field of [
    'lines',
    'status',
    'statusClass',
    'methods',
    'uniqueClients',
    'topPaths',
    'topClients',
    'topUserAgents',
  ] as const) {
    if (typeof s[field] !== 'object' || s[field] === null) {
      throw new InvalidSummaryItemError(`${where}: summary field "${field}" missing`);
    }
  }
  if (typeof s.requests !== 'number')
    throw new InvalidSummaryItemError(`${where}: summary field "requests" missing`);
  return s as FileSummary;
}

function describeItem(item: Record<string, unknown>): string {
  const key = (name: string): string => {
    const v = item[name] as { S?: unknown } | undefined;
    return typeof v?.S === 'string' ? v.S : '?';
  };
  return `summary item ${key(SUMMARY_TABLE_KEYS.partitionKey)} ${key(SUMMARY_TABLE_KEYS.sortKey)}`;
}
