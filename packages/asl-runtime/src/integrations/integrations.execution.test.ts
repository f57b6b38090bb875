/**
 * The integrations driven by the interpreter: a Distributed Map over S3 objects whose items
 * invoke a local Lambda and store DynamoDB items, with results exported by the ResultWriter,
 * all against the local AWS endpoint through the real SDK clients.
 */
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalAws } from '@logflow/local-aws';
import type { LocalAws } from '@logflow/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExecution } from '../execution.js';
import { LambdaRegistry } from './lambda.js';
import type { ResultManifest } from './result-writer.js';
import { createIntegrations } from './task-invoker.js';
import type { Integrations } from './task-invoker.js';

let local: LocalAws;
let s3: S3Client;
let dynamodb: DynamoDBClient;
let integrations: Integrations;

class UnrecognizedLogFormatError extends Error {
  override name = 'UnrecognizedLogFormatError';
}

beforeAll(async () => {
  local = await startLocalAws({ inMemory: true });
  s3 = new S3Client(local.clientConfig());
  dynamodb = new DynamoDBClient(local.clientConfig());
  integrations = createIntegrations({
    clientConfig: local.clientConfig(),
    lambdas: new LambdaRegistry().register(
      'analyze',
      async (event: { object: { Key: string; Size: number } }) => {
        if (event.object.Key.endsWith('.bin'))
          throw new UnrecognizedLogFormatError(`no known format in ${event.object.Key}`);
        return { key: event.object.Key, bytes: event.object.Size };
      },
    ),
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'logs-bucket' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'results-bucket' }));
  for (const [Key, Body] of [
    ['logs/a.log', 'aaaa'],
    ['logs/b.log', 'bb'],
    ['logs/c.bin', 'c'],
  ] as const) {
    await s3.send(new PutObjectCommand({ Bucket: 'logs-bucket', Key, Body }));
  }
  await dynamodb.send(
    new CreateTableCommand({
      TableName: 'summaries',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
}, 60_000);

afterAll(async () => {
  await integrations?.destroy();
  s3?.destroy();
  dynamodb?.destroy();
  await local?.stop();
});

const definition = {
  StartAt: 'ProcessLogs',
  States: {
    ProcessLogs: {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:listObjectsV2',
        Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.prefix' },
      },
      ItemSelector: { 'object.$': '$$.Map.Item.Value' },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Analyze',
        States: {
          Analyze: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'analyze', 'Payload.$': '$' },
            ResultSelector: { 'result.$': '$.Payload' },
            Catch: [
              { ErrorEquals: ['UnrecognizedLogFormatError'], ResultPath: '$.error', Next: 'Unreadable' },
            ],
            Next: 'Store',
          },
          Unreadable: {
            Type: 'Fail',
            ErrorPath: '$.error.Error',
            CausePath: '$.error.Cause',
          },
          Store: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:putItem',
            Parameters: {
              TableName: 'summaries',
              Item: {
                pk: { 'S.$': '$.result.key' },
                bytes: { 'N.$': "States.Format('{}', $.result.bytes)" },
              },
            },
            ResultPath: null,
            OutputPath: '$.result',
            End: true,
          },
        },
      },
      ToleratedFailurePercentage: 50,
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: 'results-bucket', Prefix: 'results/2026-11-22' },
      },
      End: true,
    },
  },
};

describe('a Distributed Map run through the integrations', () => {
  for (const writer of ['resultWriter', 'streamingResultWriter'] as const) {
    it(`lists, invokes, stores and exports results (${writer})`, async () => {
      const result = await runExecution(
        definition as never,
        { bucket: 'logs-bucket', prefix: 'logs/' },
        {
          taskInvoker: integrations.taskInvoker,
          itemReader: integrations.itemReader,
          resultWriter: integrations[writer],
          noWait: true,
        },
      );
      expect(result.error, result.cause).toBeUndefined();
      expect(result.status).toBe('SUCCEEDED');
      const output = result.output as {
        MapRunArn: string;
        ResultWriterDetails: { Bucket: string; Key: string };
      };
      const mapRunId = output.MapRunArn.slice(output.MapRunArn.lastIndexOf(':') + 1);
      expect(output.ResultWriterDetails).toEqual({
        Bucket: 'results-bucket',
        Key: `results/2026-11-22/${mapRunId}/manifest.json`,
      });

      const read = async (Key: string) =>
        JSON.parse(
          await (
            await s3.send(new GetObjectCommand({ Bucket: 'results-bucket', Key }))
          ).Body!.transformToString(),
        ) as unknown;
      const manifest = (await read(output.ResultWriterDetails.Key)) as ResultManifest;
      expect(manifest.MapRunArn).toBe(output.MapRunArn);
      const succeeded = (await read(manifest.ResultFiles.SUCCEEDED[0]!.Key)) as {
        Output: string;
        Status: string;
      }[];
      expect(
        succeeded
          .map((r) => JSON.parse(r.Output) as unknown)
          .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
      ).toEqual([
        { key: 'logs/a.log', bytes: 4 },
        { key: 'logs/b.log', bytes: 2 },
      ]);
      const failed = (await read(manifest.ResultFiles.FAILED[0]!.Key)) as {
        Error: string;
        Cause: string;
        Status: string;
      }[];
      expect(failed).toHaveLength(1);
      expect(failed[0]!.Status).toBe('FAILED');
      expect(failed[0]!.Error).toBe('UnrecognizedLogFormatError');
      expect(JSON.parse(failed[0]!.Cause)).toMatchObject({ errorMessage: 'no known format in logs/c.bin' });

      const item = await dynamodb.send(
        new GetItemCommand({ TableName: 'summaries', Key: { pk: { S: 'logs/a.log' } } }),
      );
      expect(item.Item).toEqual({ pk: { S: 'logs/a.log' }, bytes: { N: '4' } });
    });
  }
});
