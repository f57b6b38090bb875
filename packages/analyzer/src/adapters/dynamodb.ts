import {
  ANALYZER_VERSION,
  FILE_SUMMARY_VERSION,
  SUMMARY_TABLE_KEYS,
  batchRecordKey,
  type DailyFileDetail,
  type DynamoItem,
  type SummaryCore,
  isDay,
} from '@logflow/shared-types';

/** DynamoDB's item size limit. */
export const DYNAMO_ITEM_MAX_BYTES = 400 * 1024;
export const DEFAULT_SUMMARY_TTL_DAYS = 90;

export interface SummaryItemOptions {
  /** Days the item lives after the end of `date` before DynamoDB TTL removes it. */
  ttlDays?: number;
}

/** Epoch seconds at which DynamoDB TTL removes a record of `date`: counted from the day, not from now. */
export function summaryExpiresAt(date: string, ttlDays = DEFAULT_SUMMARY_TTL_DAYS): number {
  if (!Number.isInteger(ttlDays) || ttlDays <= 0) throw new Error(`invalid summary TTL of ${ttlDays} days`);
  if (!isDay(date)) throw new Error(`invalid date "${date}", expected YYYY-MM-DD`);
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000) + (ttlDays + 1) * 86_400;
}

/** What a batch summary record holds: the merged numbers and one headline per object. */
export interface BatchSummary {
  core: SummaryCore;
  /** One headline per analysed object of the batch, in the batch's order. */
  details: DailyFileDetail[];
}

/**
 * The batch summary record: pk `DAY#<date>`, sk `BATCH#<id>`, the merged `SummaryCore` and the
 * objects' headlines as JSON. A pure function of its inputs, so a rerun of the same batch
 * writes the same item.
 */
export function toBatchSummaryItem(
  batch: BatchSummary,
  date: string,
  id: string,
  options: SummaryItemOptions = {},
): DynamoItem {
  const { pk, sk } = batchRecordKey(date, id);
  return {
    [SUMMARY_TABLE_KEYS.partitionKey]: { S: pk },
    [SUMMARY_TABLE_KEYS.sortKey]: { S: sk },
    date: { S: date },
    version: { N: String(FILE_SUMMARY_VERSION) },
    analyzer: { S: ANALYZER_VERSION },
    files: { N: String(batch.details.length) },
    requests: { N: String(batch.core.requests) },
    summary: { S: JSON.stringify(batch.core) },
    details: { S: JSON.stringify(batch.details) },
    [SUMMARY_TABLE_KEYS.ttlAttribute]: { N: String(summaryExpiresAt(date, options.ttlDays)) },
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

/** Read a batch summary record back, rejecting versions and shapes it does not know. */
export function fromBatchSummaryItem(item: Record<string, unknown>): BatchSummary {
  const where = describeItem(item);
  const text = (name: string): string => {
    const attr = item[name] as { S?: unknown } | undefined;
    if (typeof attr?.S !== 'string')
      throw new InvalidSummaryItemError(`${where}: missing string attribute "${name}"`);
    return attr.S;
  };
  const version = (item.version as { N?: unknown } | undefined)?.N;
  if (version !== String(FILE_SUMMARY_VERSION)) {
    throw new InvalidSummaryItemError(`${where}: unsupported summary version ${JSON.stringify(version)}`);
  }
  const parse = (name: string): unknown => {
    try {
      return JSON.parse(text(name));
    } catch (e) {
      if (e instanceof InvalidSummaryItemError) throw e;
      throw new InvalidSummaryItemError(
        `${where}: attribute "${name}" is not JSON (${(e as Error).message})`,
      );
    }
  };
  const core = parse('summary');
  if (typeof core !== 'object' || core === null)
    throw new InvalidSummaryItemError(`${where}: summary is not an object`);
  const s = core as Partial<SummaryCore>;
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
  const details = parse('details');
  if (!Array.isArray(details) || details.some((d) => typeof (d as { key?: unknown })?.key !== 'string')) {
    throw new InvalidSummaryItemError(`${where}: attribute "details" is not a list of file headlines`);
  }
  return { core: s as SummaryCore, details: details as DailyFileDetail[] };
}

function describeItem(item: Record<string, unknown>): string {
  const key = (name: string): string => {
    const v = item[name] as { S?: unknown } | undefined;
    return typeof v?.S === 'string' ? v.S : '?';
  };
  return `summary item ${key(SUMMARY_TABLE_KEYS.partitionKey)} ${key(SUMMARY_TABLE_KEYS.sortKey)}`;
}
