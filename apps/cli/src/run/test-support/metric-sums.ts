/** Reading back what a run published to local CloudWatch, for tests. */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { LocalAws } from '@logflow/local-aws';
import { resourceNames } from '@logflow/shared-types';

/**
 * The `Sum` of one metric of the run's namespace (no dimensions) per `periodSeconds` between
 * `start` and `end`, as local CloudWatch answers GetMetricData.
 */
export async function metricSums(
  local: LocalAws,
  query: { metricName: string; start: Date; end: Date; periodSeconds: number },
): Promise<number[]> {
  const cloudwatch = new CloudWatchClient(local.clientConfig());
  try {
    const data = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: query.start,
        EndTime: query.end,
        MetricDataQueries: [
          {
            Id: 'm',
            MetricStat: {
              Metric: { Namespace: resourceNames().metricNamespace, MetricName: query.metricName },
              Period: query.periodSeconds,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );
    return data.MetricDataResults?.[0]?.Values ?? [];
  } finally {
    cloudwatch.destroy();
  }
}
