import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { emptyRecord, SummaryBuilder, toBatchSummaryItem } from '@logflow/analyzer';
import { startLocalAws } from '@logflow/local-aws';
import { fixedClock, resourceNames } from '@logflow/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRunResources } from '../run/resources.js';
import { runReport } from './report.js';

const date = '2026-11-22';
/** The day after: inside the summaries' TTL and CloudWatch's window, whatever the real date. */
const clock = fixedClock('2026-11-23T06:00:00Z');
let state: string;
const savedEndpoint = process.env.AWS_ENDPOINT_URL;

/** Seeds a persistent local AWS state folder as a local run of the day would leave it. */
async function seed(dir: string): Promise<void> {
  const aws = await startLocalAws({ stateDir: dir, clock });
  const names = resourceNames({ environment: 'local' });
  const s3 = new S3Client(aws.clientConfig());
  const dynamodb = new DynamoDBClient(aws.clientConfig());
  try {
    await ensureRunResources({ s3, dynamodb }, names);
    const builder = new SummaryBuilder({
      file: { key: 'logs/2026/11/22/web.log', gzip: false },
      format: 'combined',
    });
    for (let i = 0; i < 30; i++) {
      const r = emptyRecord();
      r.timestampMs = Date.parse(`${date}T12:00:00Z`) + i * 60_000;
      r.method = 'GET';
      r.path = i === 0 ? '/<script>alert(1)</script>' : '/index.html';
      r.status = i % 10 === 0 ? 500 : 200;
      r.client = '192.0.2.1';
      builder.add(r);
    }
    const summary = builder.finish();
    const details = [
      { key: summary.file.key, format: summary.format, requests: 30, bytes: 0, malformed: 0, errors5xx: 3 },
    ];
    const item = toBatchSummaryItem({ core: summary, details }, date, 'b1');
    await dynamodb.send(new PutItemCommand({ TableName: names.summaryTable, Item: item }));
    // the day's Map results, which name the batch summary records the report merges
    const base = `results/${date}/run-1`;
    const put = (Key: string, value: unknown) =>
      s3.send(new PutObjectCommand({ Bucket: names.resultBucket, Key, Body: JSON.stringify(value) }));
    await put(`${base}/SUCCEEDED_0.json`, [
      {
        Status: 'SUCCEEDED',
        Input: '{"Items":[]}',
        Output: JSON.stringify({ summaryKey: 'BATCH#b1', analyzed: 1, failed: [] }),
      },
    ]);
    await put(`${base}/manifest.json`, {
      DestinationBucket: names.resultBucket,
      ResultFiles: { SUCCEEDED: [{ Key: `${base}/SUCCEEDED_0.json`, Size: 1 }], FAILED: [], PENDING: [] },
    });
  } finally {
    s3.destroy();
    dynamodb.destroy();
    await aws.stop();
  }
}

beforeAll(async () => {
  delete process.env.AWS_ENDPOINT_URL;
  state = await mkdtemp(path.join(tmpdir(), 'logflow-report-'));
  await seed(state);
}, 60_000);

afterAll(async () => {
  if (savedEndpoint !== undefined) process.env.AWS_ENDPOINT_URL = savedEndpoint;
  if (state) await rm(state, { recursive: true, force: true });
});

describe('logflow report', () => {
  it('renders a processed day from the local state and copies the three files out', async () => {
    const result = await runReport({ date, state }, clock);
    const dir = path.join(state, 'reports', date);
    expect(result).toEqual({
      date,
      files: { analyzed: 1, failed: 0 },
      requests: 30,
      paths: {
        json: path.join(dir, 'summary.json'),
        md: path.join(dir, 'summary.md'),
        html: path.join(dir, 'summary.html'),
      },
    });
    const json = JSON.parse(await readFile(result.paths.json, 'utf8')) as {
      requests: number;
      statusClass: Record<string, number>;
    };
    expect(json.requests).toBe(30);
    expect(json.statusClass['5xx']).toBe(3);
    expect(await readFile(result.paths.md, 'utf8')).toContain(`# logflow daily report: ${date}`);
    const html = await readFile(result.paths.html, 'utf8');
    expect(html).toContain('/&lt;script&gt;alert(1)&lt;/script&gt;');

    // the state persists and the report is reproducible
    const again = await runReport({ date, state, out: path.join(state, 'again') }, clock);
    expect(await readFile(again.paths.html, 'utf8')).toBe(html);
  }, 60_000);

  it('says what to do when nothing was processed yet', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'logflow-report-empty-'));
    try {
      await expect(runReport({ date, state: empty })).rejects.toThrow(
        /summary table logflow-local-summaries not found in local AWS state .*; process a day first \(logflow run\)/,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  }, 60_000);

  it('rejects a malformed date', async () => {
    await expect(runReport({ date: '2026-11-32', state })).rejects.toThrow(
      '--date: "2026-11-32" is not a day (YYYY-MM-DD)',
    );
    await expect(runReport({ date: '2026-02-30', state })).rejects.toThrow(
      '--date: "2026-02-30" is not a day (YYYY-MM-DD)',
    );
  });
});
