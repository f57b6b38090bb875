/**
 * Redrive of a day-like workflow: a Distributed Map over the day's S3 objects, one Lambda per
 * file, results exported by the ResultWriter, then a summary. Two files are broken; once they
 * are fixed, RedriveExecution re-analyses only those two and the day succeeds.
 */
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  GetExecutionHistoryCommand,
  ListMapRunsCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { LambdaRegistry } from '@logflow/asl-runtime';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountStepFunctions } from './mount.js';
import type { StepFunctionsService } from './service.js';

const LOGS = 'day-logs';
const RESULTS = 'day-results';
const FILES = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => `logs/2026/11/22/${n}.log`);
const BROKEN = new Set([FILES[1], FILES[4]]);

const definition = {
  StartAt: 'ResolveRunInput',
  States: {
    ResolveRunInput: {
      Type: 'Pass',
      Assign: { 'date.$': '$.date' },
      Parameters: { 'date.$': '$.date', 'bucket.$': '$.bucket', 'prefix.$': '$.prefix' },
      Next: 'ProcessLogs',
    },
    ProcessLogs: {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:listObjectsV2',
        Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.prefix' },
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Analyze',
        States: {
          Analyze: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'analyze', 'Payload.$': '$' },
            ResultSelector: { 'key.$': '$.Payload.key', 'lines.$': '$.Payload.lines' },
            End: true,
          },
        },
      },
      MaxConcurrency: 3,
      // Judged once every file has run: 2 of 6 failed is over 10%.
      ToleratedFailurePercentage: 10,
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: RESULTS, Prefix: 'results' },
      },
      ResultPath: '$.map',
      Next: 'Summarize',
    },
    Summarize: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: 'summarize',
        Payload: { 'date.$': '$date', 'manifest.$': '$.map.ResultWriterDetails' },
      },
      OutputPath: '$.Payload',
      End: true,
    },
  },
};

let aws: LocalAws;
let sfn: SFNClient;
let s3: S3Client;
let service: StepFunctionsService;
const analyzed: string[] = [];
let summaries = 0;

async function text(Bucket: string, Key: string): Promise<string> {
  const r = await s3.send(new GetObjectCommand({ Bucket, Key }));
  return (await r.Body?.transformToString()) ?? '';
}

beforeAll(async () => {
  const lambdas = new LambdaRegistry()
    .register('analyze', async (event: { Key: string }) => {
      analyzed.push(event.Key);
      const body = await text(LOGS, event.Key);
      if (body.startsWith('broken'))
        throw Object.assign(new Error(`${event.Key}: unrecognised log format`), {
          name: 'UnrecognizedLogFormatError',
        });
      return { key: event.Key, lines: body.split('\n').filter(Boolean).length };
    })
    .register('summarize', async (event: { date: string; manifest: { Bucket: string; Key: string } }) => {
      summaries++;
      const manifest = JSON.parse(await text(event.manifest.Bucket, event.manifest.Key)) as {
        ResultFiles: { SUCCEEDED: { Key: string }[]; FAILED: { Key: string }[] };
      };
      let lines = 0;
      let files = 0;
      for (const f of manifest.ResultFiles.SUCCEEDED)
        for (const r of JSON.parse(await text(event.manifest.Bucket, f.Key)) as { Output: string }[]) {
          files++;
          lines += (JSON.parse(r.Output) as { lines: number }).lines;
        }
      return { date: event.date, files, lines, failedFiles: manifest.ResultFiles.FAILED.length };
    });
  aws = await startLocalAws({
    inMemory: true,
    stepFunctions: mountStepFunctions({ lambdas, noWait: true, onOpen: (s) => (service = s) }),
  });
  sfn = new SFNClient(aws.clientConfig());
  s3 = new S3Client(aws.clientConfig());
  await s3.send(new CreateBucketCommand({ Bucket: LOGS }));
  await s3.send(new CreateBucketCommand({ Bucket: RESULTS }));
  for (const Key of FILES)
    await s3.send(
      new PutObjectCommand({ Bucket: LOGS, Key, Body: BROKEN.has(Key) ? 'broken\n' : 'GET /\nGET /a\n' }),
    );
}, 60_000);

afterAll(async () => {
  sfn.destroy();
  s3.destroy();
  await aws.stop();
});

describe('RedriveExecution', () => {
  it('re-runs only the failed files of a day, then the rest of the workflow', async () => {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'daily',
        definition: JSON.stringify(definition),
        roleArn: 'arn:aws:iam::123456789012:role/daily',
      }),
    );
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: 'daily-2026-11-22',
        input: JSON.stringify({ date: '2026-11-22', bucket: LOGS, prefix: 'logs/2026/11/22/' }),
      }),
    );
    await service.settled(executionArn!);
    const failed = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(failed).toMatchObject({
      status: 'FAILED',
      error: 'States.ExceedToleratedFailureThreshold',
      redriveStatus: 'REDRIVABLE',
    });
    expect(summaries).toBe(0);
    const { mapRuns } = await sfn.send(new ListMapRunsCommand({ executionArn }));
    const mapRunArn = mapRuns?.[0]?.mapRunArn;
    const firstRun = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(firstRun.status).toBe('FAILED');
    expect(firstRun.itemCounts).toMatchObject({ succeeded: 4, failed: 2, total: 6 });
    expect([...analyzed].sort()).toEqual([...FILES].sort());

    for (const Key of BROKEN)
      await s3.send(new PutObjectCommand({ Bucket: LOGS, Key, Body: 'GET /fixed\n' }));
    analyzed.length = 0;
    const r = await sfn.send(new RedriveExecutionCommand({ executionArn }));
    expect(r.redriveDate).toBeInstanceOf(Date);
    await service.settled(executionArn!);

    const done = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(JSON.parse(done.output!)).toEqual({ date: '2026-11-22', files: 6, lines: 10, failedFiles: 0 });
    // The files that succeeded the first time were not analysed again.
    expect(analyzed.sort()).toEqual([...BROKEN].sort());
    expect(summaries).toBe(1);

    const again = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(again).toMatchObject({
      status: 'SUCCEEDED',
      redriveCount: 1,
      itemCounts: { succeeded: 6, failed: 0, total: 6 },
    });
    // One history: the first attempt's events, then ExecutionRedriven and the rest.
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const types = history.events!.map((e) => e.type);
    expect(types.filter((t) => t === 'ExecutionStarted')).toHaveLength(1);
    expect(types).toContain('ExecutionRedriven');
    expect(types).toContain('MapRunRedriven');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    const ids = history.events!.map((e) => e.id);
    expect(ids).toEqual(ids.map((_, i) => i + 1));

    await expect(sfn.send(new RedriveExecutionCommand({ executionArn }))).rejects.toMatchObject({
      name: 'ExecutionNotRedrivable',
    });
  });
});
