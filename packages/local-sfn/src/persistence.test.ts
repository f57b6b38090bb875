/** Records survive the endpoint: stop it, start it again on the same state folder. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { startLocalAws } from '@logflow/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountStepFunctions } from './mount.js';
import type { StepFunctionsService } from './service.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'local-sfn-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function endpoint(reset = false) {
  let service: StepFunctionsService | undefined;
  const aws = await startLocalAws({
    stateDir: dir,
    reset,
    stepFunctions: mountStepFunctions({ noWait: true, onOpen: (s) => (service = s) }),
  });
  const sfn = new SFNClient(aws.clientConfig());
  return {
    sfn,
    service: service!,
    stop: async () => {
      sfn.destroy();
      await aws.stop();
    },
  };
}

describe('the state folder', () => {
  it('keeps state machines, executions and histories, and a redrive goes on from them', async () => {
    const first = await endpoint(true);
    const failing = JSON.stringify({
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Pass', Result: 'ready', ResultPath: '$.step', Next: 'Check' },
        Check: {
          Type: 'Choice',
          Choices: [{ Variable: '$.fixed', IsPresent: true, Next: 'Done' }],
          Default: 'Broken',
        },
        Broken: { Type: 'Fail', Error: 'NotFixed' },
        Done: { Type: 'Succeed' },
      },
    });
    const { stateMachineArn } = await first.sfn.send(
      new CreateStateMachineCommand({
        name: 'kept',
        definition: failing,
        roleArn: 'arn:aws:iam::123456789012:role/r',
      }),
    );
    const { executionArn } = await first.sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'one', input: '{}' }),
    );
    await first.service.settled(executionArn!);
    await first.stop();
    expect(await readdir(path.join(dir, 'stepfunctions'))).toEqual(
      expect.arrayContaining(['executions', 'state-machines']),
    );

    const second = await endpoint();
    try {
      const m = await second.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
      expect(m.definition).toBe(failing);
      const e = await second.sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(e).toMatchObject({ status: 'FAILED', error: 'NotFixed', redriveStatus: 'REDRIVABLE' });
      const h = await second.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(h.events?.at(-1)?.type).toBe('ExecutionFailed');

      // The redrive runs the definition the execution started with, from the failed state
      // (Broken), with the input it had then: an update of the machine does not change that.
      await second.sfn.send(
        new UpdateStateMachineCommand({
          stateMachineArn,
          definition: JSON.stringify({ StartAt: 'X', States: { X: { Type: 'Succeed' } } }),
        }),
      );
      await second.sfn.send(new RedriveExecutionCommand({ executionArn }));
      await second.service.settled(executionArn!);
      const again = await second.sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(again).toMatchObject({ status: 'FAILED', error: 'NotFixed', redriveCount: 1 });
      const all = await second.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      const entered = all
        .events!.filter((ev) => ev.type?.endsWith('StateEntered'))
        .map((ev) => ev.stateEnteredEventDetails?.name);
      expect(entered).toEqual(['Prepare', 'Check', 'Broken', 'Broken']);
      expect(
        JSON.parse(
          all.events!.filter((ev) => ev.type === 'FailStateEntered')[1]!.stateEnteredEventDetails!.input!,
        ),
      ).toEqual({
        step: 'ready',
      });
    } finally {
      await second.stop();
    }
  });
});
