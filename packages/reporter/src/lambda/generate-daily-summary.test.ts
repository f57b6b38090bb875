/**
 * The GenerateDailySummary handler against local S3, DynamoDB and CloudWatch through the real
 * SDK v3 clients, configured only by environment variables as in Lambda.
 */
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import {
  BatchWriteItemCommand,
  DynamoDBClient,
  UpdateItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mergeSummaries, toBatchSummaryItem } from '@logflow/analyzer';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import type { DailySummary, FileSummary } from '@logflow/shared-types';
import { HANDLER_ENV, fixedClock } from '@logflow/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchSummaryPages } from '../aws/summary-store.js';
import { buildDailySummary } from '../daily-summary.js';
import { renderJson } from '../render/json.js';
import { fileSummary, hourOfRequests } from '../test-support/file-summaries.js';
import { createReportResources } from '../test-support/report-resources.js';
import { createGenerateDailySummaryHandler } from './generate-daily-summary.js';

const TABLE = 'logflow-test-summaries';
const RESULTS = 'logflow-test-results';
const NAMESPACE = 'Logflow/test';
const INPUT = 'logflow-test-logs';

/** The time the handler runs at: the day after DATE, so CloudWatch accepts the day's metrics. */
const NOW = '2026-11-23T06:00:00Z';
const clock = fixedClock(NOW);
const handler = createGenerateDailySummaryHandler({ clock });
const dayBefore = (days: number): string =>
  new Date(Date.parse(NOW) - days * 86_400_000).toISOString().slice(0, 10);
const DATE = dayBefore(1);
const OLD_DATE = '2020-02-29';

let aws: LocalAws;
let s3: S3Client;
let dynamodb: DynamoDBClient;
const savedEnv = { ...process.env };

/** Sort keys of the batch summary records written per day: what a map run of that day names. */
const recordsOfDay = new Map<string, string[]>();

const detailOf = (s: FileSummary) => ({
  key: s.file.key,
  format: s.format,
  requests: s.requests,
  bytes: s.bytes,
  malformed: s.lines.malformed,
  errors5xx: s.statusClass['5xx'],
});

/** Writes the summaries as batch summary records of `perBatch` files each; returns their sort keys. */
async function putSummaries(date: string, summaries: FileSummary[], perBatch = 1): Promise<string[]> {
  const requests: WriteRequest[] = [];
  const keys: string[] = [];
  for (let i = 0; i < summaries.length; i += perBatch) {
    const files = summaries.slice(i, i + perBatch);
    const id = files.map((f) => f.file.key).join('+');
    const item = toBatchSummaryItem({ core: mergeSummaries(files), details: files.map(detailOf) }, date, id);
    requests.push({ PutRequest: { Item: item } });
    keys.push((item.sk as { S: string }).S);
  }
  for (let i = 0; i < requests.length; i += 25) {
    await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: requests.slice(i, i + 25) } }));
  }
  recordsOfDay.set(date, [...(recordsOfDay.get(date) ?? []), ...keys]);
  return keys;
}

async function putJson(key: string, value: unknown): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: RESULTS, Key: key, Body: JSON.stringify(value) }));
}

async function getObject(key: string): Promise<{ body: string; contentType?: string; etag?: string }> {
  const response = await s3.send(new GetObjectCommand({ Bucket: RESULTS, Key: key }));
  return {
    body: await response.Body!.transformToString(),
    contentType: response.ContentType,
    etag: response.ETag,
  };
}

const childInput = (key: string) =>
  JSON.stringify({ bucket: INPUT, date: DATE, object: { Key: key, Size: 1 } });

/**
 * Writes a ResultWriter manifest and its results files for one map run: one child per batch
 * summary record (default: every record written for the day), one whose object failed in
 * analysis, one that failed outright.
 */
