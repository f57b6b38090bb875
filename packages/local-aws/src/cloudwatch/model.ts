/** What the local CloudWatch stores: one sample per PutMetricData datum. */
export interface Dimension {
  Name: string;
  Value: string;
}

export interface MetricIdentity {
  namespace: string;
  metricName: string;
  /** Sorted by name, so the same set always yields the same identity. */
  dimensions: Dimension[];
}

export interface StatisticSet {
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
}

export interface MetricSample extends MetricIdentity {
  /** Epoch milliseconds. */
  t: number;
  unit: string;
  storageResolution: number;
  /** Raw values with their counts (absent when the datum was a statistic set). */
  values?: number[];
  counts?: number[];
  stats: StatisticSet;
}

export function metricId(metric: MetricIdentity): string {
  const dims = [...metric.dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  return JSON.stringify([metric.namespace, metric.metricName, dims.map((d) => [d.Name, d.Value])]);
}
