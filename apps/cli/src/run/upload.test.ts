import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import { listLogFiles, syncLogFiles } from './upload.js';

describe('syncLogFiles', () => {
  const sent = async (prefix = 'p/'): Promise<string[]> =>
    (await syncLogFiles(s3, 'upload-test', prefix, await listLogFiles(dir))).uploaded;

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
    expect(await sent()).toEqual(['a.log', 'b.log']);
    expect(await sent()).toEqual([]);

    await writeFile(join(dir, 'a.log'), 'first, changed\n');
    const later = new Date(Date.now() + 5_000);
    await utimes(join(dir, 'a.log'), later, later);
    expect(await sent()).toEqual(['a.log']);
    const body = await s3.send(new GetObjectCommand({ Bucket: 'upload-test', Key: 'p/a.log' }));
    expect(await body.Body!.transformToString()).toBe('first, changed\n');

    // same size, newer file: the object's metadata, not its size, tells it apart
    await writeFile(join(dir, 'a.log'), 'first, CHANGED\n');
    const latest = new Date(Date.now() + 10_000);
    await utimes(join(dir, 'a.log'), latest, latest);
    expect(await sent()).toEqual(['a.log']);
    const again = await s3.send(new GetObjectCommand({ Bucket: 'upload-test', Key: 'p/a.log' }));
    expect(await again.Body!.transformToString()).toBe('first, CHANGED\n');
  });

  it('removes the objects whose file is gone, and says which', async () => {
    await writeFile(join(dir, 'c.log'), 'third\n');
    await syncLogFiles(s3, 'upload-test', 'q/', await listLogFiles(dir));
    await rm(join(dir, 'c.log'));
    const changes = await syncLogFiles(s3, 'upload-test', 'q/', await listLogFiles(dir));
    expect(changes).toEqual({ uploaded: [], removed: ['c.log'], unchanged: 2 });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'upload-test', Prefix: 'q/' }));
    expect((listed.Contents ?? []).map((o) => o.Key)).toEqual(['q/a.log', 'q/b.log']);
    const kept = await syncLogFiles(s3, 'upload-test', 'p/', [], { removeOthers: false });
    expect(kept.removed).toEqual([]);
  });
});
