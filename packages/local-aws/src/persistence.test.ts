import { CloudWatchClient, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startLocalAws, type LocalAws } from './index.js';

async function withClients<T>(
  aws: LocalAws,
  use: (clients: { s3: S3Client; ddb: DynamoDBClient; cw: CloudWatchClient }) => Promise<T>,
): Promise<T> {
  const clients = {
    s3: new S3Client(aws.clientConfig()),
    ddb: new DynamoDBClient(aws.clientConfig()),
    cw: new CloudWatchClient(aws.clientConfig()),
  };
  try {
    return await use(clients);
  } finally {
    clients.s3.destroy();
    clients.ddb.destroy();
    clients.cw.destroy();
  }
}

async function writeRun(aws: LocalAws, run: number): Promise<void> {
  await withClients(aws, async ({ s3, ddb, cw }) => {
    if (run === 1) {
      await s3.send(new CreateBucketCommand({ Bucket: 'kept' }));
      await ddb.send(
        new CreateTableCommand({
          TableName: 'kept',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await ddb.send(
        new UpdateTimeToLiveCommand({
          TableName: 'kept',
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        }),
      );
    }
    if (run === 1) {
      const now = Math.floor(Date.now() / 1000);
      for (const [pk, expiresAt] of [
        ['expired', now - 3600],
        ['live', now + 3600],
        ['ancient', now - 6 * 365 * 24 * 3600],
      ] as const) {
        await ddb.send(
          new PutItemCommand({
            TableName: 'kept',
            Item: { pk: { S: pk }, expiresAt: { N: String(expiresAt) } },
          }),
        );
      }
    }
    await s3.send(new PutObjectCommand({ Bucket: 'kept', Key: `run-${run}.txt`, Body: `run ${run}` }));
    await ddb.send(new PutItemCommand({ TableName: 'kept', Item: { pk: { S: `run-${run}` } } }));
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Logflow/kept',
        MetricData: [{ MetricName: `Run${run}`, Value: run }],
      }),
    );
  });
}

describe('persistence under the state folder', () => {
  let stateDir: string;

  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'local-aws-state-'));
  });
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('accumulates S3 objects, DynamoDB items and metrics across restarts', async () => {
    const first = await startLocalAws({ stateDir });
    try {
      expect(first.stateDir).toBe(path.resolve(stateDir));
      await writeRun(first, 1);
    } finally {
      await first.stop();
    }

    const second = await startLocalAws({ stateDir });
    onTestFinished(() => second.stop());
    await writeRun(second, 2);
    await withClients(second, async ({ s3, ddb, cw }) => {
      const old = await s3.send(new GetObjectCommand({ Bucket: 'kept', Key: 'run-1.txt' }));
      expect(await old.Body!.transformToString()).toBe('run 1');
      const item = await ddb.send(new GetItemCommand({ TableName: 'kept', Key: { pk: { S: 'run-1' } } }));
      expect(item.Item).toEqual({ pk: { S: 'run-1' } });
      // expired items are swept at start; DynamoDB leaves those over five years past alone
      const ttlKeys = ['expired', 'live', 'ancient'];
      const present = await Promise.all(
        ttlKeys.map(
          async (pk) =>
            (await ddb.send(new GetItemCommand({ TableName: 'kept', Key: { pk: { S: pk } } }))).Item,
        ),
      );
      expect(present.map((item) => item !== undefined)).toEqual([false, true, true]);
      const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'kept' }));
      expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
      const metrics = await cw.send(new ListMetricsCommand({ Namespace: 'Logflow/kept' }));
      expect(metrics.Metrics?.map((m) => m.MetricName).sort()).toEqual(['Run1', 'Run2']);
    });
  });

  it('refuses a second endpoint on the same folder, and takes over a stale lock', async () => {
    const first = await startLocalAws({ stateDir });
    try {
      await expect(startLocalAws({ stateDir })).rejects.toThrow(/is in use by process \d+ \(this one\)/);
    } finally {
      await first.stop();
    }
    // a pid that cannot be running
    await writeFile(path.join(stateDir, 'local-aws.lock'), '2147483646');
    const again = await startLocalAws({ stateDir });
    await again.stop();
    expect(existsSync(path.join(stateDir, 'local-aws.lock'))).toBe(false);
  });

  it('fails on a busy port and releases what it had started', async () => {
    const holder = await startLocalAws({ inMemory: true });
    try {
      const port = Number(new URL(holder.endpoint).port);
      await expect(startLocalAws({ stateDir, port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      const again = await startLocalAws({ stateDir });
      await again.stop();
    } finally {
      await holder.stop();
    }
  });

  it('starts clean with reset and keeps foreign files in the folder', async () => {
    await writeFile(path.join(stateDir, 'other-tool.json'), '{}');
    const aws = await startLocalAws({ stateDir, reset: true });
    onTestFinished(() => aws.stop());
    await withClients(aws, async ({ s3, ddb, cw }) => {
      expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
      expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual([]);
      expect((await cw.send(new ListMetricsCommand({}))).Metrics).toEqual([]);
    });
    expect(existsSync(path.join(stateDir, 'other-tool.json'))).toBe(true);
  });

  it('writes nothing in memory mode', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'local-aws-none-'));
    const cwd = process.cwd();
    try {
      process.chdir(empty);
      const aws = await startLocalAws({ inMemory: true });
      await writeRun(aws, 1);
      await aws.stop();
      expect(await readdir(empty)).toEqual([]);
    } finally {
      process.chdir(cwd);
      await rm(empty, { recursive: true, force: true });
    }
  });
});
