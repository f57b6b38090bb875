/** The Step Functions API through @aws-sdk/client-sfn against the local-aws endpoint. */
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  TestStateCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountStepFunctions } from './mount.js';
import type { StepFunctionsService } from './service.js';

const ROLE = 'arn:aws:iam::123456789012:role/local';
const pass = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { ok: 1 }, End: true } } });

let aws: LocalAws;
let sfn: SFNClient;
let service: StepFunctionsService;

beforeAll(async () => {
  aws = await startLocalAws({
    inMemory: true,
    stepFunctions: mountStepFunctions({ noWait: true, onOpen: (s) => (service = s) }),
  });
  // StartSyncExecution and TestState are sent to `sync-<host>` unless the host prefix is off
  // (an IP endpoint has no such name).
  sfn = new SFNClient({ ...aws.clientConfig(), disableHostPrefix: true });
});
afterAll(async () => {
  sfn.destroy();
  await aws.stop();
});

async function machine(name: string, definition = pass, type?: 'EXPRESS') {
  const r = await sfn.send(
    new CreateStateMachineCommand({ name, definition, roleArn: ROLE, ...(type ? { type } : {}) }),
  );
  return r.stateMachineArn as string;
}

async function run(stateMachineArn: string, input: unknown = {}, name?: string) {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), ...(name ? { name } : {}) }),
  );
  await service.settled(executionArn as string);
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

describe('the endpoint', () => {
  it('answers UnknownOperationException when Step Functions is not mounted', async () => {
    const bare = await startLocalAws({ inMemory: true });
    const client = new SFNClient(bare.clientConfig());
    try {
      await expect(client.send(new ListStateMachinesCommand({}))).rejects.toMatchObject({
        name: 'UnknownOperationException',
      });
    } finally {
      client.destroy();
      await bare.stop();
    }
  });
});

describe('state machines', () => {
  it('are created, described, listed, updated and deleted', async () => {
    const arn = await machine('crud');
    expect(arn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:crud');
    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(d).toMatchObject({
      name: 'crud',
      status: 'ACTIVE',
      type: 'STANDARD',
      definition: pass,
      roleArn: ROLE,
    });
    expect(d.creationDate).toBeInstanceOf(Date);
    const list = await sfn.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines?.map((m) => m.name)).toContain('crud');

    const updated = JSON.stringify({ StartAt: 'Q', States: { Q: { Type: 'Succeed' } } });
    const u = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: updated }));
    expect(u.updateDate).toBeInstanceOf(Date);
    expect((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).definition).toBe(
      updated,
    );

    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
  });

  it('are created idempotently; another definition under the same name is refused', async () => {
    const a = await machine('twice');
    expect(await machine('twice')).toBe(a);
    await expect(
      machine('twice', JSON.stringify({ StartAt: 'X', States: { X: { Type: 'Succeed' } } })),
    ).rejects.toMatchObject({
      name: 'StateMachineAlreadyExists',
    });
  });

  it('refuse invalid definitions, names and ARNs with AWS error codes', async () => {
    await expect(machine('bad', JSON.stringify({ StartAt: 'Nope', States: {} }))).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: expect.stringContaining('Invalid State Machine Definition'),
    });
    await expect(machine('has space')).rejects.toMatchObject({ name: 'InvalidName' });
    await expect(
      sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'not-an-arn' })),
    ).rejects.toMatchObject({
      name: 'InvalidArn',
    });
    await expect(
      sfn.send(
        new DescribeStateMachineCommand({
          stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:none',
        }),
      ),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist', $metadata: { httpStatusCode: 400 } });
  });

  it('validates definitions with diagnostics naming the state', async () => {
    const ok = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: pass }));
    expect(ok).toMatchObject({ result: 'OK', diagnostics: [] });
    const bad = await sfn.send(
      new ValidateStateMachineDefinitionCommand({
        definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } }),
      }),
    );
    expect(bad.result).toBe('FAIL');
    expect(bad.diagnostics?.[0]).toMatchObject({
      severity: 'ERROR',
      code: 'SCHEMA_VALIDATION_FAILED',
      location: '/States/A/Next',
    });
  });
});

