/** The day's headline metrics for CloudWatch. */
import { PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { batchMetricData, isTimestampAccepted } from '@logflow/analyzer';
import { DAILY_METRIC_NAMES, type DailySummary, type MetricDatumCounts } from '@logflow/shared-types';

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
