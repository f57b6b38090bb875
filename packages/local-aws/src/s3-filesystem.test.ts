import {
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  GetObjectCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from './index.js';

describe('S3 on the state folder', () => {
  let dir: string;
  let aws: LocalAws;
  let s3: S3Client;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'logflow-s3-fs-'));
    aws = await startLocalAws({ stateDir: dir });
    s3 = new S3Client(aws.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'fs-bucket' }));
  });
  afterAll(async () => {
    s3.destroy();
    await aws.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('sees every change of a bucket configuration it keeps in memory', async () => {
    const getCors = () => s3.send(new GetBucketCorsCommand({ Bucket: 'fs-bucket' }));
    await expect(getCors()).rejects.toMatchObject({ name: 'NoSuchCORSConfiguration' });
    const rule = (origin: string) => ({ AllowedMethods: ['GET'], AllowedOrigins: [origin] });
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: 'fs-bucket',
        CORSConfiguration: { CORSRules: [rule('https://a.example')] },
      }),
    );
    expect((await getCors()).CORSRules?.[0]?.AllowedOrigins).toEqual(['https://a.example']);
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: 'fs-bucket',
        CORSConfiguration: { CORSRules: [rule('https://b.example')] },
      }),
    );
    expect((await getCors()).CORSRules?.[0]?.AllowedOrigins).toEqual(['https://b.example']);
    await s3.send(new DeleteBucketCorsCommand({ Bucket: 'fs-bucket' }));
    await expect(getCors()).rejects.toMatchObject({ name: 'NoSuchCORSConfiguration' });
  });

  it('streams whole objects larger than one disk read, and ranges of them, byte for byte', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31 + (i >> 11)) & 0xff;
    await s3.send(new PutObjectCommand({ Bucket: 'fs-bucket', Key: 'big.bin', Body: body }));
    const get = async (range?: string) => {
      const answer = await s3.send(
        new GetObjectCommand({ Bucket: 'fs-bucket', Key: 'big.bin', ...(range ? { Range: range } : {}) }),
      );
      return Buffer.from(await answer.Body!.transformToByteArray());
    };
    expect((await get()).equals(body)).toBe(true);
    expect((await get('bytes=1048570-2097160')).equals(body.subarray(1048570, 2097161))).toBe(true);
    expect((await get(`bytes=${body.length - 5}-`)).equals(body.subarray(body.length - 5))).toBe(true);
  });
});
