import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  BatchGetItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { startLocalAws, type LocalAws } from './local-aws.js';
import { startLocalAwsProcess } from './process.js';
import { itemSize } from './request-counter.js';

const NOW = new Date('2026-06-01T12:30:00Z');

describe('itemSize', () => {
  it('follows DynamoDB item size rules', () => {
    // names + values: 'pk' 2 + 'abc' 3, 'n' 1 + 123.45 (5 digits → 4), 'b' 1 + 3 bytes, 'ok' 2 + 1
    expect(
      itemSize({
        pk: { S: 'abc' },
        n: { N: '123.45' },
        b: { B: Buffer.from('xyz').toString('base64') },
        ok: { BOOL: true },
      }),
    ).toBe(5 + 5 + 4 + 3);
    // a map: 3 bytes + its members + 1 per member
    expect(itemSize({ m: { M: { a: { S: 'xy' } } } })).toBe(1 + 3 + 3 + 1);
  });
});

describe('request counter', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws({ inMemory: true, countRequests: true, clock: () => NOW });
  });
  afterAll(async () => aws.stop());

  it('counts requests by operation, capacity units and distinct metrics', async () => {
    const s3 = new S3Client(aws.clientConfig());
    const ddb = new DynamoDBClient(aws.clientConfig());
    const cw = new CloudWatchClient(aws.clientConfig());
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'counted' }));
      await s3.send(new PutObjectCommand({ Bucket: 'counted', Key: 'a/1', Body: 'hello' }));
      await s3.send(new CopyObjectCommand({ Bucket: 'counted', Key: 'a/2', CopySource: 'counted/a/1' }));
      for (const key of ['a/1', 'a/2']) {
        await (
          await s3.send(new GetObjectCommand({ Bucket: 'counted', Key: key }))
        ).Body!.transformToString();
      }
      await s3.send(new ListObjectsV2Command({ Bucket: 'counted', Prefix: 'a/' }));

      await ddb.send(
        new CreateTableCommand({
          TableName: 'counted',
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        }),
      );
      // 'pk' + 'a' + 'data' + 1,500 bytes = 1,507 bytes: 2 WRU
      await ddb.send(
        new PutItemCommand({ TableName: 'counted', Item: { pk: { S: 'a' }, data: { S: 'x'.repeat(1500) } } }),
      );
      const query = {
        TableName: 'counted',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'a' } },
      };
      await ddb.send(new QueryCommand({ ...query, ConsistentRead: true })); // 1 RRU
      await ddb.send(new QueryCommand(query)); // eventually consistent: 0.5 RRU
      // per item read: the 1,507-byte item strongly consistent, 1 RRU
      await ddb.send(
        new BatchGetItemCommand({
          RequestItems: { counted: { Keys: [{ pk: { S: 'a' } }], ConsistentRead: true } },
        }),
      );

      const datum = (name: string, host: string) => ({
        MetricName: name,
        Dimensions: [{ Name: 'Host', Value: host }],
        Timestamp: NOW,
        Value: 1,
      });
      await cw.send(
        new PutMetricDataCommand({
          Namespace: 'N',
          MetricData: [datum('Requests', 'a'), datum('Requests', 'b')],
        }),
      );
      await cw.send(
        new PutMetricDataCommand({
          Namespace: 'N',
          MetricData: [datum('Requests', 'a'), datum('Errors', 'a')],
        }),
      );

      const counts = await aws.requestCounts!();
      expect(counts.requests.s3).toEqual({
        CreateBucket: 1,
        PutObject: 1,
        CopyObject: 1,
        GetObject: 2,
        ListObjectsV2: 1,
      });
      expect(counts.s3PutBytes).toBe(5);
      expect(counts.requests.dynamodb).toEqual({ CreateTable: 1, PutItem: 1, Query: 2, BatchGetItem: 1 });
      expect(counts.dynamodbWru).toBe(2);
      expect(counts.dynamodbRru).toBe(2.5);
      expect(counts.requests.cloudwatch).toEqual({ PutMetricData: 2 });
      expect(counts.metrics).toBe(3);
      expect(counts.metricHours).toBe(1);
    } finally {
      s3.destroy();
      ddb.destroy();
      cw.destroy();
    }
  });

  it('is absent unless asked for', async () => {
    const plain = await startLocalAws({ inMemory: true });
    try {
      expect(plain.requestCounts).toBeUndefined();
    } finally {
      await plain.stop();
    }
  });

  it('answers from a child process', async () => {
    const child = await startLocalAwsProcess({ inMemory: true, countRequests: true });
    const s3 = new S3Client(child.clientConfig());
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'in-child' }));
      const [first, second] = await Promise.all([child.requestCounts!(), child.requestCounts!()]);
      expect(first.requests.s3).toEqual({ CreateBucket: 1 });
      expect(second).toEqual(first);
    } finally {
      s3.destroy();
      await child.stop();
    }
  });
});
