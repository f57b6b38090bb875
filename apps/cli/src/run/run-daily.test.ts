/**
 * End to end: the daily workflow through local AWS, checking every effect a deployed run has:
 * objects listed, one DynamoDB item per analysed file, CloudWatch datapoints, the ResultWriter
 * manifest and result files, the report objects, and the corrupt file recorded as failed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import {
  fixedClock,
  resourceNames,
  summaryItemKey,
  type BatchOutcome,
  type DailySummary,
} from '@logflow/shared-types';
import { runDaily, type DailyRunOptions, type DailyRunResult } from './run-daily.js';
import { formatSyncChanges, type SyncChanges } from './upload.js';
import { formatRunSummary } from './summary-table.js';
import { metricSums } from './test-support/metric-sums.js';

/** The run's fixed "now", shared by local AWS (CloudWatch's window, TTLs) and the handlers. */
const NOW_MS = Date.parse('2026-11-22T13:00:00Z');

/**
 * Runs the day against an in-process local AWS on `stateDir` that reads `nowMs` as its clock,
 * through the `endpoint` target (the environment points the run at it).
 */
async function runAt(
  nowMs: number,
  stateDir: string,
  options: Omit<DailyRunOptions, 'target' | 'clock'>,
  reset = true,
): Promise<{ result: DailyRunResult; local: LocalAws }> {
  const clock = fixedClock(nowMs);
  const local = await startLocalAws({ stateDir, reset, clock });
  const saved = { ...process.env };
  Object.assign(process.env, local.env());
  try {
    const result = await runDaily({
      ...options,
      target: { kind: 'endpoint' },
      clock,
      lambdaLogFile: join(stateDir, 'lambda.log'),
    });
    return { result, local };
  } catch (error) {
    await local.stop();
    throw error;
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** nginx `$time_local`, in UTC. */
function clfTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

interface Generated {
  text: string;
  requests: number;
  errors5xx: number;
}

/** Combined-format lines with `$request_time`, spread over the last `minutes` minutes. */
function combinedLog(count: number, startMs: number, seed: number): Generated {
  const lines: string[] = [];
  let errors5xx = 0;
  for (let i = 0; i < count; i++) {
    const status = (i + seed) % 17 === 0 ? 503 : (i + seed) % 5 === 0 ? 404 : 200;
    if (status >= 500) errors5xx++;
    const t = startMs + i * 1000;
    lines.push(
      `10.0.${seed}.${i % 50} - - [${clfTime(t)}] "GET /api/items/${i % 7}?q=${i} HTTP/1.1" ${status} ${100 + i} "-" "curl/8.${seed}" ${(0.01 + (i % 10) / 100).toFixed(3)}`,
    );
  }
  return { text: `${lines.join('\n')}\n`, requests: count, errors5xx };
}

/** The per-minute `Requests` sums local CloudWatch holds from an hour before `startMs` on. */
const requestsPerMinute = (local: LocalAws, startMs: number): Promise<number[]> =>
  metricSums(local, {
    metricName: 'Requests',
    start: new Date(startMs - 3_600_000),
    end: new Date(NOW_MS + 3_600_000),
    periodSeconds: 60,
  });

describe('logflow run, end to end through local AWS', () => {
  let dir: string;
  let stateDir: string;
  let result: DailyRunResult;
  let local: LocalAws;
  const names = resourceNames();
  // Half an hour before the run: CloudWatch accepts datapoints up to two weeks old.
  const startMs = NOW_MS - 30 * 60_000;
  const date = new Date(startMs).toISOString().slice(0, 10);
  const files = {
    'web-1.log': combinedLog(120, startMs, 1),
    'web-2.log.gz': combinedLog(80, startMs + 60_000, 2),
  };
  const expectedRequests = files['web-1.log'].requests + files['web-2.log.gz'].requests;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logflow-e2e-logs-'));
    stateDir = await mkdtemp(join(tmpdir(), 'logflow-e2e-state-'));
    await writeFile(join(dir, 'web-1.log'), files['web-1.log'].text);
    await writeFile(join(dir, 'web-2.log.gz'), gzipSync(files['web-2.log.gz'].text));
    await writeFile(join(dir, 'corrupt.log'), 'this is not an access log\n\u0000\u0001\u0002 nor is this\n');
    ({ result, local } = await runAt(NOW_MS, stateDir, {
      logDir: dir,
      date,
      reportDir: join(stateDir, 'out'),
      // One corrupt file in three must not fail the day.
      toleratedFailurePercentage: 50,
    }));
  }, 120_000);

  afterAll(async () => {
    await local?.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(stateDir, { recursive: true, force: true });
  });

  it('succeeds and counts the corrupt file as failed', () => {
    expect(result.status).toBe('SUCCEEDED');
    expect(result.files).toEqual({ total: 3, analyzed: 2, failed: 1 });
    expect(result.requests).toBe(expectedRequests);
  });

  it('uploaded every file under the day prefix', async () => {
    const s3 = new S3Client(local.clientConfig());
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: names.inputBucket, Prefix: result.prefix }),
    );
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(
      ['corrupt.log', 'web-1.log', 'web-2.log.gz'].map((f) => `${result.prefix}${f}`),
    );
  });

  it('stored a version record per object, PUBLISHED for the analysed ones, and one batch summary', async () => {
    const dynamodb = new DynamoDBClient(local.clientConfig());
    const items = await dynamodb.send(
      new QueryCommand({
        TableName: names.summaryTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `DAY#${date}` } },
      }),
    );
    const records = (items.Items ?? []).map((item) => `${item.sk?.S} ${item.status?.S ?? ''}`.trim());
    expect(records.filter((r) => r.startsWith('FILE#')).sort()).toEqual([
      `${summaryItemKey(date, names.inputBucket, `${result.prefix}corrupt.log`).sk} PENDING`,
      `${summaryItemKey(date, names.inputBucket, `${result.prefix}web-1.log`).sk} PUBLISHED`,
      `${summaryItemKey(date, names.inputBucket, `${result.prefix}web-2.log.gz`).sk} PUBLISHED`,
    ]);
    expect(records.filter((r) => r.startsWith('BATCH#'))).toHaveLength(1);
  });

  it('published per-minute request metrics queryable with GetMetricData', async () => {
    const values = await requestsPerMinute(local, startMs);
    expect(values.length).toBeGreaterThan(1);
    expect(values.reduce((a, b) => a + b, 0)).toBe(expectedRequests);
    expect(result.metrics.datums).toBeGreaterThan(0);
    expect(result.metrics.outsideWindow).toBe(0);
  });

  it('exported the Map results with a ResultWriter manifest', async () => {
    const s3 = new S3Client(local.clientConfig());
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: names.resultBucket, Prefix: `results/${date}/` }),
    );
    const manifestKey = (listed.Contents ?? []).map((o) => o.Key!).find((k) => k.endsWith('/manifest.json'));
    expect(manifestKey).toBeDefined();
    const manifest = JSON.parse(
      await (
        await s3.send(new GetObjectCommand({ Bucket: names.resultBucket, Key: manifestKey! }))
      ).Body!.transformToString(),
    ) as { ResultFiles: { SUCCEEDED: { Key: string }[] } };
    const outcomes: BatchOutcome[] = [];
    for (const file of manifest.ResultFiles.SUCCEEDED) {
      const body = await s3.send(new GetObjectCommand({ Bucket: names.resultBucket, Key: file.Key }));
      for (const child of JSON.parse(await body.Body!.transformToString()) as { Output: string }[]) {
        outcomes.push(JSON.parse(child.Output) as BatchOutcome);
      }
    }
    // the three files make one batch: its summary record, two analysed, the corrupt one failed
    expect(outcomes).toEqual([
      {
        summaryKey: expect.stringMatching(/^BATCH#[0-9a-f]{40}$/),
        analyzed: 2,
        failed: [expect.objectContaining({ key: `${result.prefix}corrupt.log`, state: 'AnalyzeLogData' })],
      },
    ]);
  });

  it('wrote the report objects and copied them out', async () => {
    expect(result.report).not.toBeNull();
    const daily = JSON.parse(await readFile(result.report!.json, 'utf8')) as DailySummary;
    expect(daily.date).toBe(date);
    expect(daily.requests).toBe(expectedRequests);
    expect(daily.statusClass['5xx']).toBe(files['web-1.log'].errors5xx + files['web-2.log.gz'].errors5xx);
    expect(daily.files.failed).toEqual([
      expect.objectContaining({ key: `${result.prefix}corrupt.log`, error: 'UnrecognizedLogFormatError' }),
    ]);
    const html = await readFile(result.report!.html, 'utf8');
    expect(html).toContain('<svg');
    expect(await readFile(result.report!.md, 'utf8')).toContain('corrupt.log');
    const s3 = new S3Client(local.clientConfig());
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: names.resultBucket, Prefix: `reports/${date}/` }),
    );
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(
      ['summary.html', 'summary.json', 'summary.md'].map((f) => `reports/${date}/${f}`),
    );
  });
});

