/**
 * The integrations through the real AWS SDK v3 clients against the local S3, DynamoDB and
 * CloudWatch endpoint of @logflow/local-aws.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalAws } from '@logflow/local-aws';
import type { LocalAws } from '@logflow/local-aws';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemReaderRequest, MapRunChildResult, TaskContext } from '../integrations.js';
import { LambdaRegistry } from './lambda.js';
import type { ResultManifest } from './result-writer.js';
import { planResultFiles, resultKeyBase } from './result-writer.js';
import { createIntegrations } from './task-invoker.js';
import { statesError } from './test-support/states-error.js';
import type { Integrations } from './task-invoker.js';

let local: LocalAws;
let integrations: Integrations;
let s3: S3Client;
let dynamodb: DynamoDBClient;
const BUCKET = 'logflow-local-logs';
const TABLE = 'logflow-local-summaries';
const context = (): TaskContext => ({ signal: new AbortController().signal, stateName: 'Test' });

async function readAll(request: ItemReaderRequest): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of integrations.itemReader(request, new AbortController().signal)) items.push(item);
  return items;
}

async function getText(key: string, client = s3): Promise<{ text: string; length: number }> {
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return { text: await object.Body!.transformToString(), length: object.ContentLength ?? -1 };
}

beforeAll(async () => {
  local = await startLocalAws({ inMemory: true });
  const config = local.clientConfig();
  s3 = new S3Client(config);
  dynamodb = new DynamoDBClient(config);
  integrations = createIntegrations({
    clientConfig: config,
    lambdas: new LambdaRegistry().register('analyze', async (event: { key: string }) => ({ key: event.key })),
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await dynamodb.send(
    new CreateTableCommand({
      TableName: TABLE,
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
}, 60_000);

afterAll(async () => {
  await integrations?.destroy();
  s3?.destroy();
  dynamodb?.destroy();
  await local?.stop();
});

describe('ItemReader s3:listObjectsV2', () => {
  const prefix = 'logs/2026/11/22/';
  const count = 1_050;

  beforeAll(async () => {
    const keys = Array.from({ length: count }, (_, i) => `${prefix}access-${String(i).padStart(5, '0')}.log`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(
        keys
          .slice(i, i + 50)
          .map((Key) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: `line of ${Key}\n` }))),
      );
    }
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'logs/2026/11/23/other.log', Body: 'x' }));
  }, 120_000);

  it('lists every object under the prefix across pages, as Step Functions shapes items', async () => {
    const items = (await readAll({
      resource: 'arn:aws:states:::s3:listObjectsV2',
      args: { Bucket: BUCKET, Prefix: prefix },
    })) as Record<string, unknown>[];
    expect(items).toHaveLength(count);
    expect(new Set(items.map((i) => i.Key)).size).toBe(count);
    const first = items[0]!;
    expect(Object.keys(first)).toEqual(['Etag', 'Key', 'LastModified', 'Size', 'StorageClass']);
    expect(first.Key).toBe(`${prefix}access-00000.log`);
    expect(first.Etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.Size).toBe(Buffer.byteLength(`line of ${prefix}access-00000.log\n`));
    expect(first.StorageClass).toBe('STANDARD');
    expect(Number.isInteger(first.LastModified)).toBe(true);
    expect(Math.abs((first.LastModified as number) - Date.now() / 1000)).toBeLessThan(600);
  });

  it('requests one page at a time, only as the consumer asks', async () => {
    const client = (await integrations.clients.client('s3')) as unknown as S3Client;
    let pages = 0;
    client.middlewareStack.add(
      (next, ctx) => async (args) => {
        if (ctx.commandName === 'ListObjectsV2Command') pages++;
        return next(args);
      },
      { step: 'initialize', name: 'countListPages' },
    );
    try {
      const iterator = integrations
        .itemReader(
          { resource: 'arn:aws:states:::s3:listObjectsV2', args: { Bucket: BUCKET, Prefix: prefix } },
          new AbortController().signal,
        )
        [Symbol.asyncIterator]();
      await iterator.next();
      expect(pages).toBe(1);
      for (let i = 1; i < 1_001; i++) await iterator.next();
      expect(pages).toBe(2);
      await iterator.return?.();
    } finally {
      client.middlewareStack.remove('countListPages');
    }
  });

  it('stops at ReaderConfig.MaxItems', async () => {
    const items = await readAll({
      resource: 'arn:aws:states:::s3:listObjectsV2',
      args: { Bucket: BUCKET, Prefix: prefix },
      readerConfig: { MaxItems: 5 },
    });
    expect(items).toHaveLength(5);
  });

  it('fails with States.ItemReaderFailed naming a missing bucket', async () => {
    const error = await statesError(
      readAll({
        resource: 'arn:aws:states:::s3:listObjectsV2',
        args: { Bucket: 'no-such-bucket', Prefix: 'x/' },
      }),
    );
    expect(error.error).toBe('States.ItemReaderFailed');
    expect(error.cause).toMatch(/^listing s3:\/\/no-such-bucket\/x\/ failed: S3\.NoSuchBucketException/);
  });
});

describe('ItemReader s3:getObject', () => {
  beforeAll(async () => {
    const put = (Key: string, Body: string) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
    await put('items/list.json', JSON.stringify([{ key: 'a' }, { key: 'b' }, { key: 'c' }]));
    await put('items/list.jsonl', '{"key":"a"}\n{"key":"b"}\n');
    await put('items/list.csv', 'key,size\nlogs/a.log,10\nlogs/b.log,"2,0"\n');
    await put('items/bad.jsonl', '{"key":"a"}\nnot json\n');
  });

  const reader = (Key: string, readerConfig: ItemReaderRequest['readerConfig']) =>
    readAll({ resource: 'arn:aws:states:::s3:getObject', args: { Bucket: BUCKET, Key }, readerConfig });

  it('reads JSON arrays, JSON Lines and CSV', async () => {
    expect(await reader('items/list.json', { InputType: 'JSON' })).toEqual([
      { key: 'a' },
      { key: 'b' },
      { key: 'c' },
    ]);
    expect(await reader('items/list.json', { InputType: 'JSON', MaxItems: 2 })).toEqual([
      { key: 'a' },
      { key: 'b' },
    ]);
    expect(await reader('items/list.jsonl', { InputType: 'JSONL' })).toEqual([{ key: 'a' }, { key: 'b' }]);
    expect(await reader('items/list.csv', { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' })).toEqual([
      { key: 'logs/a.log', size: '10' },
      { key: 'logs/b.log', size: '2,0' },
    ]);
    expect(
      await reader('items/list.csv', {
        InputType: 'CSV',
        CSVHeaderLocation: 'GIVEN',
        CSVHeaders: ['k', 's'],
      }),
    ).toEqual([
      { k: 'key', s: 'size' },
      { k: 'logs/a.log', s: '10' },
      { k: 'logs/b.log', s: '2,0' },
    ]);
  });

  it('loads and flattens every listed object with Transformation LOAD_AND_FLATTEN', async () => {
    const put = (Key: string, Body: string) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
    await put('flatten/1.jsonl', '{"n":1}\n{"n":2}\n');
    await put('flatten/2.jsonl', '{"n":3}\n');
    await put('flatten/3.jsonl', '{"n":4}\n{"n":5}\n');
    const flatten = (readerConfig: Record<string, unknown>) =>
      readAll({
        resource: 'arn:aws:states:::s3:listObjectsV2',
        args: { Bucket: BUCKET, Prefix: 'flatten/' },
        readerConfig: readerConfig as ItemReaderRequest['readerConfig'],
      });
    expect(await flatten({ InputType: 'JSONL', Transformation: 'LOAD_AND_FLATTEN' })).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
      { n: 4 },
      { n: 5 },
    ]);
    expect(await flatten({ InputType: 'JSONL', Transformation: 'LOAD_AND_FLATTEN', MaxItems: 4 })).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
      { n: 4 },
    ]);
    const other = await statesError(flatten({ Transformation: 'EXPLODE' }));
    expect(other.cause).toMatch(/ReaderConfig.Transformation "EXPLODE" is not supported/);
  });

  it('names the object and line of bad content, and missing objects', async () => {
    const bad = await statesError(reader('items/bad.jsonl', { InputType: 'JSONL' }));
    expect(bad.error).toBe('States.ItemReaderFailed');
    expect(bad.cause).toMatch(/^s3:\/\/logflow-local-logs\/items\/bad\.jsonl: invalid JSON on line 2/);
    const missing = await statesError(reader('items/none.json', { InputType: 'JSON' }));
    expect(missing.cause).toMatch(
      /^reading s3:\/\/logflow-local-logs\/items\/none\.json failed: S3\.NoSuchKeyException/,
    );
    const type = await statesError(reader('items/list.json', { InputType: 'PARQUET' }));
    expect(type.cause).toMatch(/InputType "PARQUET" is not supported/);
  });
});

describe('ResultWriter s3:putObject', () => {
  const mapRunArn =
    'arn:aws:states:us-east-1:123456789012:mapRun:logflow-local-daily-logs/ProcessLogsUnderPrefix:0b5c2d4e-1111-4222-8333-944445555666';
  const child = (n: number, Status: MapRunChildResult['Status']): MapRunChildResult => ({
    ExecutionArn: `arn:aws:states:us-east-1:123456789012:execution:logflow-local-daily-logs/ProcessLogsUnderPrefix:${n}`,
    Input: JSON.stringify({ key: `logs/${n}.log` }),
    InputDetails: { Included: true },
    Name: `child-${n}`,
    ...(Status === 'SUCCEEDED'
      ? { Output: '{"ok":true}', OutputDetails: { Included: true } }
      : { Error: 'E', Cause: 'c' }),
    RedriveCount: 0,
    RedriveStatus: 'NOT_REDRIVABLE',
    StartDate: '2026-11-22T10:00:00.000Z',
    StopDate: '2026-11-22T10:00:01.000Z',
    Status,
    StateMachineArn:
      'arn:aws:states:us-east-1:123456789012:stateMachine:logflow-local-daily-logs/ProcessLogsUnderPrefix',
  });

  it('writes result files and a manifest that read back as written', async () => {
    const results = [child(0, 'SUCCEEDED'), child(1, 'FAILED'), child(2, 'SUCCEEDED')];
    const details = await integrations.resultWriter({
      resource: 'arn:aws:states:::s3:putObject',
      args: { Bucket: BUCKET, Prefix: 'results/2026-11-22' },
      mapRunArn,
      results,
    });
    expect(details).toEqual({
      Bucket: BUCKET,
      Key: 'results/2026-11-22/0b5c2d4e-1111-4222-8333-944445555666/manifest.json',
    });
    const manifest = JSON.parse((await getText(details.Key)).text) as ResultManifest;
    expect(manifest.DestinationBucket).toBe(BUCKET);
    expect(manifest.MapRunArn).toBe(mapRunArn);
    expect(manifest.ResultFiles.PENDING).toEqual([]);
    const [succeeded] = manifest.ResultFiles.SUCCEEDED;
    const [failed] = manifest.ResultFiles.FAILED;
    expect(succeeded!.Key).toBe('results/2026-11-22/0b5c2d4e-1111-4222-8333-944445555666/SUCCEEDED_0.json');
    expect(failed!.Key).toBe('results/2026-11-22/0b5c2d4e-1111-4222-8333-944445555666/FAILED_0.json');
    const succeededFile = await getText(succeeded!.Key);
    expect(succeededFile.length).toBe(succeeded!.Size);
    expect(JSON.parse(succeededFile.text)).toEqual([results[0], results[2]]);
    expect(JSON.parse((await getText(failed!.Key)).text)).toEqual([results[1]]);
  });

  it('fails with States.ResultWriterFailed naming a missing bucket', async () => {
    const error = await statesError(
      integrations.resultWriter({
        resource: 'arn:aws:states:::s3:putObject',
        args: { Bucket: 'no-such-bucket', Prefix: 'r' },
        mapRunArn,
        results: [child(0, 'SUCCEEDED')],
      }),
    );
    expect(error.error).toBe('States.ResultWriterFailed');
    expect(error.cause).toMatch(
      /^writing s3:\/\/no-such-bucket\/r\/0b5c2d4e-1111-4222-8333-944445555666\/SUCCEEDED_0\.json failed: S3\.NoSuchBucketException/,
    );
  });
  it('streams large runs into size-limited files through multipart uploads, in arrival order', async () => {
    // On disk: the in-memory S3 store of local-aws loses multipart parts (part numbers are
    // stored as strings and looked up as numbers); its disk store keeps them.
    const stateDir = await mkdtemp(path.join(tmpdir(), 'asl-results-'));
    const disk = await startLocalAws({ stateDir });
    const diskS3 = new S3Client(disk.clientConfig());
    const big = createIntegrations({
      clientConfig: disk.clientConfig(),
      resultWriter: { maxFileBytes: 8 * 1024 * 1024, partBytes: 5 * 1024 * 1024 },
    });
    try {
      await diskS3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      const padding = 'x'.repeat(100_000);
      const results = Array.from({ length: 110 }, (_, n) => ({
        ...child(n, n % 10 === 9 ? 'FAILED' : 'SUCCEEDED'),
        ...(n % 10 === 9 ? {} : { Output: JSON.stringify({ n, padding }) }),
      }));
      const request = {
        resource: 'arn:aws:states:::s3:putObject',
        args: { Bucket: BUCKET, Prefix: 'streamed/' },
        mapRunArn,
      };
      const sink = await big.streamingResultWriter.open(request);
      await Promise.all(results.map((r) => sink.write(r)));
      const details = await sink.close();
      const manifest = JSON.parse((await getText(details.Key, diskS3)).text) as ResultManifest;
      const expected = planResultFiles(results, resultKeyBase('streamed/', mapRunArn), 8 * 1024 * 1024);
      expect(manifest.ResultFiles.SUCCEEDED.map((f) => f.Key)).toEqual(
        expected.filter((f) => f.status === 'SUCCEEDED').map((f) => f.key),
      );
      expect(manifest.ResultFiles.SUCCEEDED.length).toBeGreaterThan(1);
      const read: unknown[] = [];
      for (const file of [...manifest.ResultFiles.SUCCEEDED, ...manifest.ResultFiles.FAILED]) {
        const { text, length } = await getText(file.Key, diskS3);
        expect(length).toBe(file.Size);
        expect(file.Size).toBeLessThanOrEqual(8 * 1024 * 1024);
        read.push(...(JSON.parse(text) as unknown[]));
      }
      expect(read).toEqual([
        ...results.filter((r) => r.Status === 'SUCCEEDED'),
        ...results.filter((r) => r.Status === 'FAILED'),
      ]);
    } finally {
      await big.destroy();
      diskS3.destroy();
      await disk.stop();
      await rm(stateDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('dynamodb optimized integration', () => {
  const item = { pk: { S: 'DAY#2026-11-22' }, sk: { S: 'FILE#s3://b/logs/a.log' }, requests: { N: '42' } };

  it('puts and gets items, with the HTTP metadata Step Functions adds', async () => {
    const put = (await integrations.taskInvoker.invoke(
      'arn:aws:states:::dynamodb:putItem',
      { TableName: TABLE, Item: item },
      context(),
    )) as Record<string, unknown>;
    expect(Object.keys(put).sort()).toEqual(['SdkHttpMetadata', 'SdkResponseMetadata']);
    expect(put.SdkHttpMetadata).toMatchObject({ HttpStatusCode: 200 });
    const got = (await integrations.taskInvoker.invoke(
      'arn:aws:states:::dynamodb:getItem',
      { TableName: TABLE, Key: { pk: item.pk, sk: item.sk } },
      context(),
    )) as Record<string, unknown>;
    expect(got.Item).toEqual(item);
    const updated = (await integrations.taskInvoker.invoke(
      'arn:aws:states:::dynamodb:updateItem',
      {
        TableName: TABLE,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET requests = requests + :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
        ReturnValues: 'UPDATED_NEW',
      },
      context(),
    )) as Record<string, unknown>;
    expect(updated.Attributes).toEqual({ requests: { N: '43' } });
  });

  it('names failures DynamoDB.<Name>Exception', async () => {
    const conditional = await statesError(
      integrations.taskInvoker.invoke(
        'arn:aws:states:::dynamodb:putItem',
        { TableName: TABLE, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
        context(),
      ),
    );
    expect(conditional.error).toBe('DynamoDB.ConditionalCheckFailedException');
    const missing = await statesError(
      integrations.taskInvoker.invoke(
        'arn:aws:states:::dynamodb:getItem',
        { TableName: 'no-such-table', Key: { pk: item.pk } },
        context(),
      ),
    );
    expect(missing.error).toBe('DynamoDB.ResourceNotFoundException');
    expect(missing.cause).toMatch(
      /\(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: [^;]*; Proxy: null\)$/,
    );
    const query = await statesError(
      integrations.taskInvoker.invoke('arn:aws:states:::dynamodb:query', {}, context()),
    );
    expect(query.error).toBe('States.Runtime');
    expect(query.cause).toContain('arn:aws:states:::dynamodb:query');
  });
});

describe('client configuration', () => {
  it('takes the endpoint, region and credentials from the environment by default', async () => {
    const saved = { ...process.env };
    const env = local.env();
    // The per-service variable wins over AWS_ENDPOINT_URL, so a dead default proves it is read.
    Object.assign(process.env, env, {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_DYNAMODB: env.AWS_ENDPOINT_URL,
    });
    const fromEnv = createIntegrations();
    try {
      const result = (await fromEnv.taskInvoker.invoke(
        'arn:aws:states:::aws-sdk:dynamodb:describeTable',
        { TableName: TABLE },
        context(),
      )) as { Table: { TableName: string; CreationDateTime: string } };
      expect(result.Table.TableName).toBe(TABLE);
      expect(result.Table.CreationDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
      const unreachable = await statesError(
        fromEnv.taskInvoker.invoke('arn:aws:states:::aws-sdk:s3:listBuckets', {}, context()),
      );
      expect(unreachable.error).toBe('S3.SdkClientException');
    } finally {
      await fromEnv.destroy();
      process.env = saved;
    }
  });

  it('takes per-service configuration programmatically', async () => {
    const perService = createIntegrations({ serviceConfig: { s3: local.clientConfig() } });
    try {
      const buckets = (await perService.taskInvoker.invoke(
        'arn:aws:states:::aws-sdk:s3:listBuckets',
        {},
        context(),
      )) as {
        Buckets: { Name: string }[];
      };
      expect(buckets.Buckets.map((b) => b.Name)).toContain(BUCKET);
    } finally {
      await perService.destroy();
    }
  });
});

describe('aws-sdk integrations', () => {
  it('calls cloudwatch:putMetricData with an ISO-8601 Timestamp and reads the datapoint back', async () => {
    const timestamp = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
    const put = await integrations.taskInvoker.invoke(
      'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
      {
        Namespace: 'Logflow/local',
        MetricData: [
          {
            MetricName: 'Requests',
            Dimensions: [{ Name: 'Date', Value: '2026-11-22' }],
            Timestamp: timestamp,
            Value: 7,
            Unit: 'Count',
          },
        ],
      },
      context(),
    );
    expect(put).toEqual({});
    const stats = (await integrations.taskInvoker.invoke(
      'arn:aws:states:::aws-sdk:cloudwatch:getMetricStatistics',
      {
        Namespace: 'Logflow/local',
        MetricName: 'Requests',
        Dimensions: [{ Name: 'Date', Value: '2026-11-22' }],
        StartTime: new Date(Date.parse(timestamp) - 3_600_000).toISOString(),
        EndTime: new Date(Date.parse(timestamp) + 3_600_000).toISOString(),
        Period: 60,
        Statistics: ['Sum'],
      },
      context(),
    )) as { Datapoints: { Timestamp: string; Sum: number }[] };
    expect(stats.Datapoints).toEqual([
      expect.objectContaining({ Timestamp: timestamp.replace('.000Z', 'Z'), Sum: 7 }),
    ]);
  });

  it('sends a full PutMetricData batch (compressed by the SDK) and lists its metrics', async () => {
    const timestamp = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    const MetricData = Array.from({ length: 1_000 }, (_, i) => ({
      MetricName: `Status${i}`,
      Dimensions: [{ Name: 'File', Value: `logs/2026/11/22/access-${i}.log` }],
      Timestamp: timestamp,
      Values: [1, 2, 3],
      Counts: [5, 1, 1],
      Unit: 'Count',
    }));
    expect(JSON.stringify(MetricData).length).toBeGreaterThan(10_000);
    await integrations.taskInvoker.invoke(
      'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
      { Namespace: 'Logflow/batch', MetricData },
      context(),
    );
    const listed = (await integrations.taskInvoker.invoke(
      'arn:aws:states:::aws-sdk:cloudwatch:listMetrics',
      { Namespace: 'Logflow/batch', MetricName: 'Status999' },
      context(),
    )) as { Metrics: { MetricName: string; Dimensions: unknown[] }[] };
    expect(listed.Metrics).toEqual([
      {
        Namespace: 'Logflow/batch',
        MetricName: 'Status999',
        Dimensions: [{ Name: 'File', Value: 'logs/2026/11/22/access-999.log' }],
      },
    ]);
  });

  it('returns S3 objects with a text Body and names errors <Service>.<Name>Exception', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sdk/hello.txt', Body: 'hello' }));
    const object = (await integrations.taskInvoker.invoke(
      'arn:aws:states:::aws-sdk:s3:getObject',
      { Bucket: BUCKET, Key: 'sdk/hello.txt' },
      context(),
    )) as Record<string, unknown>;
    expect(object.Body).toBe('hello');
    expect(object.ContentLength).toBe(5);
    expect(typeof object.LastModified).toBe('string');
    expect(object).not.toHaveProperty('$metadata');
    const noKey = await statesError(
      integrations.taskInvoker.invoke(
        'arn:aws:states:::aws-sdk:s3:getObject',
        { Bucket: BUCKET, Key: 'sdk/none' },
        context(),
      ),
    );
    expect(noKey.error).toBe('S3.NoSuchKeyException');
    expect(noKey.cause).toMatch(
      /^The specified key does not exist\. \(Service: S3, Status Code: 404, Request ID: [^)]*\)$/,
    );
    const noTable = await statesError(
      integrations.taskInvoker.invoke(
        'arn:aws:states:::aws-sdk:dynamodb:describeTable',
        { TableName: 'no-such-table' },
        context(),
      ),
    );
    expect(noTable.error).toBe('DynamoDb.ResourceNotFoundException');
  });

  it('fails clearly for services, actions and resources it cannot run', async () => {
    const service = await statesError(
      integrations.taskInvoker.invoke('arn:aws:states:::aws-sdk:athena:startQueryExecution', {}, context()),
    );
    expect(service.error).toBe('States.Runtime');
    expect(service.cause).toMatch(
      /AWS SDK service "athena" is not available: package @aws-sdk\/client-athena is not installed/,
    );
    const action = await statesError(
      integrations.taskInvoker.invoke('arn:aws:states:::aws-sdk:s3:frobnicate', {}, context()),
    );
    expect(action.cause).toBe('AWS SDK service "s3" has no action "frobnicate" (no FrobnicateCommand)');
    const other = await statesError(
      integrations.taskInvoker.invoke('arn:aws:states:::sqs:sendMessage', {}, context()),
    );
    expect(other.error).toBe('States.Runtime');
    expect(other.cause).toContain('"arn:aws:states:::sqs:sendMessage"');
    const bad = await statesError(
      integrations.taskInvoker.invoke(
        'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
        { Namespace: 'N', MetricData: [{ MetricName: 'M', Timestamp: 'noon' }] },
        context(),
      ),
    );
    expect(bad.error).toBe('States.Runtime');
    expect(bad.cause).toContain('$.MetricData[0].Timestamp');
  });

  it('routes lambda:invoke to local handlers', async () => {
    const result = await integrations.taskInvoker.invoke(
      'arn:aws:states:::lambda:invoke',
      { FunctionName: 'analyze', Payload: { key: 'logs/a.log' } },
      context(),
    );
    expect(result).toMatchObject({ StatusCode: 200, Payload: { key: 'logs/a.log' } });
  });
});
