/**
 * Generating a day's report against real services: read the day's Map results and the batch
 * summaries they name, merge, write the three report objects and publish the headline metrics.
 * Shared by the GenerateDailySummary Lambda and `logflow report`.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { isDay, systemClock, type Clock } from '@logflow/shared-types';
import type {
  DailySummary,
  FailedFile,
  GenerateDailySummaryEvent,
  GenerateDailySummaryResult,
} from '@logflow/shared-types';
import { publishDailyMetrics } from './aws/metrics.js';
import { findLatestManifest, readMapRunOutcomes, type MapRunOutcomes } from './aws/result-writer.js';
import { writeReport } from './aws/report-store.js';
import { batchSummaryPages } from './aws/summary-store.js';
import { DailySummaryBuilder } from './daily-summary.js';

export interface ReportClients {
  s3: S3Client;
  dynamodb: DynamoDBClient;
  cloudwatch: CloudWatchClient;
}

export interface ReportResources {
  summaryTable: string;
  resultBucket: string;
  /** CloudWatch namespace; metrics are not published when absent. */
  metricNamespace?: string;
}

export interface GeneratedReport extends GenerateDailySummaryResult {
  daily: DailySummary;
  /** The ResultWriter manifest failures were read from, if any. */
  manifest?: { Bucket: string; Key: string };
}

/**
 * The day's report from this execution's Map results: exactly the batches they name are merged
 * (a summary left by an object since deleted or replaced is never read), and every failure they
 * record is listed. The day's own metrics are published when the event says the workflow claimed
 * them (`publishMetrics`), which it does once per day.
 */
export async function generateDailyReport(
  clients: ReportClients,
  resources: ReportResources,
  event: GenerateDailySummaryEvent,
  /** Time of publication, for CloudWatch's accepted timestamp window. */
  clock: Clock = systemClock,
): Promise<GeneratedReport> {
  const date = event?.date;
  if (!isDay(date)) {
    throw new Error(`GenerateDailySummary: field "date" must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  }
  const manifest =
    event.resultWriterDetails ?? (await findLatestManifest(clients.s3, resources.resultBucket, date));
  const outcomes: MapRunOutcomes = manifest
    ? await readMapRunOutcomes(clients.s3, manifest)
    : { summaryKeys: [], analyzed: 0, failed: [] };
  // batch summaries are folded page by page, never all held at once
  const builder = new DailySummaryBuilder(date);
  const unreadable: FailedFile[] = [];
  for await (const page of batchSummaryPages(
    clients.dynamodb,
    resources.summaryTable,
    date,
    outcomes.summaryKeys,
  )) {
    for (const batch of page.batches) builder.addBatch(batch);
    for (const failed of page.unreadable) unreadable.push(failed);
  }
  const daily = builder.finish([...outcomes.failed, ...unreadable]);
  const report = await writeReport(clients.s3, resources.resultBucket, daily);
  // Only when the workflow claimed them: the day's metrics are published once per day.
  const metrics =
    resources.metricNamespace && event.publishMetrics === true
      ? await publishDailyMetrics(clients.cloudwatch, resources.metricNamespace, daily, clock())
      : { datums: 0, outsideWindow: 0 };
  return {
    date,
    files: { analyzed: daily.files.analyzed, failed: daily.files.failed.length },
    requests: daily.requests,
    report,
    metrics,
    daily,
    ...(manifest ? { manifest } : {}),
  };
}
