/**
 * The workflow's effects against local AWS through the real SDK clients, with the real analyzer
 * and reporter: metrics are published once per object version however often a day runs, a crash
 * mid-publication resends only the unfinished batches, the report merges exactly the objects
 * listed now, and a failure to store or publish is a failed file naming its state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createIntegrations, LambdaRegistry, startExecution, type TaskInvoker } from '@logflow/asl-runtime';
import { createAnalyzeLogDataHandler } from '@logflow/analyzer/lambda/analyze-log-data';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import { generateDailyReport } from '@logflow/reporter';
import {
  HANDLER_ENV,
  fixedClock,
  resourceNames,
  type DailySummary,
  type GenerateDailySummaryEvent,
} from '@logflow/shared-types';
import { buildDailyWorkflowDefinition, INTEGRATIONS, localWorkflowConfig } from '@logflow/workflow';
import { sampleLogFiles } from '../samples/sample-logs.js';
import { ensureRunResources } from './resources.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Every run happens "the morning after" the day it processes: inside CloudWatch's window. */
const NOW = new Date('2026-11-23T03:00:00Z');

function clf(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** `count` combined-format requests, one every `stepSeconds` from the start of `date`. */
function combinedLog(date: string, count: number, stepSeconds: number, seed: number): string {
  const start = Date.parse(`${date}T00:00:00Z`);
  let out = '';
  for (let i = 0; i < count; i++) {
    const status = (i + seed) % 13 === 0 ? 503 : 200;
    out += `10.0.${seed}.${i % 40} - - [${clf(start + i * stepSeconds * 1000)}] "GET /p/${i % 9} HTTP/1.1" ${status} ${100 + i} "-" "test/${seed}" 0.0${i % 9}\n`;
  }
  return out;
}

describe('exactly-once effects of the daily workflow (local AWS)', () => {
  const names = resourceNames();
  let aws: LocalAws;
  let s3: S3Client;
  let dynamodb: DynamoDBClient;
  let cloudwatch: CloudWatchClient;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    aws = await startLocalAws({ inMemory: true, clock: fixedClock(NOW) });
    Object.assign(process.env, aws.env(), {
      [HANDLER_ENV.summaryTable]: names.summaryTable,
      [HANDLER_ENV.resultBucket]: names.resultBucket,
      [HANDLER_ENV.metricNamespace]: names.metricNamespace,
    });
    s3 = new S3Client({ ...aws.clientConfig(), requestChecksumCalculation: 'WHEN_REQUIRED' });
    dynamodb = new DynamoDBClient(aws.clientConfig());
    cloudwatch = new CloudWatchClient(aws.clientConfig());
    await ensureRunResources({ s3, dynamodb }, names);
  }, 60_000);

  afterAll(async () => {
    s3?.destroy();
    dynamodb?.destroy();
    cloudwatch?.destroy();
    await aws?.stop();
    process.env = savedEnv;
  });

  /** Makes the day's prefix hold exactly `objects` (name → body). */
  async function putDay(
    date: string,
    objects: Record<string, string | Buffer>,
    remove: string[] = [],
  ): Promise<string> {
    const prefix = `logs/${date.replaceAll('-', '/')}/`;
    for (const [name, body] of Object.entries(objects)) {
      await s3.send(new PutObjectCommand({ Bucket: names.inputBucket, Key: `${prefix}${name}`, Body: body }));
    }
    for (const name of remove) {
      await s3.send(new DeleteObjectCommand({ Bucket: names.inputBucket, Key: `${prefix}${name}` }));
    }
    return prefix;
  }

  interface Sent {
    metricRequests: { MetricName: string; Value?: number; Dimensions?: unknown[] }[][];
  }

  /**
   * Runs the day's workflow. `intercept` sees every Task call before it goes to local AWS and
   * may change it (`next(args)`) or stand in for it.
   */
  async function runDay(
    date: string,
    options: {
      maxItemsPerBatch?: number;
      intercept?: (
        resource: string,
        args: unknown,
        next: (args: unknown) => Promise<unknown>,
      ) => Promise<unknown>;
      signal?: AbortSignal;
    } = {},
  ): Promise<{ status: string; error?: string; daily: DailySummary | null; sent: Sent; metrics: number }> {
    const lambdas = new LambdaRegistry();
    let daily: DailySummary | null = null;
    let metrics = 0;
    lambdas.register(names.analyzerFunction, createAnalyzeLogDataHandler({ clock: fixedClock(NOW) }));
    const integrations = createIntegrations({ lambdas, clientConfig: aws.clientConfig() });
    const reportClients = { s3, dynamodb, cloudwatch };
    lambdas.register(names.reporterFunction, async (event: unknown) => {
      const report = await generateDailyReport(
        reportClients,
        {
          summaryTable: names.summaryTable,
          resultBucket: names.resultBucket,
          metricNamespace: names.metricNamespace,
        },
        event as GenerateDailySummaryEvent,
        fixedClock(NOW),
      );
      daily = report.daily;
      metrics = report.metrics.datums;
      const { daily: _daily, manifest: _manifest, ...result } = report;
      return result;
    });
    const sent: Sent = { metricRequests: [] };
    const inner = integrations.taskInvoker;
    const taskInvoker: TaskInvoker = {
      async invoke(resource, args, context) {
        const next = async (changed: unknown): Promise<unknown> => {
          const result = await inner.invoke(resource, changed, context);
          if (resource === INTEGRATIONS.cloudwatchPutMetricData) {
            sent.metricRequests.push((changed as { MetricData: Sent['metricRequests'][number] }).MetricData);
          }
          return result;
        };
        return options.intercept ? options.intercept(resource, args, next) : next(args);
      },
    };
    const config = localWorkflowConfig(
      {},
      {
        toleratedFailurePercentage: 100,
        ...(options.maxItemsPerBatch ? { itemBatcher: { maxItemsPerBatch: options.maxItemsPerBatch } } : {}),
      },
    );
    try {
      const handle = startExecution(
        buildDailyWorkflowDefinition(config),
        { date, bucket: names.inputBucket, prefix: `logs/${date.replaceAll('-', '/')}/` },
        {
          taskInvoker,
          itemReader: integrations.itemReader,
          resultWriter: integrations.streamingResultWriter,
          keepHistory: false,
          noWait: true,
          ...(options.signal ? { signal: options.signal } : {}),
        },
      );
      const result = await handle.result;
      return {
        status: result.status,
        ...(result.error ? { error: `${result.error}: ${result.cause}` } : {}),
        daily,
        sent,
        metrics,
      };
    } finally {
      await integrations.destroy();
    }
  }

  /** The sum of a metric over the day (no dimensions), as CloudWatch answers GetMetricData. */
  async function metricSum(date: string, metricName: string): Promise<number> {
    const start = Date.parse(`${date}T00:00:00Z`);
    const data = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(start),
        EndTime: new Date(start + 86_400_000),
        MetricDataQueries: [
          {
            Id: 'm',
            MetricStat: {
              Metric: { Namespace: names.metricNamespace, MetricName: metricName },
              Period: 86_400,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );
    return (data.MetricDataResults?.[0]?.Values ?? []).reduce((a, b) => a + b, 0);
  }

  const requestsSent = (sent: Sent): number =>
    sent.metricRequests
      .flat()
      .filter((d) => d.MetricName === 'Requests' && !d.Dimensions)
      .reduce((n, d) => n + (d.Value ?? 0), 0);

  it('batching changes no count of the report: batches of one and of fifty give the same day', async () => {
    const date = '2026-11-18';
    // the sample logs: six formats, one file that is not a log
    await putDay(date, Object.fromEntries(sampleLogFiles(date).map((f) => [f.name, f.content])));
    const unbatched = await runDay(date, { maxItemsPerBatch: 1 });
    expect(unbatched.error ?? unbatched.status).toBe('SUCCEEDED');
    // the same objects again, batched, on records of their own: an analyzer version is part of
    // every id, so clear the day's records by running on a fresh endpoint's copy
    const other = await startLocalAws({ inMemory: true, clock: fixedClock(NOW) });
    const saved = { aws, s3, dynamodb, cloudwatch, env: { ...process.env } };
    try {
      aws = other;
      Object.assign(process.env, other.env());
      s3 = new S3Client({ ...other.clientConfig(), requestChecksumCalculation: 'WHEN_REQUIRED' });
      dynamodb = new DynamoDBClient(other.clientConfig());
      cloudwatch = new CloudWatchClient(other.clientConfig());
      await ensureRunResources({ s3, dynamodb }, names);
      await putDay(date, Object.fromEntries(sampleLogFiles(date).map((f) => [f.name, f.content])));
      const batched = await runDay(date, { maxItemsPerBatch: 50 });
      expect(batched.error ?? batched.status).toBe('SUCCEEDED');
      expect(unbatched.daily?.files.analyzed).toBe(5);
      expect(unbatched.daily?.files.failed).toHaveLength(1);
      // Every count, histogram, sketch and file line is the same. The heavy-hitter lists are bounds
      // ([count - error, count]) whose merge depends on grouping once a list is over capacity:
      // their totals are equal and each value's bounds overlap.
      const top = ['topPaths', 'topClients', 'topUserAgents'] as const;
      const rest = (d: DailySummary | null) =>
        d && Object.fromEntries(Object.entries(d).filter(([k]) => !(top as readonly string[]).includes(k)));
      expect(rest(batched.daily)).toEqual(rest(unbatched.daily));
      for (const field of top) {
        const a = unbatched.daily![field];
        const b = batched.daily![field];
        expect(b.total).toBe(a.total);
        expect(b.capacity).toBe(a.capacity);
        const bounds = new Map(a.entries.map((e) => [e.value, e]));
        for (const entry of b.entries) {
          const other = bounds.get(entry.value);
          if (!other) continue;
          expect(entry.count - entry.error).toBeLessThanOrEqual(other.count);
          expect(other.count - other.error).toBeLessThanOrEqual(entry.count);
        }
      }
      expect(await metricSum(date, 'Requests')).toBe(unbatched.daily?.requests);
    } finally {
      s3.destroy();
      dynamodb.destroy();
      cloudwatch.destroy();
      await other.stop();
      ({ aws, s3, dynamodb, cloudwatch } = saved);
      process.env = saved.env;
    }
    expect(await metricSum(date, 'Requests')).toBe(unbatched.daily?.requests);
  }, 120_000);

  it('publishes each object version once however often the day runs', async () => {
    const date = '2026-11-22';
    await putDay(date, {
      'a.log': combinedLog(date, 300, 60, 1),
      'b.log': combinedLog(date, 200, 90, 2),
      'c.log': combinedLog(date, 100, 30, 3),
    });
    const first = await runDay(date, { maxItemsPerBatch: 2 });
    expect(first.error ?? first.status).toBe('SUCCEEDED');
    expect(first.daily?.requests).toBe(600);
    expect(requestsSent(first.sent)).toBe(600);
    expect(first.metrics).toBeGreaterThan(0);

    const again = await runDay(date, { maxItemsPerBatch: 2 });
    expect(again.status).toBe('SUCCEEDED');
    expect(again.sent.metricRequests).toEqual([]);
    expect(again.metrics).toBe(0);
    expect(again.daily).toEqual(first.daily);
    expect(await metricSum(date, 'Requests')).toBe(600);
    expect(await metricSum(date, 'DailyRequests')).toBe(600);

    // a new object joins the day: only its metrics are sent, whatever batch it lands in
    await putDay(date, { 'a0.log': combinedLog(date, 50, 60, 4) });
    const grown = await runDay(date, { maxItemsPerBatch: 2 });
    expect(requestsSent(grown.sent)).toBe(50);
    expect(grown.daily?.requests).toBe(650);
    expect(await metricSum(date, 'Requests')).toBe(650);
  }, 120_000);

  it('after a crash mid-publication, resends only the batches not yet sent', async () => {
    const date = '2026-11-21';
    // a request every 20 s for a day: 4,320 per-minute datums → several PutMetricData batches
    await putDay(date, { 'busy.log': combinedLog(date, 4320, 20, 5) });
    const crash = new AbortController();
    let calls = 0;
    const crashed = await runDay(date, {
      signal: crash.signal,
      intercept: async (resource, args, next) => {
        if (resource === INTEGRATIONS.cloudwatchPutMetricData && ++calls === 2) {
          // the process dies after the second request reached CloudWatch, before it was counted
          const result = await next(args);
          crash.abort();
          return result;
        }
        return next(args);
      },
    });
    expect(crashed.status).toBe('ABORTED');
    expect(crashed.sent.metricRequests).toHaveLength(2);

    const rerun = await runDay(date);
    expect(rerun.error ?? rerun.status).toBe('SUCCEEDED');
    const total = 4320;
    // the second request is sent again (it was not counted as sent), the first is not
    expect(rerun.sent.metricRequests[0]).toEqual(crashed.sent.metricRequests[1]);
    expect(rerun.sent.metricRequests).not.toContainEqual(crashed.sent.metricRequests[0]);
    const first = requestsSent({ metricRequests: [crashed.sent.metricRequests[0]!] });
    expect(first).toBeGreaterThan(0);
    expect(requestsSent(rerun.sent)).toBe(total - first);
    expect(await metricSum(date, 'Requests')).toBe(
      total + requestsSent({ metricRequests: [crashed.sent.metricRequests[1]!] }),
    );
    expect(rerun.daily?.requests).toBe(total);

    const third = await runDay(date);
    expect(third.sent.metricRequests).toEqual([]);
  }, 120_000);

  it('merges exactly the objects listed now: deleted ones leave, a replaced one that fails is only a failure', async () => {
    const date = '2026-11-20';
    await putDay(date, {
      'keep.log': combinedLog(date, 120, 60, 6),
      'replaced.log': combinedLog(date, 80, 60, 7),
      'deleted.log': combinedLog(date, 40, 60, 8),
    });
    const before = await runDay(date);
    expect(before.daily?.requests).toBe(240);
    await putDay(date, { 'replaced.log': 'garbage, not a log line\nnor this one\n' }, ['deleted.log']);
    const after = await runDay(date);
    expect(after.status).toBe('SUCCEEDED');
    expect(after.daily?.requests).toBe(120);
    expect(after.daily?.files.analyzed).toBe(1);
    expect(after.daily?.files.details.map((d) => d.key)).toEqual(['logs/2026/11/20/keep.log']);
    expect(after.daily?.files.failed).toEqual([
      expect.objectContaining({
        key: 'logs/2026/11/20/replaced.log',
        state: 'AnalyzeLogData',
        error: 'UnrecognizedLogFormatError',
      }),
    ]);
  }, 120_000);

  it('counts a refused StoreSummary or StoreMetrics as failed files naming the state', async () => {
    const date = '2026-11-19';
    await putDay(date, {
      'one.log': combinedLog(date, 60, 60, 9),
      'two.log': combinedLog(date, 60, 60, 10),
      'three.log': combinedLog(date, 60, 60, 11),
    });
    const result = await runDay(date, {
      maxItemsPerBatch: 1,
      intercept: async (resource, args, next) => {
        const a = args as { Item?: { sk?: { S?: string } }; MetricData?: unknown[] };
        // one batch's summary record gets an attribute DynamoDB refuses (an empty set)
        if (resource === INTEGRATIONS.dynamodbPutItem && a.Item?.sk?.S?.startsWith('BATCH#')) {
          const details = JSON.stringify(a.Item);
          if (details.includes('two.log')) return next({ ...a, Item: { ...a.Item, bad: { SS: [] } } });
        }
        // and another batch's metrics carry a datum CloudWatch refuses (Value and Values together)
        if (resource === INTEGRATIONS.lambdaInvoke && JSON.stringify(args).includes('three.log')) {
          const result = (await next(args)) as { Payload: { metricBatches: unknown[][] } };
          result.Payload.metricBatches[0]!.push({
            MetricName: 'Requests',
            Value: 1,
            Values: [1],
            Counts: [1],
          });
          return result;
        }
        return next(args);
      },
    });
    expect(result.error ?? result.status).toBe('SUCCEEDED');
    const failed = result.daily?.files.failed ?? [];
    expect(failed).toEqual([
      expect.objectContaining({ key: 'logs/2026/11/19/three.log', state: 'StoreMetrics' }),
      expect.objectContaining({ key: 'logs/2026/11/19/two.log', state: 'StoreSummary' }),
    ]);
    expect(failed[0]?.error).toMatch(/^CloudWatch\./);
    expect(failed[1]?.error).toMatch(/^DynamoDB\./);
    for (const f of failed) expect(f.cause).toBeTruthy();
    // counts agree with the numbers: only one.log is analysed and merged
    expect(result.daily?.files.analyzed).toBe(1);
    expect(result.daily?.requests).toBe(60);
    expect(result.daily?.files.details.map((d) => d.key)).toEqual(['logs/2026/11/19/one.log']);
  }, 120_000);
});
