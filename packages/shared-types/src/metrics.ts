/**
 * CloudWatch metric names logflow publishes in the namespace `resourceNames().metricNamespace`.
 * Alarms and dashboards refer to the same names.
 */

/**
 * Per-file series from AnalyzeLogData's metric batches (StoreMetrics), stamped with the logs'
 * own times; each is published without dimensions and with a `Format` dimension.
 */
export const FILE_METRIC_NAMES = {
  requests: 'Requests',
  errors5xx: '5xxErrors',
  latency: 'Latency',
  responseSize: 'ResponseSize',
  malformedLines: 'MalformedLines',
} as const;

/** The day's headline figures from GenerateDailySummary, stamped at 00:00 UTC of the day. */
export const DAILY_METRIC_NAMES = {
  requests: 'DailyRequests',
  errors5xx: 'Daily5xxErrors',
  errors4xx: 'Daily4xxErrors',
  bytes: 'DailyBytes',
  uniqueClients: 'DailyUniqueClients',
  malformedLines: 'DailyMalformedLines',
  analyzedFiles: 'AnalyzedFiles',
  failedFiles: 'FailedFiles',
  p50LatencyMs: 'DailyP50LatencyMs',
  p99LatencyMs: 'DailyP99LatencyMs',
} as const;
