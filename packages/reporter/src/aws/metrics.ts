/** The day's headline metrics for CloudWatch. */
import { PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import {
  ConditionalCheckFailedException,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { batchMetricData, isTimestampAccepted, summaryExpiresAt } from '@logflow/analyzer';
import {
  DAILY_METRIC_NAMES,
  PUBLICATION_STATUS,
  SUMMARY_RECORD_ATTRIBUTES,
  SUMMARY_TABLE_KEYS,
  dailyMetricsRecordKey,
  type DailySummary,
  type MetricDatumCounts,
} from '@logflow/shared-types';

/** One data point per headline figure, stamped with the start of the day (UTC). */
export function dailyMetricData(daily: DailySummary): MetricDatum[] {
  const Timestamp = new Date(`${daily.date}T00:00:00.000Z`);
  const datum = (MetricName: string, Value: number, Unit: MetricDatum['Unit']): MetricDatum => ({
    MetricName,
    Timestamp,
    Value,
    Unit,
  });
  const data: MetricDatum[] = [
    datum(DAILY_METRIC_NAMES.requests, daily.requests, 'Count'),
    datum(DAILY_METRIC_NAMES.errors5xx, daily.statusClass['5xx'] ?? 0, 'Count'),
    datum(DAILY_METRIC_NAMES.errors4xx, daily.statusClass['4xx'] ?? 0, 'Count'),
    datum(DAILY_METRIC_NAMES.bytes, daily.bytes, 'Bytes'),
    datum(DAILY_METRIC_NAMES.uniqueClients, daily.uniqueClients.estimate, 'Count'),
    datum(DAILY_METRIC_NAMES.malformedLines, daily.lines.malformed, 'Count'),
    datum(DAILY_METRIC_NAMES.analyzedFiles, daily.files.analyzed, 'Count'),
    datum(DAILY_METRIC_NAMES.failedFiles, daily.files.failed.length, 'Count'),
  ];
  if (daily.latencyMs && daily.latencyMs.count > 0) {
    data.push(datum(DAILY_METRIC_NAMES.p50LatencyMs, daily.latencyMs.p50, 'Milliseconds'));
    data.push(datum(DAILY_METRIC_NAMES.p99LatencyMs, daily.latencyMs.p99, 'Milliseconds'));
  }
  return data;
}

/**
 * Publishes the day's metrics in batches within the PutMetricData limits. Returns the number of
 * datums sent and of those left out: all of them when CloudWatch would not accept the day's
 * timestamp at `now` (over two weeks old, or a day still ahead).
 */
export async function publishDailyMetrics(
  cloudwatch: CloudWatchClient,
  namespace: string,
  daily: DailySummary,
  now: Date,
): Promise<MetricDatumCounts> {
  const data = dailyMetricData(daily);
  if (!data.every((datum) => isTimestampAccepted(datum.Timestamp, now)))
    return { datums: 0, outsideWindow: data.length };
  for (const batch of batchMetricData(data, namespace)) {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: batch }));
  }
  return { datums: data.length, outsideWindow: 0 };
}

/**
 * The day's metrics, published at most once per day however often the day runs: a conditional
 * PutItem claims the day's metrics record (it fails when the record says PUBLISHED), the batch is
 * sent, and the record becomes PUBLISHED. A crash between the two leaves it PENDING, so the next
 * run sends the day's one request again. Returns the datums sent by this call, and those left
 * out as outside CloudWatch's window.
 */
export async function publishDailyMetricsOnce(
  clients: { cloudwatch: CloudWatchClient; dynamodb: DynamoDBClient },
  table: string,
  namespace: string,
  daily: DailySummary,
  now: Date,
): Promise<MetricDatumCounts> {
  const data = dailyMetricData(daily);
  if (!data.every((datum) => isTimestampAccepted(datum.Timestamp, now)))
    return { datums: 0, outsideWindow: data.length };
  const { pk, sk } = dailyMetricsRecordKey(daily.date);
  const Key = { [SUMMARY_TABLE_KEYS.partitionKey]: { S: pk }, [SUMMARY_TABLE_KEYS.sortKey]: { S: sk } };
  const status = SUMMARY_RECORD_ATTRIBUTES.status;
  try {
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          ...Key,
          [status]: { S: PUBLICATION_STATUS.pending },
          [SUMMARY_TABLE_KEYS.ttlAttribute]: { N: String(summaryExpiresAt(daily.date)) },
        },
        ConditionExpression: 'attribute_not_exists(#status) OR #status <> :published',
        ExpressionAttributeNames: { '#status': status },
        ExpressionAttributeValues: { ':published': { S: PUBLICATION_STATUS.published } },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return { datums: 0, outsideWindow: 0 };
    throw error;
  }
  const sent = await publishDailyMetrics(clients.cloudwatch, namespace, daily, now);
  await clients.dynamodb.send(
    new UpdateItemCommand({
      TableName: table,
      Key,
      UpdateExpression: 'SET #status = :published',
      ExpressionAttributeNames: { '#status': status },
      ExpressionAttributeValues: { ':published': { S: PUBLICATION_STATUS.published } },
    }),
  );
  return sent;
}
