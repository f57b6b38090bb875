/**
 * The sample day under injected faults (AWS's throttling errors, 500s and dropped connections
 * from local AWS) gives exactly the report and CloudWatch sums of a clean run: the SDK's and the
 * workflow's retries absorb every fault, and no effect is applied twice.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import { fixedClock } from '@logflow/shared-types';
import { writeSampleLogs } from '../samples/sample-logs.js';
import { runDaily, type DailyRunResult } from './run-daily.js';
import { metricSums } from './test-support/metric-sums.js';

const DATE = '2026-11-22';
const clock = fixedClock('2026-11-23T06:00:00Z');

/** Runs the sample day against an in-process local AWS with `faults` (none when undefined). */
async function runDay(
  logDir: string,
  faults: string | undefined,
): Promise<{ result: DailyRunResult; local: LocalAws; state: string }> {
  const state = await mkdtemp(join(tmpdir(), 'logflow-faults-'));
  const local = await startLocalAws({ stateDir: state, clock, ...(faults ? { faults } : {}) });
  const saved = { ...process.env };
  Object.assign(process.env, local.env());
  try {
    const result = await runDaily({
      logDir,
      date: DATE,
      target: { kind: 'endpoint' },
      clock,
      reportDir: join(state, 'out'),
      lambdaLogFile: join(state, 'lambda.log'),
      toleratedFailurePercentage: 50,
    });
    return { result, local, state };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** Per-minute sums of one metric over the day, as local CloudWatch holds them. */
const perMinute = (local: LocalAws, metricName: string): Promise<number[]> =>
  metricSums(local, {
    metricName,
    start: new Date(`${DATE}T00:00:00Z`),
    end: new Date(`${DATE}T23:59:00Z`),
    periodSeconds: 60,
  });

describe('the sample day under injected faults', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('gives exactly the report and CloudWatch sums of a clean run', async () => {
    const logs = await mkdtemp(join(tmpdir(), 'logflow-faults-logs-'));
    cleanups.push(() => rm(logs, { recursive: true, force: true }));
    await writeSampleLogs(logs, DATE);
    const runs = [];
    for (const faults of [undefined, 'throttle=0.05,error=0.02,reset=0.01,seed=7']) {
      const run = await runDay(logs, faults);
      cleanups.push(async () => {
        await run.local.stop();
        await rm(run.state, { recursive: true, force: true });
      });
      runs.push(run);
    }
    const [clean, faulted] = runs as [(typeof runs)[number], (typeof runs)[number]];
    expect(clean.result.status).toBe('SUCCEEDED');
    expect(faulted.result.status).toBe('SUCCEEDED');
    expect(faulted.result.files).toEqual(clean.result.files);
    expect(faulted.result.metrics).toEqual(clean.result.metrics);
    expect(await readFile(faulted.result.report!.json, 'utf8')).toBe(
      await readFile(clean.result.report!.json, 'utf8'),
    );
    for (const metric of ['Requests', '5xxErrors']) {
      const sums = await perMinute(faulted.local, metric);
      expect(sums.length).toBeGreaterThan(0);
      expect(sums).toEqual(await perMinute(clean.local, metric));
    }
  }, 300_000);
});
