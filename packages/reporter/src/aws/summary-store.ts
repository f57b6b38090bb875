/** Reading a day's file summaries back from the summary table. */
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { fromSummaryItem } from '@logflow/analyzer';
import type { FailedFile, FileSummary } from '@logflow/shared-types';
import { SUMMARY_TABLE_KEYS, summaryItemKey, summaryItemObject } from '@logflow/shared-types';

/** One page of a day's summary items: the summaries read, and items that could not be read. */
export interface SummaryPage {
  summaries: FileSummary[];
  /** Items `fromSummaryItem` rejected, reported as failed files so the rest of the day still counts. */
  unreadable: FailedFile[];
}

/** The object key an item's sort key names, for reporting an item that could not be read. */
function objectKeyOf(item: Record<string, unknown>): string {
  const sk = (item[SUMMARY_TABLE_KEYS.sortKey] as { S?: unknown } | undefined)?.S;
  if (typeof sk !== 'string') return '(summary item without a sort key)';
  return summaryItemObject(sk)?.key ?? sk;
}

/**
 * The file summaries stored for `date`, one page at a time: one Query on the day's partition,
 * followed page by page (DynamoDB returns at most 1 MB per page) in sort-key order. Consistent
 * reads, so summaries written moments ago by the workflow are seen.
 */
export async function* daySummaryPages(
  dynamodb: DynamoDBClient,
  table: string,
  date: string,
): AsyncGenerator<SummaryPage> {
  const { pk } = summaryItemKey(date, '', '');
  let startKey: Record<string, never> | undefined;
  do {
    const page = await dynamodb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: {
          '#pk': SUMMARY_TABLE_KEYS.partitionKey,
          '#sk': SUMMARY_TABLE_KEYS.sortKey,
          '#s': 'summary',
        },
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ProjectionExpression: '#pk, #sk, #s',
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    const result: SummaryPage = { summaries: [], unreadable: [] };
    for (const item of page.Items ?? []) {
      try {
        result.summaries.push(fromSummaryItem(item));
      } catch (error) {
        const { name, message } = error as Error;
        result.unreadable.push({
          key: objectKeyOf(item),
          error: name || 'InvalidSummaryItemError',
          cause: message,
        });
      }
    }
    yield result;
    startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (startKey);
}

/** Every file summary stored for `date`, all pages collected. */
export async function queryDaySummaries(
  dynamodb: DynamoDBClient,
  table: string,
  date: string,
): Promise<SummaryPage> {
  const all: SummaryPage = { summaries: [], unreadable: [] };
  for await (const page of daySummaryPages(dynamodb, table, date)) {
    all.summaries.push(...page.summaries);
    all.unreadable.push(...page.unreadable);
  }
  return all;
}
