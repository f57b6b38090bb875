/**
 * Generating a day's report against real services: read the day's summaries and failures,
 * merge, write the three report objects and publish the headline metrics. Shared by the
 * GenerateDailySummary Lambda and `logflow report`.
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
import { findLatestManifest, readFailedFiles } from './aws/result-writer.js';
import { writeReport } from './aws/report-store.js';
import { daySummaryPages } from './aws/summary-store.js';
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
  const failedFiles = manifest ? readFailedFiles(clients.s3, manifest) : Promise.resolve([]);
  // keep a rejection from going unhandled while the summaries are read
  failedFiles.catch(() => undefined);
  // summaries arrive in sort-key order and are folded page by page, never all held at once
  const builder = new DailySummaryBuilder(date);
  const unreadable: FailedFile[] = [];
  for await (const page of daySummaryPages(clients.dynamodb, resources.summaryTable, date)) {
    for (const summary of page.summaries) builder.add(summary);
    unreadable.push(...page.unreadable);
  }
  const daily = builder.finish([...(await failedFiles), ...unreadable]);
  const report = await writeReport(clients.s3, resources.resultBucket, daily);
  const metrics = resources.metricNamespace
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
