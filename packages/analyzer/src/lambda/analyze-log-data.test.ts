// The handler against local S3, DynamoDB and CloudWatch through the real AWS SDK v3 clients.
import { gzipSync } from 'node:zlib';
import {
  CloudWatchClient,
  GetMetricStatisticsCommand,
  PutMetricDataCommand,
  type MetricDatum,
  type StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import { fixedClock, type AnalyzeLogDataEvent, type MetricDatumJson } from '@logflow/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBatchSummaryItem } from '../adapters/dynamodb.js';
import { createAnalyzeLogDataHandler } from './analyze-log-data.js';

const BUCKET = 'acme-logs';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// Logs of a fixed morning, analysed (and accepted by CloudWatch) two hours later.
const LOG_START = Date.UTC(2026, 10, 22, 10);
const DATE = '2026-11-22';
const NOW = fixedClock('2026-11-22T12:00:00Z');
const handler = createAnalyzeLogDataHandler({ clock: NOW });

function clf(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function combinedLog(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    const status = i % 25 === 0 ? 500 : 200;
    out += `192.0.2.${i % 200} - - [${clf(LOG_START + i * 100)}] "GET /item/${i % 40} HTTP/1.1" ${status} ${500 + (i % 1000)} "-" "bench/${i % 3}"\n`;
  }
  return out;
}

function event(...keys: string[]): AnalyzeLogDataEvent {
  return {
    items: keys.map((key) => ({
      bucket: BUCKET,
      date: DATE,
      object: { Key: key, Size: 0, Etag: '"0"', LastModified: 1_795_384_800, StorageClass: 'STANDARD' },
      publish: true,
    })),
  };
}

describe('AnalyzeLogData handler (local AWS)', () => {
  let aws: LocalAws;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    aws = await startLocalAws({ inMemory: true, clock: NOW });
    // The handler builds its S3 client with the default configuration: the environment points it here.
    Object.assign(process.env, aws.env(), {
      LOGFLOW_METRIC_NAMESPACE: 'Logflow/test',
      LOGFLOW_SUMMARY_TTL_DAYS: '30',
    });
    const s3 = new S3Client(aws.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'logs/web.log.gz', Body: gzipSync(combinedLog(6_000)) }),
    );
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'logs/readme.txt', Body: 'not\na\nlog\n' }));
    s3.destroy();
  }, 60_000);

  afterAll(async () => {
    process.env = savedEnv;
    await aws?.stop();
  });

  it('analyses a batch; its record and metric batches are accepted by DynamoDB and CloudWatch', async () => {
    const result = await handler(event('logs/web.log.gz', 'logs/gone.log', 'logs/readme.txt'));
    expect(result.files).toEqual([
      { key: 'logs/web.log.gz', etag: '0', status: 'ANALYZED' },
      {
        key: 'logs/gone.log',
        status: 'FAILED',
        state: 'AnalyzeLogData',
        error: 'LogObjectNotFoundError',
        cause: `s3://${BUCKET}/logs/gone.log: object not found`,
      },
      expect.objectContaining({ key: 'logs/readme.txt', error: 'UnrecognizedLogFormatError' }),
    ]);
    const item = result.item!;

    const ddb = new DynamoDBClient(aws.clientConfig());
    await ddb.send(
      new CreateTableCommand({
        TableName: 'summaries',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    await ddb.send(new PutItemCommand({ TableName: 'summaries', Item: item }));
    const stored = await ddb.send(
      new GetItemCommand({ TableName: 'summaries', Key: { pk: item.pk!, sk: item.sk! } }),
    );
    const batch = fromBatchSummaryItem(stored.Item!);
    expect(batch.details).toEqual([
      expect.objectContaining({ key: 'logs/web.log.gz', requests: 6_000, malformed: 0 }),
    ]);
    expect(batch.core.statusClass['5xx']).toBe(240);
    ddb.destroy();

    const cw = new CloudWatchClient(aws.clientConfig());
    for (const batch of result.metricBatches) {
      await cw.send(
        new PutMetricDataCommand({ Namespace: 'Logflow/test', MetricData: batch.map(toSdkDatum) }),
      );
    }
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Logflow/test',
        MetricName: 'Requests',
        StartTime: new Date(LOG_START - 3_600_000),
        EndTime: new Date(LOG_START + 3_600_000),
        Period: 7_200,
        Statistics: ['Sum'],
      }),
    );
    expect(stats.Datapoints?.[0]?.Sum).toBe(6_000);
    cw.destroy();
  });

  it('rejects an event that is not a batch, naming the field', async () => {
    await expect(handler({ bucket: BUCKET } as never)).rejects.toMatchObject({
      name: 'InvalidAnalyzeEventError',
      message: expect.stringMatching(/field "items"/),
    });
  });
});

function toSdkDatum(d: MetricDatumJson): MetricDatum {
  return {
    ...d,
    Unit: d.Unit as StandardUnit | undefined,
    Timestamp: d.Timestamp === undefined ? undefined : new Date(d.Timestamp),
  };
}