describe('executions', () => {
  it('run to SUCCEEDED with their output, and are listed by status', async () => {
    const arn = await machine('runs');
    const d = await run(arn, { in: 1 }, 'first');
    expect(d).toMatchObject({
      status: 'SUCCEEDED',
      input: '{"in":1}',
      output: '{"ok":1}',
      name: 'first',
      redriveCount: 0,
    });
    expect(d.redriveStatus).toBe('NOT_REDRIVABLE');
    expect(d.stopDate).toBeInstanceOf(Date);
    const list = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'SUCCEEDED' }),
    );
    expect(list.executions?.map((e) => e.name)).toEqual(['first']);
    const none = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'FAILED' }));
    expect(none.executions).toEqual([]);
  });

  it('refuse a second execution of the same name with another input (ExecutionAlreadyExists)', async () => {
    const arn = await machine('names');
    await run(arn, { a: 1 }, 'once');
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'once', input: '{"a":2}' })),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{not json' })),
    ).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
    });
  });

  it('record a failure with its error and cause', async () => {
    const arn = await machine(
      'fails',
      JSON.stringify({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Bad', Cause: 'why' } } }),
    );
    const d = await run(arn);
    expect(d).toMatchObject({ status: 'FAILED', error: 'Bad', cause: 'why', redriveStatus: 'REDRIVABLE' });
  });

  it('stop with StopExecution, keeping the error and cause given', async () => {
    // An endpoint that really waits, so the execution is still running when it is stopped.
    let waiting: StepFunctionsService | undefined;
    const other = await startLocalAws({
      inMemory: true,
      stepFunctions: mountStepFunctions({ onOpen: (s) => (waiting = s) }),
    });
    const client = new SFNClient(other.clientConfig());
    try {
      const { stateMachineArn } = await client.send(
        new CreateStateMachineCommand({
          name: 'waits',
          roleArn: ROLE,
          definition: JSON.stringify({
            StartAt: 'W',
            States: { W: { Type: 'Wait', Seconds: 3600, End: true } },
          }),
        }),
      );
      const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn }));
      expect((await client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
      const stopped = await client.send(
        new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'stopped by hand' }),
      );
      expect(stopped.stopDate).toBeInstanceOf(Date);
      await waiting!.settled(executionArn as string);
      const d = await client.send(new DescribeExecutionCommand({ executionArn }));
      expect(d).toMatchObject({
        status: 'ABORTED',
        error: 'Operator',
        cause: 'stopped by hand',
        redriveStatus: 'REDRIVABLE',
      });
    } finally {
      client.destroy();
      await other.stop();
    }
  });

  it('pages through the history in both directions', async () => {
    const arn = await machine(
      'history',
      JSON.stringify({
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Next: 'B' },
          B: { Type: 'Pass', Next: 'C' },
          C: { Type: 'Pass', End: true },
        },
      }),
    );
    const { executionArn } = await run(arn);
    const types: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, nextToken }));
      expect(page.events!.length).toBeLessThanOrEqual(3);
      types.push(...page.events!.map((e) => e.type as string));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(types).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'PassStateEntered',
      'PassStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    const last = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 2, reverseOrder: true }),
    );
    expect(last.events?.map((e) => e.id)).toEqual([8, 7]);
    expect(last.events?.[0]?.timestamp).toBeInstanceOf(Date);
    expect(last.events?.[0]?.executionSucceededEventDetails?.output).toBe('{}');
    const second = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        maxResults: 2,
        reverseOrder: true,
        nextToken: last.nextToken,
      }),
    );
    expect(second.events?.map((e) => e.id)).toEqual([6, 5]);
    await expect(
      sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken: 'forged' })),
    ).rejects.toMatchObject({ name: 'InvalidToken' });
  });

  it('StartSyncExecution runs an EXPRESS machine and refuses a STANDARD one', async () => {
    const express = await machine('sync', pass, 'EXPRESS');
    const r = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: express, input: '{}' }));
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":1}' });
    const standard = await machine('not-sync');
    await expect(
      sfn.send(new StartSyncExecutionCommand({ stateMachineArn: standard })),
    ).rejects.toMatchObject({
      name: 'StateMachineTypeNotSupported',
    });
  });
});