async function putMapRun(
  date: string,
  runId: string,
  failedKeys: { caught: string; failed: string },
  summaryKeys: string[] = recordsOfDay.get(date) ?? [],
): Promise<string> {
  const base = `results/${date}/${runId}`;
  await putJson(`${base}/SUCCEEDED_0.json`, [
    ...summaryKeys.map((summaryKey, i) => ({
      ExecutionArn: `arn:ok:${i}`,
      Input: JSON.stringify({ Items: [] }),
      Output: JSON.stringify({ summaryKey, analyzed: 1, failed: [] }),
      Status: 'SUCCEEDED',
    })),
    {
      ExecutionArn: 'arn:2',
      Input: JSON.stringify({ Items: [JSON.parse(childInput(failedKeys.caught))] }),
      Output: JSON.stringify({
        summaryKey: null,
        analyzed: 0,
        failed: [
          {
            key: failedKeys.caught,
            status: 'FAILED',
            state: 'AnalyzeLogData',
            error: 'UnrecognizedLogFormatError',
            cause: 'no format matched <b>',
          },
        ],
      }),
      Status: 'SUCCEEDED',
    },
  ]);
  await putJson(`${base}/FAILED_0.json`, [
    {
      ExecutionArn: 'arn:3',
      Input: JSON.stringify({ Items: [JSON.parse(childInput(failedKeys.failed))] }),
      Status: 'FAILED',
      Error: 'Lambda.Unknown',
      Cause: 'out of memory',
    },
  ]);
  await putJson(`${base}/manifest.json`, {
    DestinationBucket: RESULTS,
    MapRunArn: `arn:aws:states:us-east-1:123456789012:mapRun:daily/${runId}`,
    ResultFiles: {
      FAILED: [{ Key: `${base}/FAILED_0.json`, Size: 1 }],
      PENDING: [],
      SUCCEEDED: [{ Key: `${base}/SUCCEEDED_0.json`, Size: 1 }],
    },
  });
  return `${base}/manifest.json`;
}

/** Many distinct paths make each summary item large, so a day spans several Query pages. */
function bulkySummary(i: number, date = DATE): FileSummary {
  const requests = Array.from({ length: 150 }, (_, j) => ({
    at: `${date}T${String(j % 24).padStart(2, '0')}:00:00.000Z`,
    path: `/api/v1/resource-${i}/${j}/${'p'.repeat(40)}`,
    status: j % 17 === 0 ? 500 : 200,
    client: `203.0.113.${j % 200}`,
    latencyMs: 10 + j,
  }));
  return fileSummary(`logs/${date}/bulk-${String(i).padStart(3, '0')}.log`, requests, { bucket: INPUT });
}

beforeAll(async () => {
  aws = await startLocalAws({ inMemory: true, clock });
  Object.assign(process.env, aws.env(), {
    [HANDLER_ENV.summaryTable]: TABLE,
    [HANDLER_ENV.resultBucket]: RESULTS,
    [HANDLER_ENV.metricNamespace]: NAMESPACE,
  });
  s3 = new S3Client(aws.clientConfig());
  dynamodb = new DynamoDBClient(aws.clientConfig());
  await createReportResources({ s3, dynamodb }, { resultBucket: RESULTS, summaryTable: TABLE });
}, 60_000);

afterAll(async () => {
  s3?.destroy();
  dynamodb?.destroy();
  await aws?.stop();
  process.env = savedEnv;
});

describe('batchSummaryPages', () => {
  it('reads the named records 100 per request, and reports the missing ones', async () => {
    const date = dayBefore(5);
    const written = Array.from({ length: 110 }, (_, i) => bulkySummary(i, date));
    const keys = await putSummaries(date, written);
    const client = new DynamoDBClient(aws.clientConfig());
    let requests = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'BatchGetItemCommand') requests++;
        return next(args);
      },
      { step: 'initialize' },
    );
    try {
      const pages = [];
      for await (const page of batchSummaryPages(client, TABLE, date, [...keys, 'BATCH#gone']))
        pages.push(page);
      // 111 keys: two requests, and more when DynamoDB leaves keys unprocessed
      expect(requests).toBeGreaterThanOrEqual(2);
      const details = pages.flatMap((p) => p.batches.flatMap((b) => b.details.map((d) => d.key)));
      expect(details.sort()).toEqual(written.map((s) => s.file.key).sort());
      expect(pages.flatMap((p) => p.unreadable)).toEqual([
        expect.objectContaining({ key: 'BATCH#gone', error: 'MissingSummaryRecord' }),
      ]);
    } finally {
      client.destroy();
    }
  }, 60_000);
});

