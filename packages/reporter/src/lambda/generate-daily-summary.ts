/**
 * The GenerateDailySummary Lambda: a thin adapter from the event and environment to
 * `generateDailyReport`. Resource names come from the environment (HANDLER_ENV); the SDK clients
 * use their defaults, so AWS_ENDPOINT_URL points them at a local endpoint.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { Clock, GenerateDailySummaryEvent, GenerateDailySummaryResult } from '@logflow/shared-types';
import { HANDLER_ENV, systemClock } from '@logflow/shared-types';
import { generateDailyReport, type ReportClients } from '../generate-report.js';

let cached: { key: string; clients: ReportClients } | undefined;

/**
 * Clients are created on first use and reused while the execution environment lives. They are
 * rebuilt when the endpoint settings change, which happens when local runs invoke this handler
 * in-process against a new local endpoint.
 */
function clientsForEnvironment(): ReportClients {
  const key = ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID']
    .map((name) => process.env[name] ?? '')
    .join('|');
  if (cached?.key !== key) {
    cached = {
      key,
      clients: {
        s3: new S3Client({}),
        dynamodb: new DynamoDBClient({}),
        cloudwatch: new CloudWatchClient({}),
      },
    };
  }
  return cached.clients;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export interface GenerateDailySummaryHandlerOptions {
  /** Time of publication, for CloudWatch's accepted timestamp window; default the system clock. */
  clock?: Clock;
}

/** The handler, with its clock injected (tests and replays pass a fixed instant). */
export function createGenerateDailySummaryHandler(
  options: GenerateDailySummaryHandlerOptions = {},
): (event: GenerateDailySummaryEvent) => Promise<GenerateDailySummaryResult> {
  const clock = options.clock ?? systemClock;
  return (event) => generate(event, clock);
}

/** The Lambda entry point. */
export const handler = createGenerateDailySummaryHandler();

async function generate(event: GenerateDailySummaryEvent, clock: Clock): Promise<GenerateDailySummaryResult> {
  const resources = {
    summaryTable: requiredEnv(HANDLER_ENV.summaryTable),
    resultBucket: requiredEnv(HANDLER_ENV.resultBucket),
    metricNamespace: requiredEnv(HANDLER_ENV.metricNamespace),
  };
  const {
    daily: _daily,
    manifest,
    ...result
  } = await generateDailyReport(clientsForEnvironment(), resources, event, clock);
  console.log(
    JSON.stringify({
      message: 'daily report written',
      date: result.date,
      files: result.files,
      requests: result.requests,
      bucket: resources.resultBucket,
      report: result.report,
      manifest: manifest ?? null,
      metrics: result.metrics,
    }),
  );
  return result;
}
