/**
 * `logflow run` killed with SIGKILL at points of the day and run again until it succeeds gives
 * the report and CloudWatch sums of a run that was never interrupted.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalAws } from '@logflow/local-aws';
import { metricSums } from '../run/test-support/metric-sums.js';
import { yesterdayUtc } from '@logflow/shared-types';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
// The run's default: the sample logs of yesterday, whose metrics CloudWatch accepts. The CLI
// processes read the same system clock, so the outcome is the same on any date.
const DATE = yesterdayUtc();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `logflow run` on the sample day; killed with SIGKILL once stderr matches `killAt`. */
function logflowRun(state: string, killAt?: RegExp): Promise<Run> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, 'run', '--state', state, '--date', DATE, '--json'],
    {
      env: { ...process.env, AWS_ENDPOINT_URL: '', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const run: Run = { code: null, stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (run.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    run.stderr += d.toString();
    if (killAt && killAt.test(run.stderr)) child.kill('SIGKILL');
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ ...run, code })));
}

/** Runs again until the day succeeds (a rerun may first find the killed run's endpoint still closing). */
async function rerunUntilSucceeded(state: string): Promise<Run> {
  for (let attempt = 1; ; attempt++) {
    const run = await logflowRun(state);
    if (run.code === 0) return run;
    if (attempt >= 5 || !/in use by process/.test(run.stderr)) {
      throw new Error(`rerun ${attempt} failed (${run.code}): ${run.stderr.slice(-2000)}`);
    }
  }
}

async function reportAndSums(state: string, run: Run): Promise<{ report: string; sums: number[][] }> {
  const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { report: { json: string } };
  const report = await readFile(result.report.json, 'utf8');
  const aws = await startLocalAws({ stateDir: state });
  try {
    const sums: number[][] = [];
    for (const metricName of ['Requests', '5xxErrors', 'DailyRequests']) {
      sums.push(
        await metricSums(aws, {
          metricName,
          start: new Date(`${DATE}T00:00:00Z`),
          end: new Date(`${DATE}T23:59:00Z`),
          periodSeconds: 3600,
        }),
      );
    }
    return { report, sums };
  } finally {
    await aws.stop();
  }
}

describe('logflow run killed with SIGKILL and run again', () => {
  const states: string[] = [];
  afterAll(async () => {
    for (const state of states) await rm(state, { recursive: true, force: true });
  });
  const newState = async () => {
    const state = await mkdtemp(join(tmpdir(), 'logflow-kill-'));
    states.push(state);
    return state;
  };

  it('ends with the report and metric sums of an uninterrupted run', async () => {
    const clean = await logflowRun(await newState());
    expect(clean.code).toBe(0);
    const want = await reportAndSums(states[0]!, clean);
    expect(want.sums[0]!.length).toBeGreaterThan(0);

    // after the upload, after the first finished file, and while the report is written
    for (const killAt of [/logflow run: \d+ files/, /files [1-9]\d*\/\d+/, /files (\d+)\/\1 /]) {
      const state = await newState();
      const killed = await logflowRun(state, killAt);
      expect(killed.code).toBeNull();
      const rerun = await rerunUntilSucceeded(state);
      const got = await reportAndSums(state, rerun);
      expect(got.report).toBe(want.report);
      expect(got.sums).toEqual(want.sums);
    }
  }, 600_000);
});
