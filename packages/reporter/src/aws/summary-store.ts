/** Reading a day's file summaries back from the summary table. */
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { fromSummaryItem } from '@logflow/analyzer';
import type { FileSummary } from '@logflow/shared-types';
import { SUMMARY_TABLE_KEYS, summaryItemKey } from '@logflow/shared-types';

/**
 * The file summaries stored for `date`, one page at a time: one Query on the day's partition,
 * followed page by page (DynamoDB returns at most 1 MB per page) in sort-key order. Consistent
 * reads, so summaries written moments ago by the workflow are seen.
 */
export async function* daySummaryPages(
  dynamodb: DynamoDBClient,
  table: string,
  date: string,
): AsyncGenerator<FileSummary[]> {
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
    yield (page.Items ?? []).map((item) => fromSummaryItem(item));
    startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (startKey);
}

/** Every file summary stored for `date`, all pages collected. */
export async function queryDaySummaries(
  dynamodb: DynamoDBClient,
  table: string,
  date: string,
): Promise<FileSummary[]> {
  const summaries: FileSummary[] = [];
  for await (const page of daySummaryPages(dynamodb, table, date)) summaries.push(...page);
  return summaries;
}
