/** The day's headline metrics for CloudWatch. */
import { PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { batchMetricData } from '@logflow/analyzer';
import type { DailySummary } from '@logflow/shared-types';
/** CloudWatch rejects data points older than two weeks. */
export const MAX_METRIC_AGE_MS = 14 * 86_400_000;

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
    datum('DailyRequests', daily.requests, 'Count'),
    datum('Daily5xxErrors', daily.statusClass['5xx'] ?? 0, 'Count'),
    datum('Daily4xxErrors', daily.statusClass['4xx'] ?? 0, 'Count'),
    datum('DailyBytes', daily.bytes, 'Bytes'),
    datum('DailyUniqueClients', daily.uniqueClients.estimate, 'Count'),
    datum('DailyMalformedLines', daily.lines.malformed, 'Count'),
    datum('AnalyzedFiles', daily.files.analyzed, 'Count'),
    datum('FailedFiles', daily.files.failed.length, 'Count'),
  ];
  if (daily.latencyMs && daily.latencyMs.count > 0) {
    data.push(datum('DailyP50LatencyMs', daily.latencyMs.p50, 'Milliseconds'));
    data.push(datum('DailyP99LatencyMs', daily.latencyMs.p99, 'Milliseconds'));
  }
  return data;
}

/**
 * Publishes the day's metrics in batches within the PutMetricData limits. Returns the number of
 * data points sent; 0 when the day is too old for CloudWatch to accept.
 */
export async function publishDailyMetrics(
  cloudwatch: CloudWatchClient,
  namespace: string,
  daily: DailySummary,
  now: Date,
): Promise<number> {
  const data = dailyMetricData(daily);
  const age = now.getTime() - Date.parse(`${daily.date}T00:00:00Z`);
  if (age > MAX_METRIC_AGE_MS - 3_600_000) return 0;
  for (const batch of batchMetricData(data, namespace)) {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: batch }));
  }
  return data.length;
}