describe('logflow run on logs CloudWatch no longer accepts', () => {
  it('counts and reports the datums left out instead of dropping them silently', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'logflow-old-logs-'));
    const stateDir = await mkdtemp(join(tmpdir(), 'logflow-old-state-'));
    const startMs = NOW_MS - 30 * 60_000;
    await writeFile(join(dir, 'web.log'), combinedLog(90, startMs, 3).text);
    const date = new Date(startMs).toISOString().slice(0, 10);
    // The same day, run three weeks later.
    const late = await runAt(NOW_MS + 21 * 86_400_000, stateDir, { logDir: dir, date });
    const fresh = await runAt(NOW_MS, await mkdtemp(join(tmpdir(), 'logflow-fresh-state-')), {
      logDir: dir,
      date,
    });
    try {
      expect(late.result.status).toBe('SUCCEEDED');
      expect(late.result.requests).toBe(90);
      expect(late.result.metrics).toEqual({ datums: 0, outsideWindow: fresh.result.metrics.datums });
      expect(formatRunSummary(late.result)).toMatch(
        new RegExp(`metrics +0 datapoints published, ${fresh.result.metrics.datums} left out`),
      );
      expect(formatRunSummary(late.result)).toContain("outside CloudWatch's window");
      expect(await requestsPerMinute(late.local, startMs)).toEqual([]);
    } finally {
      await late.local.stop();
      await fresh.local.stop();
      await rm(dir, { recursive: true, force: true });
      await rm(stateDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('logflow run DIR, run again after the folder changed', () => {
  it('makes the prefix equal to the folder, says what changed, and the day follows: no metric twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'logflow-sync-logs-'));
    const stateDir = await mkdtemp(join(tmpdir(), 'logflow-sync-state-'));
    const startMs = NOW_MS - 30 * 60_000;
    const date = new Date(startMs).toISOString().slice(0, 10);
    const a = combinedLog(60, startMs, 4);
    const b = combinedLog(40, startMs + 60_000, 5);
    const c = combinedLog(25, startMs + 120_000, 6);
    await writeFile(join(dir, 'a.log'), a.text);
    await writeFile(join(dir, 'b.log'), b.text);
    const changes: SyncChanges[] = [];
    const options = {
      logDir: dir,
      date,
      onStart: (info: { changes: SyncChanges }) => changes.push(info.changes),
    };
    const first = await runAt(NOW_MS, stateDir, options);
    await first.local.stop();
    await rm(join(dir, 'b.log'));
    await writeFile(join(dir, 'c.log'), c.text);
    const second = await runAt(NOW_MS, stateDir, options, false);
    try {
      expect(changes).toEqual([
        { uploaded: ['a.log', 'b.log'], removed: [], unchanged: 0 },
        { uploaded: ['c.log'], removed: ['b.log'], unchanged: 1 },
      ]);
      expect(formatSyncChanges(changes[1]!)).toBe('1 uploaded: c.log · 1 removed: b.log · 1 unchanged');
      expect(second.result.status).toBe('SUCCEEDED');
      expect(second.result.files).toEqual({ total: 2, analyzed: 2, failed: 0 });
      expect(second.result.requests).toBe(a.requests + c.requests);
      expect(second.result.daily?.files.details.map((d) => d.key)).toEqual([
        `${second.result.prefix}a.log`,
        `${second.result.prefix}c.log`,
      ]);
      // CloudWatch holds each object's requests once: a.log was not published again
      const sum = (await requestsPerMinute(second.local, startMs)).reduce((x, y) => x + y, 0);
      expect(sum).toBe(a.requests + b.requests + c.requests);
    } finally {
      await second.local.stop();
      await rm(dir, { recursive: true, force: true });
      await rm(stateDir, { recursive: true, force: true });
    }
  }, 120_000);
});
