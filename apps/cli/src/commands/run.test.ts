/**
 * `logflow run` as a user runs it: a separate process, its JSON line, and Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { startLocalAws } from '@logflow/local-aws';
import { mountStepFunctions } from '@logflow/local-sfn';
import { resourceNames } from '@logflow/shared-types';
import { WORKFLOW_DEFAULTS } from '@logflow/workflow';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

function cliProcess(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, AWS_ENDPOINT_URL: '', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** One combined-format line per second of 2026-11-22, `count` lines. */
function combined(count: number, seed: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const s = i % 86_400;
    const hh = String(Math.floor(s / 3600)).padStart(2, '0');
    const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
    const ss = String(s % 60).padStart(2, '0');
    lines.push(
      `192.0.2.${(i + seed) % 200} - - [22/Nov/2026:${hh}:${mm}:${ss} +0000] "GET /p/${i % 97} HTTP/1.1" 200 512 "-" "bench/${seed}" 0.042`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('logflow run (process)', () => {
  let dir: string;
  const states: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logflow-run-cli-'));
    for (let f = 0; f < 30; f++) await writeFile(join(dir, `access-${f}.log`), combined(20_000, f));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    for (const s of states) await rm(s, { recursive: true, force: true });
  });

  it('prints one JSON object on the last line of stdout with --json', async () => {
    const state = await mkdtemp(join(tmpdir(), 'logflow-run-state-'));
    states.push(state);
    const run = cliProcess(['run', dir, '--state', state, '--reset', '--json', '--date', '2026-11-22']);
    expect(await run.exited).toBe(0);
    const lines = run.output().stdout.trim().split('\n');
    const result = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      date: '2026-11-22',
      files: { total: 30, analyzed: 30, failed: 0 },
      requests: 600_000,
    });
    expect(Object.keys(result.report as object).sort()).toEqual(['html', 'json', 'md']);
    // Not a terminal: progress is plain lines on stderr, without control characters.
    expect(run.output().stderr).toMatch(/files 30\/30 \(failed 0\)/);

    expect(run.output().stderr).not.toMatch(/\u001b\[/);

    // The run went through the Step Functions API and is kept in the state folder: the
    // endpoint started on it afterwards describes the execution and its history.
    const aws = await startLocalAws({ stateDir: state, stepFunctions: mountStepFunctions() });
    const sfn = new SFNClient(aws.clientConfig());
    try {
      const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
      expect(stateMachines?.map((m) => m.name)).toEqual([resourceNames().stateMachine]);
      const { executions } = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: stateMachines?.[0]?.stateMachineArn }),
      );
      expect(executions).toHaveLength(1);
      const executionArn = executions?.[0]?.executionArn;
      expect(executionArn).toMatch(/:daily-2026-11-22-\d+$/);
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(described.status).toBe('SUCCEEDED');
      const history = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }),
      );
      expect(history.events?.[0]?.type).toBe('ExecutionSucceeded');
      const { mapRuns } = await sfn.send(new ListMapRunsCommand({ executionArn }));
      const mapRun = await sfn.send(new DescribeMapRunCommand({ mapRunArn: mapRuns?.[0]?.mapRunArn }));
      // items are the 30 objects; the Map batches them (ItemBatcher), one child execution per batch
      expect(mapRun.itemCounts).toMatchObject({ succeeded: 30, failed: 0 });
      const perBatch = WORKFLOW_DEFAULTS.itemBatcher.maxItemsPerBatch;
      expect(mapRun.executionCounts).toMatchObject({ succeeded: Math.ceil(30 / perBatch), failed: 0 });
    } finally {
      sfn.destroy();
      await aws.stop();
    }
  }, 180_000);

  it('stops cleanly on Ctrl-C and leaves local AWS usable', async () => {
    const state = await mkdtemp(join(tmpdir(), 'logflow-run-state-'));
    states.push(state);
    const run = cliProcess(['run', dir, '--state', state, '--reset', '--json', '--date', '2026-11-22']);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the run never started')), 60_000);
      run.child.stderr.on('data', () => {
        if (/logflow run: 30 files/.test(run.output().stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.output().stderr).toContain('stopping');
    const result = JSON.parse(run.output().stdout.trim().split('\n').at(-1)!) as { status: string };
    expect(result.status).toBe('ABORTED');

    // The state folder opens again and still holds what the run uploaded.
    const local = await startLocalAws({ stateDir: state });
    try {
      const s3 = new S3Client(local.clientConfig());
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: resourceNames().inputBucket, Prefix: 'logs/2026/11/22/' }),
      );
      expect(listed.KeyCount).toBe(30);
    } finally {
      await local.stop();
    }
  }, 180_000);
});
