import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from './index.js';
import { compareKeys } from './s3-store.js';
import { signedHeaders } from './test-support/sign.js';

/**
 * A deterministic stream of `size` bytes, produced chunk by chunk: a random 1 MiB block seeded
 * once, stamped with the chunk number so no two chunks are equal.
 */
function generated(size: number, seed: string): Readable {
  const base = Buffer.alloc(1024 * 1024);
  for (let offset = 0; offset < base.length; offset += 32) {
    createHash('sha256').update(`${seed}:${offset}`).digest().copy(base, offset);
  }
  let produced = 0;
  let chunkNumber = 0;
  return new Readable({
    read() {
      if (produced >= size) {
        this.push(null);
        return;
      }
      const block = Buffer.from(base.subarray(0, Math.min(base.length, size - produced)));
      block.writeUInt32BE(chunkNumber++, 0);
      produced += block.length;
      this.push(block);
    },
  });
}

async function sha256Of(stream: Readable): Promise<{ hash: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(
    stream,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        bytes += chunk.length;
        callback();
      },
    }),
  );
  return { hash: hash.digest('hex'), bytes };
}

// The full 2,500 keys on disk (what `logflow local` uses); in memory, just over one page.
describe.each([
  ['on disk', false, 2500],
  ['in memory', true, 1001],
])('S3 listing (%s)', (_name, inMemory, keyCount) => {
  let aws: LocalAws;
  let s3: S3Client;
  let stateDir: string;
  const keys = Array.from(
    { length: keyCount },
    (_, i) => `logs/2026/11/22/part-${String(i).padStart(5, '0')}.log`,
  );

  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'local-aws-s3-'));
    aws = await startLocalAws({ inMemory, stateDir });
    s3 = new S3Client(aws.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
    const queue = [...keys, 'logs/2026/11/23/x.log', 'logs/other', 'top.txt', 'a-b', 'a/b', 'ab'];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
          await s3.send(new PutObjectCommand({ Bucket: 'listing', Key: key, Body: key }));
        }
      }),
    );
  }, 120_000);
  afterAll(async () => {
    s3.destroy();
    await aws.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it(`pages through ${keyCount} keys with continuation tokens, each key once, in order`, async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2(
      { client: s3 },
      { Bucket: 'listing', Prefix: 'logs/2026/11/22/' },
    )) {
      pages++;
      expect(page.KeyCount).toBe(page.Contents?.length ?? 0);
      for (const object of page.Contents ?? []) {
        seen.push(object.Key!);
        expect(object.Size).toBe(Buffer.byteLength(object.Key!));
      }
    }
    expect(pages).toBe(Math.ceil(keyCount / 1000));
    expect(seen).toEqual(keys);
  });

  it('orders keys by their bytes and rolls up common prefixes', async () => {
    const all = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'a' }));
    expect(all.Contents?.map((c) => c.Key)).toEqual(['a-b', 'a/b', 'ab']);
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'logs/']);
    expect(top.Contents?.map((c) => c.Key)).toEqual(['a-b', 'ab', 'top.txt']);
  });

  it('counts common prefixes towards MaxKeys and continues after them', async () => {
    const entries: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: 'listing',
          Prefix: 'logs/',
          Delimiter: '/',
          MaxKeys: 1,
          ContinuationToken: token,
        }),
      );
      expect((page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0)).toBeLessThanOrEqual(1);
      entries.push(
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!),
        ...(page.Contents ?? []).map((c) => c.Key!),
      );
      token = page.NextContinuationToken;
    } while (token);
    expect(entries).toEqual(['logs/2026/', 'logs/other']);
  });

  it('rejects a made-up continuation token', async () => {
    await expect(
      s3.send(new ListObjectsV2Command({ Bucket: 'listing', ContinuationToken: 'bm90LWEtdG9rZW4' })),
    ).rejects.toMatchObject({ name: 'InvalidArgument' });
    await expect(s3.send(new ListObjectsV2Command({ Bucket: 'missing-bucket' }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
  });
});

describe('S3 large objects (on disk)', () => {
  let aws: LocalAws;
  let s3: S3Client;
  let stateDir: string;

  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'local-aws-big-'));
    aws = await startLocalAws({ stateDir });
    s3 = new S3Client(aws.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'big' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'keys' }));
  });
  afterAll(async () => {
    s3.destroy();
    await aws.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('streams a 200 MB object up (multipart Upload) and down unchanged', { timeout: 120_000 }, async () => {
    const size = 200 * 1024 * 1024;
    const expected = await sha256Of(generated(size, 'big'));
    await new Upload({
      client: s3,
      params: { Bucket: 'big', Key: 'big.bin', Body: generated(size, 'big') },
      partSize: 16 * 1024 * 1024,
      queueSize: 4,
    }).done();
    const got = await s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'big.bin' }));
    expect(got.ContentLength).toBe(size);
    expect(await sha256Of(got.Body as Readable)).toEqual(expected);
  });

  it('stores every key S3 allows up to 1,024 bytes, dot segments and long names included, inside the state folder', async () => {
    const keys = [
      '../../../escaped',
      'a/./b',
      'a/..',
      'a//b',
      'a/b',
      'dir/',
      'x'.repeat(240),
      `deep/${'é'.repeat(300)}/${'k'.repeat(300)}.log`,
      `${'ü/'.repeat(10)}${'z'.repeat(1024 - 30)}`,
      'nul\u0000byte',
      '~h~looks-hashed',
      'a._S3rver_object',
      'logs/..hidden/a.b',
    ];
    expect(Buffer.byteLength(keys[8]!, 'utf8')).toBe(1024);
    for (const Key of keys)
      await s3.send(new PutObjectCommand({ Bucket: 'keys', Key, Body: `body of ${Key}` }));
    // XML 1.0 cannot carry a NUL character: such keys are listed URL-encoded, as S3 recommends
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'keys', EncodingType: 'url' }));
    expect(listed.Contents?.map((o) => decodeURIComponent(o.Key!))).toEqual([...keys].sort(compareKeys));
    for (const Key of keys) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'keys', Key }));
      expect(await got.Body!.transformToString()).toBe(`body of ${Key}`);
    }
    const byFolder = await s3.send(
      new ListObjectsV2Command({ Bucket: 'keys', Prefix: 'deep/', Delimiter: '/' }),
    );
    expect(byFolder.CommonPrefixes?.map((p) => p.Prefix)).toEqual([`deep/${'é'.repeat(300)}/`]);
    // nothing was written outside the state folder
    expect(await readdir(path.dirname(stateDir))).not.toContain('escaped');
    await expect(
      s3.send(new PutObjectCommand({ Bucket: 'keys', Key: 'k'.repeat(1025), Body: 'x' })),
    ).rejects.toMatchObject({ name: 'KeyTooLongError' });
    // deleting every key leaves the bucket's folder empty
    for (const Key of keys) await s3.send(new DeleteObjectCommand({ Bucket: 'keys', Key }));
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'keys' }))).KeyCount).toBe(0);
    expect(await readdir(path.join(stateDir, 's3', 'keys'))).toEqual([]);
  });

  it('leaves no partial object when an upload is cut off', async () => {
    const req = request(`${aws.endpoint}/big/cut.bin`, {
      method: 'PUT',
      headers: await signedHeaders(aws, {
        method: 'PUT',
        path: '/big/cut.bin',
        headers: { 'content-length': String(1024 * 1024) },
      }),
    });
    req.on('error', () => undefined);
    await new Promise<void>((resolve) => req.write(Buffer.alloc(256 * 1024, 1), () => resolve()));
    // the server has started writing the object when the client goes away
    await new Promise((resolve) => setTimeout(resolve, 300));
    req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'big', Prefix: 'cut' }));
    expect(listed.KeyCount).toBe(0);
    expect((await readdir(path.join(stateDir, 's3', 'big'))).filter((f) => f.startsWith('cut'))).toEqual([]);
  });

  it(
    'stores a streamed PutObject (aws-chunked, trailing checksum) byte-exact',
    { timeout: 60_000 },
    async () => {
      const size = 24 * 1024 * 1024 + 7;
      const expected = await sha256Of(generated(size, 'put'));
      await s3.send(
        new PutObjectCommand({
          Bucket: 'big',
          Key: 'put.bin',
          Body: generated(size, 'put'),
          ContentLength: size,
        }),
      );
      const got = await s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'put.bin' }));
      expect(await sha256Of(got.Body as Readable)).toEqual(expected);
      const ranged = await s3.send(
        new GetObjectCommand({ Bucket: 'big', Key: 'put.bin', Range: 'bytes=10-19' }),
      );
      const first = generated(20, 'put').read() as Buffer;
      expect(ranged.ContentLength).toBe(10);
      expect(Buffer.from(await ranged.Body!.transformToByteArray())).toEqual(first.subarray(10, 20));
    },
  );
});