describe('Map Runs', () => {
  it('are listed and described with their children, failed ones with error and cause', async () => {
    const arn = await machine(
      'mapruns',
      JSON.stringify({
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            ToleratedFailureCount: 5,
            MaxConcurrency: 2,
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
              StartAt: 'C',
              States: {
                C: {
                  Type: 'Choice',
                  Choices: [{ Variable: '$.bad', BooleanEquals: true, Next: 'F' }],
                  Default: 'P',
                },
                F: { Type: 'Fail', Error: 'BadItem', Cause: 'item is bad' },
                P: { Type: 'Pass', End: true },
              },
            },
            End: true,
          },
        },
      }),
    );
    const d = await run(arn, [{ bad: false }, { bad: true }, { bad: false }]);
    expect(d.status).toBe('SUCCEEDED');
    const { mapRuns } = await sfn.send(new ListMapRunsCommand({ executionArn: d.executionArn }));
    expect(mapRuns).toHaveLength(1);
    const mapRunArn = mapRuns![0]!.mapRunArn;
    const run1 = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(run1).toMatchObject({
      status: 'SUCCEEDED',
      maxConcurrency: 2,
      toleratedFailureCount: 5,
      itemCounts: { succeeded: 2, failed: 1, total: 3, running: 0 },
    });
    const children = await sfn.send(new ListExecutionsCommand({ mapRunArn, statusFilter: 'FAILED' }));
    expect(children.executions).toHaveLength(1);
    const child = await sfn.send(
      new DescribeExecutionCommand({ executionArn: children.executions![0]!.executionArn }),
    );
    expect(child).toMatchObject({
      status: 'FAILED',
      error: 'BadItem',
      cause: 'item is bad',
      mapRunArn,
      input: '{"bad":true}',
    });
    await expect(sfn.send(new DescribeMapRunCommand({ mapRunArn: `${mapRunArn}x` }))).rejects.toMatchObject({
      name: 'ResourceNotFound',
    });
  });
});

describe('TestState', () => {
  it('runs one state and names the next one', async () => {
    const r = await sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({
          Type: 'Choice',
          Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'Big' }],
          Default: 'Small',
        }),
        roleArn: ROLE,
        input: '{"n":5}',
      }),
    );
    expect(r).toMatchObject({ status: 'SUCCEEDED', nextState: 'Big', output: '{"n":5}' });
    const failed = await sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({ Type: 'Fail', Error: 'E', Cause: 'C' }),
        roleArn: ROLE,
      }),
    );
    expect(failed).toMatchObject({ status: 'FAILED', error: 'E', cause: 'C' });
  });

  it('reports a caught error with the Catch target, and a retriable one without retrying', async () => {
    const task = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'not-registered', Payload: {} },
      End: true,
    };
    const caught = await sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({ ...task, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }] }),
        roleArn: ROLE,
      }),
    );
    expect(caught).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'Recover' });
    expect(caught.error).toBeTruthy();
    const retriable = await sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({ ...task, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 5 }] }),
        roleArn: ROLE,
      }),
    );
    expect(retriable).toMatchObject({ status: 'RETRIABLE', error: caught.error });
  });

  it('takes variables', async () => {
    const r = await sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({ Type: 'Pass', Parameters: { 'v.$': '$x' }, End: true }),
        roleArn: ROLE,
        variables: '{"x":42}',
      }),
    );
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: '{"v":42}' });
  });
});
