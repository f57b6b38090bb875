import { Upload } from '@aws-sdk/lib-storage';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  CreateBucketCommand,
  DeleteObjectsCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from './index.js';
import { signedHeaders } from './test-support/sign.js';

/**
 * Points SDK clients at the endpoint through the environment only, as a user's shell would; the
 * SDK reads it lazily, so it stays set until `restore`.
 */
function useEnv(aws: LocalAws): () => void {
  const saved = Object.fromEntries(Object.keys(aws.env()).map((k) => [k, process.env[k]]));
  Object.assign(process.env, aws.env());
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

describe('startLocalAws (in memory)', () => {
  let aws: LocalAws;
  let s3: S3Client;
  let ddb: DynamoDBClient;
  let cw: CloudWatchClient;
  let restoreEnv: () => void;

  beforeAll(async () => {
    aws = await startLocalAws({ inMemory: true });
    restoreEnv = useEnv(aws);
    s3 = new S3Client({});
    ddb = new DynamoDBClient({});
    cw = new CloudWatchClient({});
  });
  afterAll(async () => {
    restoreEnv();
    s3.destroy();
    ddb.destroy();
    cw.destroy();
    await aws.stop();
  });

  it('describes itself', () => {
    expect(aws.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(aws.region).toBe('us-east-1');
    expect(aws.stateDir).toBeUndefined();
    expect(aws.env()).toEqual({
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    });
    expect(aws.clientConfig()).toMatchObject({ endpoint: aws.endpoint, forcePathStyle: true });
  });

  it('S3: create bucket, put, head, get, list, delete with a default client', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'basic' }));
    await s3.send(
      new PutObjectCommand({ Bucket: 'basic', Key: 'a/b.txt', Body: 'hello', ContentType: 'text/plain' }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'basic', Key: 'a/b.txt' }));
    expect(head.ContentLength).toBe(5);
    expect(head.ContentType).toBe('text/plain');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'basic', Key: 'a/b.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'basic' }));
    expect(listed.Contents?.map((c) => [c.Key, c.Size])).toEqual([['a/b.txt', 5]]);
    await s3.send(new DeleteObjectCommand({ Bucket: 'basic', Key: 'a/b.txt' }));
    const error = await s3
      .send(new HeadObjectCommand({ Bucket: 'basic', Key: 'a/b.txt' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3ServiceException);
    expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(404);
  });

  it('S3: stores a streamed PutObject body byte-exact (aws-chunked framing removed)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'streamed' }));
    const parts = [Buffer.from('first line\n'), Buffer.alloc(70_000, 0x61), Buffer.from('\r\nlast')];
    const expected = Buffer.concat(parts);
    await s3.send(
      new PutObjectCommand({
        Bucket: 'streamed',
        Key: 'stream.bin',
        Body: Readable.from(parts),
        ContentLength: expected.length,
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: 'streamed', Key: 'stream.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(expected)).toBe(true);
  });

  it('S3 in memory: multipart upload, ranges, copy and batch delete', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'memory' }));
    const body = Buffer.alloc(12 * 1024 * 1024);
    for (let i = 0; i < body.length; i += 4) body.writeUInt32BE(i, i);
    await new Upload({
      client: s3,
      params: { Bucket: 'memory', Key: 'multi.bin', Body: body },
      partSize: 5 * 1024 * 1024,
    }).done();
    const whole = await s3.send(new GetObjectCommand({ Bucket: 'memory', Key: 'multi.bin' }));
    expect(Buffer.from(await whole.Body!.transformToByteArray()).equals(body)).toBe(true);
    const range = await s3.send(
      new GetObjectCommand({ Bucket: 'memory', Key: 'multi.bin', Range: 'bytes=8000000-8000007' }),
    );
    expect(range.ContentRange).toBe(`bytes 8000000-8000007/${body.length}`);
    expect(Buffer.from(await range.Body!.transformToByteArray())).toEqual(body.subarray(8000000, 8000008));
    await s3.send(
      new CopyObjectCommand({ Bucket: 'memory', Key: 'copy.bin', CopySource: 'memory/multi.bin' }),
    );
    const copied = await s3.send(new HeadObjectCommand({ Bucket: 'memory', Key: 'copy.bin' }));
    expect(copied.ContentLength).toBe(body.length);
    const deleted = await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'memory',
        Delete: { Objects: [{ Key: 'multi.bin' }, { Key: 'copy.bin' }] },
      }),
    );
    expect(deleted.Deleted?.map((d) => d.Key).sort()).toEqual(['copy.bin', 'multi.bin']);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'memory' }))).KeyCount).toBe(0);

    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'memory', Key: 'never.bin' }),
    );
    await expect(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'memory',
          Key: 'never.bin',
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"0"' }] },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidPart' });
  });

  it('S3: answers virtual-hosted requests (Host: <bucket>.localhost)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'vhost' }));
    await s3.send(new PutObjectCommand({ Bucket: 'vhost', Key: 'dir/file.txt', Body: 'by host name' }));
    const port = new URL(aws.endpoint).port;
    const headers = await signedHeaders(aws, {
      path: '/dir/file.txt',
      headers: { host: `vhost.localhost:${port}` },
    });
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(`${aws.endpoint}/dir/file.txt`, { headers });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    expect(body).toBe('by host name');
  });

  it('refuses other credentials on all three services, with their error codes', async () => {
    const config = { ...aws.clientConfig(), maxAttempts: 1 };
    const stranger = { accessKeyId: 'SOMEONEELSE', secretAccessKey: 'whatever' };
    const wrongSecret = { accessKeyId: aws.credentials.accessKeyId, secretAccessKey: 'guessed' };
    const clients = (credentials: typeof stranger) => ({
      s3: new S3Client({ ...config, credentials }),
      ddb: new DynamoDBClient({ ...config, credentials }),
      cw: new CloudWatchClient({ ...config, credentials }),
    });
    const attempt = async (credentials: typeof stranger) => {
      const c = clients(credentials);
      const names = await Promise.all([
        c.s3.send(new CreateBucketCommand({ Bucket: 'not-mine' })).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
        c.ddb.send(new ListTablesCommand({})).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
        c.cw.send(new ListMetricsCommand({})).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      ]);
      for (const client of Object.values(c)) client.destroy();
      return names;
    };
    expect(await attempt(stranger)).toEqual([
      'InvalidAccessKeyId',
      'UnrecognizedClientException',
      'InvalidClientTokenId',
    ]);
    expect(await attempt(wrongSecret)).toEqual([
      'SignatureDoesNotMatch',
      'InvalidSignatureException',
      'SignatureDoesNotMatch',
    ]);
    const buckets = await s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((b) => b.Name)).not.toContain('not-mine');
  });

  it('DynamoDB: create table, put and get', async () => {
    await ddb.send(
      new CreateTableCommand({
        TableName: 'basic',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await ddb.send(new PutItemCommand({ TableName: 'basic', Item: { pk: { S: 'k' }, n: { N: '42' } } }));
    const got = await ddb.send(new GetItemCommand({ TableName: 'basic', Key: { pk: { S: 'k' } } }));
    expect(got.Item).toEqual({ pk: { S: 'k' }, n: { N: '42' } });
  });

  it('CloudWatch: put then read back a sum', async () => {
    const now = new Date();
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Test/basic',
        MetricData: [
          { MetricName: 'Requests', Value: 3, Timestamp: now },
          { MetricName: 'Requests', Value: 4, Timestamp: now },
        ],
      }),
    );
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(now.getTime() - 600_000),
        EndTime: new Date(now.getTime() + 600_000),
        MetricDataQueries: [
          {
            Id: 'sum',
            MetricStat: {
              Metric: { Namespace: 'Test/basic', MetricName: 'Requests' },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );
    expect(out.MetricDataResults?.[0]?.Values).toEqual([7]);
  });
});
