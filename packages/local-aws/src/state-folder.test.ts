import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from './index.js';

/** A small tmpfs to fill up and to make read-only; needs the right to mount (root here and in CI). */
function mountSmallDisk(): string | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'local-aws-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

/** Appends to `file` until the disk is full. */
function fillDisk(file: string): void {
  const fd = openSync(file, 'a');
  try {
    for (const size of [256 * 1024, 4096, 512, 1]) {
      for (;;) {
        try {
          writeSync(fd, Buffer.alloc(size));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

const disk = process.getuid?.() === 0 ? mountSmallDisk() : undefined;

describe.skipIf(disk === undefined)('a state folder that cannot be written', () => {
  const stateDir = path.join(disk ?? '', 'state');
  let aws: LocalAws;
  let config: ReturnType<LocalAws['clientConfig']> & { maxAttempts: number };
  beforeAll(async () => {
    aws = await startLocalAws({ stateDir });
    config = { ...aws.clientConfig(), maxAttempts: 1 };
  });
  afterAll(async () => {
    await aws?.stop().catch(() => undefined);
    execFileSync('umount', [disk!]);
    rmSync(disk!, { recursive: true, force: true });
  });

  it('a full disk is an error naming the folder, in each service, and loses nothing stored before', async () => {
    const s3 = new S3Client(config);
    const ddb = new DynamoDBClient(config);
    const cw = new CloudWatchClient(config);
    await s3.send(new CreateBucketCommand({ Bucket: 'full' }));
    await s3.send(new PutObjectCommand({ Bucket: 'full', Key: 'kept.txt', Body: 'kept' }));
    await ddb.send(
      new CreateTableCommand({
        TableName: 'full',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const big = Buffer.alloc(4 * 1024 * 1024, 1);
    const s3Error = await s3
      .send(new PutObjectCommand({ Bucket: 'full', Key: 'big.bin', Body: big }))
      .catch((e: Error) => e);
    expect(s3Error).toMatchObject({
      name: 'InternalError',
      message: `local AWS cannot write its state folder ${path.join(stateDir, 's3')}: no space left on the device (ENOSPC)`,
    });
    // fill what is left, then every service says why it cannot write
    fillDisk(path.join(disk!, 'filler'));
    const cwError = await cw
      .send(new PutMetricDataCommand({ Namespace: 'Full', MetricData: [{ MetricName: 'M', Value: 1 }] }))
      .catch((e: Error) => e);
    expect((cwError as Error).message).toBe(
      `local AWS cannot write its state folder ${path.join(stateDir, 'cloudwatch')}: no space left on the device (ENOSPC)`,
    );
    const ddbError = await ddb
      .send(
        new PutItemCommand({ TableName: 'full', Item: { pk: { S: 'x' }, data: { S: 'x'.repeat(300_000) } } }),
      )
      .catch((e: Error) => e);
    expect((ddbError as Error).message).toContain(path.join(stateDir, 'dynamodb'));
    const kept = await s3.send(new GetObjectCommand({ Bucket: 'full', Key: 'kept.txt' }));
    expect(await kept.Body!.transformToString()).toBe('kept');
    // the endpoint kept serving: with space again, every service writes
    rmSync(path.join(disk!, 'filler'));
    await s3.send(new PutObjectCommand({ Bucket: 'full', Key: 'after.txt', Body: 'after' }));
    await ddb.send(new PutItemCommand({ TableName: 'full', Item: { pk: { S: 'after' } } }));
    await cw.send(
      new PutMetricDataCommand({ Namespace: 'Full', MetricData: [{ MetricName: 'M', Value: 1 }] }),
    );
    for (const client of [s3, ddb, cw]) client.destroy();
  });

  it('a read-only state folder stops the start with an error naming it', async () => {
    await aws.stop();
    execFileSync('mount', ['-o', 'remount,ro', disk!]);
    try {
      await expect(startLocalAws({ stateDir })).rejects.toThrow(
        `local AWS cannot write its state folder ${stateDir}: the file system is read-only (EROFS)`,
      );
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', disk!]);
    }
  });
});
