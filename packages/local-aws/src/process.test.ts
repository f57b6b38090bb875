import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalAws } from './local-aws.js';
import { startLocalAwsProcess } from './process.js';

describe('startLocalAwsProcess', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('serves from a child process and keeps the data in the state folder', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'local-aws-process-'));
    dirs.push(stateDir);
    const aws = await startLocalAwsProcess({ stateDir });
    const pid = Number(await readFile(join(stateDir, 'local-aws.lock'), 'utf8'));
    expect(pid).not.toBe(process.pid);
    const s3 = new S3Client(aws.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'process-test' }));
    await s3.send(new PutObjectCommand({ Bucket: 'process-test', Key: 'k', Body: 'hello' }));
    await aws.stop();
    s3.destroy();

    // The child released the folder: the same data opens in this process.
    const again = await startLocalAws({ stateDir });
    try {
      const s3again = new S3Client(again.clientConfig());
      const body = await s3again.send(new GetObjectCommand({ Bucket: 'process-test', Key: 'k' }));
      expect(await body.Body!.transformToString()).toBe('hello');
    } finally {
      await again.stop();
    }
  });

  it('reports a start failure with its reason', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'local-aws-process-'));
    dirs.push(stateDir);
    const holder = await startLocalAws({ stateDir });
    try {
      await expect(startLocalAwsProcess({ stateDir })).rejects.toThrow(/is in use by process/);
    } finally {
      await holder.stop();
    }
  });
});
