/** Reading a day's batch summary records back from the summary table. */
import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  type KeysAndAttributes,
} from '@aws-sdk/client-dynamodb';
import { fromBatchSummaryItem, type BatchSummary } from '@logflow/analyzer';
import type { FailedFile } from '@logflow/shared-types';
import { SUMMARY_TABLE_KEYS, summaryItemKey } from '@logflow/shared-types';

/** One page of batch summaries: those read, and records that are missing or could not be read. */
export interface BatchSummaryPage {
  batches: BatchSummary[];
  /** Reported as failed (keyed by the record's sort key) so the rest of the day still counts. */
  unreadable: FailedFile[];
}

/** BatchGetItem takes at most 100 keys. */
const KEYS_PER_REQUEST = 100;
/** Rounds of UnprocessedKeys (throttling) before the report fails rather than drops a record. */
const MAX_UNPROCESSED_ROUNDS = 8;

/**
 * The batch summary records named by `sortKeys`, 100 per BatchGetItem, one page per request, so a
 * day of many batches is folded page by page. Consistent reads: the records were written moments
 * ago by the workflow. Keys DynamoDB leaves unprocessed are asked for again with backoff.
 */
export async function* batchSummaryPages(
  dynamodb: DynamoDBClient,
  table: string,
  date: string,
  sortKeys: readonly string[],
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): AsyncGenerator<BatchSummaryPage> {
  const { pk } = summaryItemKey(date, '', '');
  const unique = [...new Set(sortKeys)].sort();
  for (let i = 0; i < unique.length; i += KEYS_PER_REQUEST) {
    const wanted = unique.slice(i, i + KEYS_PER_REQUEST);
    const found = new Map<string, Record<string, unknown>>();
    let request: KeysAndAttributes | undefined = {
      Keys: wanted.map((sk) => ({
        [SUMMARY_TABLE_KEYS.partitionKey]: { S: pk },
        [SUMMARY_TABLE_KEYS.sortKey]: { S: sk },
      })),
      ConsistentRead: true,
    };
    for (let round = 0; request?.Keys?.length; round++) {
      if (round > MAX_UNPROCESSED_ROUNDS) {
        throw new Error(`${table}: DynamoDB left ${request.Keys.length} batch summaries unprocessed`);
      }
      if (round > 0) await sleep(Math.min(5000, 100 * 2 ** round));
      const response: BatchGetItemCommandOutput = await dynamodb.send(
        new BatchGetItemCommand({ RequestItems: { [table]: request } }),
      );
      for (const item of response.Responses?.[table] ?? []) {
        const sk = (item[SUMMARY_TABLE_KEYS.sortKey] as { S?: string } | undefined)?.S;
        if (sk) found.set(sk, item);
      }
      request = response.UnprocessedKeys?.[table];
    }
    const page: BatchSummaryPage = { batches: [], unreadable: [] };
    for (const sk of wanted) {
      const item = found.get(sk);
      if (!item) {
        page.unreadable.push({
          key: sk,
          error: 'MissingSummaryRecord',
          cause: `the Map results name ${sk} but ${table} has no such record (expired or deleted)`,
        });
        continue;
      }
      try {
        page.batches.push(fromBatchSummaryItem(item));
      } catch (error) {
        const { name, message } = error as Error;
        page.unreadable.push({ key: sk, error: name || 'InvalidSummaryItemError', cause: message });
      }
    }
    yield page;
  }
}
