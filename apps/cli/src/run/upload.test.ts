import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import { listLogFiles, uploadLogFiles } from './upload.js';

describe('uploadLogFiles', () => {
  let dir: string;
  let aws: LocalAws;
  let s3: S3Client;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logflow-upload-'));
    aws = await startLocalAws({ inMemory: true });
    s3 = new S3Client(aws.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'upload-test' }));
  });
  afterAll(async () => {
    s3.destroy();
    await aws.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends new and changed files only', async () => {
    await writeFile(join(dir, 'a.log'), 'first\n');
    await writeFile(join(dir, 'b.log'), 'second\n');
    await writeFile(join(dir, '.hidden'), 'skipped\n');
    expect(await uploadLogFiles(s3, 'upload-test', 'p/', await listLogFiles(dir))).toBe(2);
    expect(await uploadLogFiles(s3, 'upload-test', 'p/', await listLogFiles(dir))).toBe(0);

    await writeFile(join(dir, 'a.log'), 'first, changed\n');
    const later = new Date(Date.now() + 5_000);
    await utimes(join(dir, 'a.log'), later, later);
    expect(await uploadLogFiles(s3, 'upload-test', 'p/', await listLogFiles(dir))).toBe(1);
    const body = await s3.send(new GetObjectCommand({ Bucket: 'upload-test', Key: 'p/a.log' }));
    expect(await body.Body!.transformToString()).toBe('first, changed\n');

    // same size, newer file: the object's metadata, not its size, tells it apart
    await writeFile(join(dir, 'a.log'), 'first, CHANGED\n');
    const latest = new Date(Date.now() + 10_000);
    await utimes(join(dir, 'a.log'), latest, latest);
    expect(await uploadLogFiles(s3, 'upload-test', 'p/', await listLogFiles(dir))).toBe(1);
    const again = await s3.send(new GetObjectCommand({ Bucket: 'upload-test', Key: 'p/a.log' }));
    expect(await again.Body!.transformToString()).toBe('first, CHANGED\n');
  });
});
