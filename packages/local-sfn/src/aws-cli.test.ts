/** The AWS CLI (Debian's awscli 2.x at /usr/bin/aws) against the endpoint, unchanged. */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountStepFunctions } from './mount.js';
import type { StepFunctionsService } from './service.js';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';

function hasAwsCli(): boolean {
  try {
    execFileSync(AWS, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (!hasAwsCli() && process.env.CI === 'true')
  describe('aws stepfunctions against the endpoint', () => {
    it('needs the AWS CLI', () => {
      throw new Error(`${AWS} is missing; CI must install Debian awscli to run the AWS CLI test`);
    });
  });

describe.skipIf(!hasAwsCli())('aws stepfunctions against the endpoint', () => {
  let aws: LocalAws;
  let service: StepFunctionsService;
  let dir: string;
  const env = () => ({
    ...process.env,
    ...aws.env(),
    AWS_DEFAULT_REGION: aws.region,
    AWS_CONFIG_FILE: path.join(dir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'),
  });
  const cli = async (...args: string[]): Promise<Record<string, unknown>> => {
    // awscli 2.9 predates AWS_ENDPOINT_URL (2.13): the endpoint goes on the command line.
    const { stdout } = await run(
      AWS,
      ['stepfunctions', ...args, '--output', 'json', '--endpoint-url', aws.endpoint],
      {
        env: env(),
      },
    );
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  };

  beforeAll(async () => {
    aws = await startLocalAws({
      inMemory: true,
      stepFunctions: mountStepFunctions({ onOpen: (s) => (service = s) }),
    });
    dir = await mkdtemp(path.join(tmpdir(), 'local-sfn-cli-'));
  });
  afterAll(async () => {
    await aws.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a state machine, runs it and reads the history', { timeout: 60_000 }, async () => {
    const definition = JSON.stringify({
      StartAt: 'Greet',
      States: {
        Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('hello {}', $.who)" }, End: true },
      },
    });
    const created = await cli(
      'create-state-machine',
      '--name',
      'cli-machine',
      '--definition',
      definition,
      '--role-arn',
      'arn:aws:iam::123456789012:role/cli',
    );
    expect(created.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:cli-machine');
    const listed = await cli('list-state-machines');
    expect((listed.stateMachines as { name: string }[]).map((m) => m.name)).toContain('cli-machine');

    const started = await cli(
      'start-execution',
      '--state-machine-arn',
      created.stateMachineArn as string,
      '--name',
      'from-cli',
      '--input',
      '{"who":"cli"}',
    );
    await service.settled(started.executionArn as string);
    const described = await cli('describe-execution', '--execution-arn', started.executionArn as string);
    expect(described).toMatchObject({
      status: 'SUCCEEDED',
      output: '{"greeting":"hello cli"}',
      name: 'from-cli',
    });

    // The CLI pages GetExecutionHistory itself with nextToken.
    const history = await cli(
      'get-execution-history',
      '--execution-arn',
      started.executionArn as string,
      '--page-size',
      '1',
    );
    expect((history.events as { type: string }[]).map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('reports AWS error codes', { timeout: 60_000 }, async () => {
    const failure = await run(
      AWS,
      [
        'stepfunctions',
        'describe-state-machine',
        '--state-machine-arn',
        'arn:aws:states:us-east-1:123456789012:stateMachine:missing',
        '--endpoint-url',
        aws.endpoint,
      ],
      { env: env() },
    ).catch((e: { stderr: string; code: number }) => e);
    expect(failure).toMatchObject({ code: 254 });
    expect((failure as { stderr: string }).stderr).toContain('(StateMachineDoesNotExist)');
  });
});
