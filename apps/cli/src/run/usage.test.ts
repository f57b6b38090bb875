/**
 * The usage meter on a small local day: its counts against what the workflow must do for the
 * day's files (one GetObject per file, a claim per object and a summary record per batch, one
 * Express child per batch, a PutMetricData request per metric batch) and the bill they make.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { computeBill } from '@logflow/cost';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import { fixedClock, resourceNames } from '@logflow/shared-types';
import { buildDailyWorkflowDefinition, localWorkflowConfig } from '@logflow/workflow';
import { runDaily, type DailyRunResult } from './run-daily.js';

const NOW_MS = Date.parse('2026-11-22T13:00:00Z');

/** JSON lines, one request a second from `startMs`. */
function jsonLog(count: number, startMs: number, seed: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    lines.push(
      JSON.stringify({
        time: new Date(startMs + i * 1000).toISOString(),
        remote_addr: `10.1.${seed}.${i % 20}`,
        request: `GET /p/${i % 5} HTTP/1.1`,
        status: i % 9 === 0 ? 500 : 200,
        body_bytes_sent: 100 + i,
        request_time: 0.01 + (i % 7) / 100,
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('the usage of a local run', () => {
  let dir: string;
  let stateDir: string;
  let local: LocalAws;
  let result: DailyRunResult;
  const names = resourceNames();
  const startMs = NOW_MS - 30 * 60_000;
  const date = new Date(startMs).toISOString().slice(0, 10);
  const FILES = 4;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logflow-usage-logs-'));
    stateDir = await mkdtemp(join(tmpdir(), 'logflow-usage-state-'));
    for (let i = 0; i < FILES - 1; i++)
      await writeFile(join(dir, `app-${i}.jsonl`), jsonLog(50 + i * 10, startMs, i));
    await writeFile(join(dir, 'notes.txt'), 'not a log at all\n');
    const clock = fixedClock(NOW_MS);
    local = await startLocalAws({ stateDir, reset: true, clock, countRequests: true });
    const saved = { ...process.env };
    Object.assign(process.env, local.env());
    try {
      result = await runDaily({
        logDir: dir,
        date,
        target: { kind: 'endpoint' },
        clock,
        requestCounts: local.requestCounts!,
        reportDir: join(stateDir, 'out'),
        lambdaLogFile: join(stateDir, 'lambda.log'),
        toleratedFailurePercentage: 50,
      });
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  }, 120_000);

  afterAll(async () => {
    await local?.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(stateDir, { recursive: true, force: true });
  });

  it('counts what the workflow must do for the day', async () => {
    expect(result.status).toBe('SUCCEEDED');
    expect(result.files).toEqual({ total: FILES, analyzed: FILES - 1, failed: 1 });
    const { usage } = result;
    const requests = usage.measured.requests!;

    // the reporter reads the ResultWriter's manifest and every result file it lists
    const s3 = new S3Client(local.clientConfig());
    let resultObjects: number;
    try {
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: names.resultBucket, Prefix: `results/${date}/` }),
      );
      resultObjects = (listed.Contents ?? []).length;
    } finally {
      s3.destroy();
    }
    expect(resultObjects).toBeGreaterThanOrEqual(2);

    expect(usage.logs.files).toBe(FILES);
    // one Express child per batch of objects, one Standard transition for each, and each of the
    // parent's states entered once on a day that succeeds
    const definition = buildDailyWorkflowDefinition(localWorkflowConfig()) as {
      States: Record<string, { ItemBatcher?: { MaxItemsPerBatch?: number } }>;
    };
    const perBatch = definition.States.ProcessLogsUnderPrefix?.ItemBatcher?.MaxItemsPerBatch ?? 1;
    const children = Math.ceil(FILES / perBatch);
    expect(usage.stepFunctions.expressExecutions).toBe(children);
    expect(usage.stepFunctions.standardTransitions).toBe(Object.keys(definition.States).length + children);
    expect(usage.stepFunctions.expressBilledDurationMs).toBeGreaterThanOrEqual(children * 100);
    const analyzer = usage.lambda.find((f) => f.name === names.analyzerFunction);
    const reporter = usage.lambda.find((f) => f.name === names.reporterFunction);
    expect(analyzer?.invocations).toBe(children);
    expect(reporter?.invocations).toBe(1);

    // one listing, one GetObject per file plus the reporter's reads of the results
    expect(requests.s3?.ListObjectsV2).toBe(1);
    expect(requests.s3?.GetObject).toBe(FILES + resultObjects);
    expect(usage.s3.get).toBe(requests.s3?.GetObject);
    // a claim per object, a summary record per batch and the claim of the day's metrics
    expect(requests.dynamodb?.PutItem).toBe(FILES + children + 1);
    expect(usage.dynamodb.wru).toBeGreaterThanOrEqual(
      FILES + children + 1 + (requests.dynamodb?.UpdateItem ?? 0),
    );
    // one PutMetricData per metric batch of each analysed file (the state machine's StoreMetrics
    // tasks), and one for the day's metrics, which the reporter publishes in a single batch here
    const batches = usage.measured.tasks['arn:aws:states:::aws-sdk:cloudwatch:putMetricData'] ?? 0;
    expect(batches).toBeGreaterThanOrEqual(children);
    expect(requests.cloudwatch?.PutMetricData).toBe(batches + 1);
    expect(usage.cloudwatch.putMetricDataRequests).toBe(batches + 1);
    expect(result.metrics.datums).toBeGreaterThan(0);
    expect(usage.cloudwatch.metrics).toBeGreaterThan(0);
    expect(usage.cloudwatch.metricHours).toBe(1);
    // the upload (a local-only step) is not part of the day's usage
    expect(requests.s3?.CreateBucket).toBeUndefined();

    const bill = computeBill(usage);
    expect(bill.total).toBeGreaterThan(bill.s3GetFloor);
    expect(bill.items.find((i) => i.item === 'express executions')?.quantity).toBe(children);
  });
});