describe('S3 checksums', () => {
  let aws: LocalAws;
  let s3: S3Client;
  beforeAll(async () => {
    aws = await startLocalAws({ inMemory: true });
    s3 = new S3Client(aws.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'sums' }));
  });
  afterAll(async () => {
    s3.destroy();
    await aws.stop();
  });

  it('accepts bodies whose checksum matches, as default clients send them (header and trailer)', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: 'sums', Key: 'header', Body: 'checked', ChecksumAlgorithm: 'SHA256' }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: 'sums',
        Key: 'trailer',
        Body: Readable.from([Buffer.from('checked')]),
        ContentLength: 7,
      }),
    );
    for (const key of ['header', 'trailer']) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'sums', Key: key }));
      expect(await got.Body!.transformToString()).toBe('checked');
    }
  });

  it('leaves whole-object checksums of CompleteMultipartUpload to the object', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'sums', Key: 'parts' }));
    const part = await s3.send(
      new UploadPartCommand({ Bucket: 'sums', Key: 'parts', UploadId, PartNumber: 1, Body: 'only part' }),
    );
    const wholeCrc = Buffer.alloc(4);
    wholeCrc.writeUInt32BE(crc32(Buffer.from('only part')));
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'sums',
        Key: 'parts',
        UploadId,
        ChecksumCRC32: wholeCrc.toString('base64'),
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: 'sums', Key: 'parts' }));
    expect(await got.Body!.transformToString()).toBe('only part');
  });

  it('rejects a body whose checksum does not match with BadDigest and stores nothing', async () => {
    const wrong = Buffer.from([0, 0, 0, 0]).toString('base64');
    await expect(
      s3.send(new PutObjectCommand({ Bucket: 'sums', Key: 'bad', Body: 'payload', ChecksumCRC32: wrong })),
    ).rejects.toMatchObject({ name: 'BadDigest', message: expect.stringContaining('CRC32') as unknown });
    await expect(s3.send(new GetObjectCommand({ Bucket: 'sums', Key: 'bad' }))).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
  });
});