describe('GenerateDailySummary handler', () => {
  it('merges every page of the day, reads failures from the manifest, writes the report and metrics', async () => {
    const summaries = [
      fileSummary('logs/a.log', hourOfRequests(`${DATE}T08:00:00Z`, 400), { bucket: INPUT }),
      fileSummary('logs/b.log', hourOfRequests(`${DATE}T09:00:00Z`, 100, '/<script>alert(1)</script>'), {
        bucket: INPUT,
      }),
      ...Array.from({ length: 110 }, (_, i) => bulkySummary(i)),
    ];
    await putSummaries(DATE, summaries);
    // another day in the same table stays out of the report
    await putSummaries(dayBefore(2), [
      fileSummary('logs/other-day.log', hourOfRequests(`${DATE}T01:00:00Z`, 7)),
    ]);
    const manifestKey = await putMapRun(DATE, 'run-1', {
      caught: 'logs/bad-format.log',
      failed: 'logs/oom.log',
    });

    const expectedRequests = summaries.reduce((n, s) => n + s.requests, 0);
    const result = await handler({
      date: DATE,
      resultWriterDetails: { Bucket: RESULTS, Key: manifestKey },
      publishMetrics: true,
    });
    expect(result).toEqual({
      date: DATE,
      files: { analyzed: 112, failed: 2 },
      requests: expectedRequests,
      report: {
        json: `reports/${DATE}/summary.json`,
        md: `reports/${DATE}/summary.md`,
        html: `reports/${DATE}/summary.html`,
      },
      metrics: { datums: 10, outsideWindow: 0 },
    });

    const json = await getObject(result.report.json);
    expect(json.contentType).toBe('application/json; charset=utf-8');
    const daily = JSON.parse(json.body) as DailySummary;
    expect(daily.requests).toBe(expectedRequests);
    expect(daily.files.details).toHaveLength(112);
    expect(daily.files.failed).toEqual([
      {
        key: 'logs/bad-format.log',
        state: 'AnalyzeLogData',
        error: 'UnrecognizedLogFormatError',
        cause: 'no format matched <b>',
      },
      { key: 'logs/oom.log', error: 'Lambda.Unknown', cause: 'out of memory' },
    ]);

    // the handler's page-by-page fold gives what the pure core gives for the same files
    expect(json.body).toBe(
      renderJson(buildDailySummary({ date: DATE, summaries, failed: daily.files.failed })),
    );

    const md = await getObject(result.report.md);
    expect(md.contentType).toBe('text/markdown; charset=utf-8');
    expect(md.body).toContain(`# logflow daily report: ${DATE}`);
    const html = await getObject(result.report.html);
    expect(html.contentType).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('/&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.body).not.toContain('<script>');

    const cloudwatch = new CloudWatchClient(aws.clientConfig());
    try {
      const stats = await cloudwatch.send(
        new GetMetricStatisticsCommand({
          Namespace: NAMESPACE,
          MetricName: 'DailyRequests',
          StartTime: new Date(`${DATE}T00:00:00Z`),
          EndTime: new Date(Date.parse(`${DATE}T00:00:00Z`) + 86_400_000),
          Period: 86_400,
          Statistics: ['Sum', 'SampleCount'],
        }),
      );
      expect(stats.Datapoints?.[0]).toMatchObject({ Sum: expectedRequests, SampleCount: 1 });
      const failedFiles = await cloudwatch.send(
        new GetMetricStatisticsCommand({
          Namespace: NAMESPACE,
          MetricName: 'FailedFiles',
          StartTime: new Date(`${DATE}T00:00:00Z`),
          EndTime: new Date(Date.parse(`${DATE}T00:00:00Z`) + 86_400_000),
          Period: 86_400,
          Statistics: ['Maximum'],
        }),
      );
      expect(failedFiles.Datapoints?.[0]?.Maximum).toBe(2);
    } finally {
      cloudwatch.destroy();
    }

    // a second run over the same day writes the very same objects, and no metrics again
    const before = await Promise.all([json, md, html].map((o) => o.etag));
    // (a re-render: the workflow publishes the day's metrics once, when it claimed them)
    const second = await handler({ date: DATE, resultWriterDetails: { Bucket: RESULTS, Key: manifestKey } });
    expect(second.metrics).toEqual({ datums: 0, outsideWindow: 0 });
    const again = await Promise.all(Object.values(result.report).map((key) => getObject(key)));
    expect(again.map((o) => o.etag)).toEqual(before);
    expect(again[0]?.body).toBe(json.body);
    expect(again[2]?.body).toBe(html.body);
  }, 60_000);

  it('finds the newest manifest of the day when the event names none', async () => {
    const date = dayBefore(3);
    await putSummaries(date, [
      fileSummary('logs/x.log', hourOfRequests(`${date}T10:00:00Z`, 20), { bucket: INPUT }),
    ]);
    await putMapRun(date, 'run-0', { caught: 'logs/old-1.log', failed: 'logs/old-2.log' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await putMapRun(date, 'run-1', { caught: 'logs/new-1.log', failed: 'logs/new-2.log' });
    const result = await handler({ date });
    expect(result.files).toEqual({ analyzed: 1, failed: 2 });
    const daily = JSON.parse((await getObject(result.report.json)).body) as DailySummary;
    expect(daily.files.failed.map((f) => f.key)).toEqual(['logs/new-1.log', 'logs/new-2.log']);
  }, 30_000);

  it('writes a report for a day with nothing in it and skips metrics CloudWatch would refuse', async () => {
    const result = await handler({ date: OLD_DATE, publishMetrics: true });
    expect(result).toMatchObject({
      date: OLD_DATE,
      files: { analyzed: 0, failed: 0 },
      requests: 0,
      // the eight headline datums (no latency on an empty day), all too old for CloudWatch
      metrics: { datums: 0, outsideWindow: 8 },
    });
    const html = await getObject(result.report.html);
    expect(html.body).toContain('No requests were analysed for this day.');
  }, 30_000);

  it('reports an unreadable summary record as a failed file and keeps the rest of the day', async () => {
    const date = dayBefore(4);
    await putSummaries(date, [
      fileSummary('logs/good.log', hourOfRequests(`${date}T10:00:00Z`, 12), { bucket: INPUT }),
    ]);
    const [brokenKey] = await putSummaries(date, [fileSummary('logs/broken.log', [], { bucket: INPUT })]);
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { pk: { S: `DAY#${date}` }, sk: { S: brokenKey! } },
        UpdateExpression: 'SET version = :v',
        ExpressionAttributeValues: { ':v': { N: '99' } },
      }),
    );
    const result = await handler({
      date,
      resultWriterDetails: {
        Bucket: RESULTS,
        Key: await putMapRun(date, 'r', { caught: 'c.log', failed: 'f.log' }),
      },
    });
    expect(result.files).toEqual({ analyzed: 1, failed: 3 });
    expect(result.requests).toBe(12);
    const daily = JSON.parse((await getObject(result.report.json)).body) as DailySummary;
    expect(daily.files.failed).toContainEqual({
      key: brokenKey,
      error: 'InvalidSummaryItemError',
      cause: expect.stringMatching(/BATCH#logs\/broken.log: unsupported summary version "99"/),
    });
  }, 30_000);

  it('merges only the records this run names: a summary left from an earlier listing stays out', async () => {
    const date = dayBefore(7);
    const [kept] = await putSummaries(date, [
      fileSummary('logs/kept.log', hourOfRequests(`${date}T10:00:00Z`, 5), { bucket: INPUT }),
    ]);
    await putSummaries(date, [
      fileSummary('logs/deleted.log', hourOfRequests(`${date}T11:00:00Z`, 50), { bucket: INPUT }),
    ]);
    const manifestKey = await putMapRun(date, 'now', { caught: 'c.log', failed: 'f.log' }, [kept!]);
    const result = await handler({ date, resultWriterDetails: { Bucket: RESULTS, Key: manifestKey } });
    expect(result.requests).toBe(5);
    expect(result.files.analyzed).toBe(1);
  }, 30_000);

  it('reports a results file that does not parse as a failure and keeps the others', async () => {
    const date = dayBefore(6);
    await putSummaries(date, [
      fileSummary('logs/good.log', hourOfRequests(`${date}T10:00:00Z`, 7), { bucket: INPUT }),
    ]);
    const manifestKey = await putMapRun(date, 'run-corrupt', {
      caught: 'logs/caught.log',
      failed: 'logs/failed.log',
    });
    const corruptKey = `results/${date}/run-corrupt/SUCCEEDED_0.json`;
    await s3.send(new PutObjectCommand({ Bucket: RESULTS, Key: corruptKey, Body: '[{"Status": "SUCC' }));
    const result = await handler({ date, resultWriterDetails: { Bucket: RESULTS, Key: manifestKey } });
    // the batches that file named are not known, so nothing of theirs is merged
    expect(result.files).toEqual({ analyzed: 0, failed: 2 });
    expect(result.requests).toBe(0);
    const daily = JSON.parse((await getObject(result.report.json)).body) as DailySummary;
    expect(daily.files.failed).toEqual([
      { key: 'logs/failed.log', error: 'Lambda.Unknown', cause: 'out of memory' },
      {
        key: `s3://${RESULTS}/${corruptKey}`,
        error: 'InvalidResultsError',
        cause: expect.stringMatching(new RegExp(`^s3://${RESULTS}/${corruptKey} is not JSON`)),
      },
    ]);
  }, 30_000);

  it('rejects a bad event and a missing manifest with clear errors', async () => {
    await expect(handler({ date: '22/11/2026' })).rejects.toThrow(
      /field "date" must be YYYY-MM-DD, got "22\/11\/2026"/,
    );
    await expect(
      handler({ date: DATE, resultWriterDetails: { Bucket: RESULTS, Key: 'results/none/manifest.json' } }),
    ).rejects.toThrow(/NoSuchKey|does not exist/);
  }, 30_000);

  it('follows the environment to a new endpoint between invocations', async () => {
    const other = await startLocalAws({ inMemory: true, clock });
    const saved = { ...process.env };
    const s3Other = new S3Client(other.clientConfig());
    const ddbOther = new DynamoDBClient(other.clientConfig());
    try {
      await createReportResources(
        { s3: s3Other, dynamodb: ddbOther },
        { resultBucket: RESULTS, summaryTable: TABLE },
      );
      Object.assign(process.env, other.env());
      const result = await handler({ date: OLD_DATE });
      const written = await s3Other.send(new GetObjectCommand({ Bucket: RESULTS, Key: result.report.json }));
      expect(written.ContentType).toBe('application/json; charset=utf-8');
    } finally {
      process.env = saved;
      s3Other.destroy();
      ddbOther.destroy();
      await other.stop();
    }
  }, 30_000);

  it('names the missing environment variable', async () => {
    const table = process.env[HANDLER_ENV.summaryTable];
    delete process.env[HANDLER_ENV.summaryTable];
    try {
      await expect(handler({ date: DATE })).rejects.toThrow(
        `environment variable ${HANDLER_ENV.summaryTable} is not set`,
      );
    } finally {
      process.env[HANDLER_ENV.summaryTable] = table;
    }
  });
});
