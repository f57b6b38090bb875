import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_ENV } from '@logflow/shared-types';
import { startLambdaPool, type LambdaPool } from './lambda-pool.js';
import { analyzerThreads } from './run-daily.js';

/** A fixed time of invocation: the pool passes it to the handler as its clock. */
const NOW_MS = Date.parse('2026-11-23T06:00:00Z');

describe('startLambdaPool', () => {
  let dir: string;
  let pool: LambdaPool;
  const saved = process.env[HANDLER_ENV.metricNamespace];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logflow-pool-'));
    // the workers take the environment as it is when they start
    process.env[HANDLER_ENV.metricNamespace] = 'Logflow/test';
    pool = await startLambdaPool(2, { lambdaLogFile: join(dir, 'lambda.log') });
  });
  afterAll(async () => {
    await pool.close();
    if (saved === undefined) delete process.env[HANDLER_ENV.metricNamespace];
    else process.env[HANDLER_ENV.metricNamespace] = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it("rejects with the handler's error name, message and stack", async () => {
    const error = (await pool
      .invoke({ bucket: 'b', date: '2026-11-22' }, NOW_MS)
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InvalidAnalyzeEventError');
    expect(error.message).toBe('AnalyzeLogData event: field "items" must be a list of listed objects');
    expect(error.stack).toContain('validateEvent');
  });

  it('spreads concurrent invocations over the workers and answers each one', async () => {
    const dates = ['2026-11-20', '2026-11-21', 'not-a-date', '2026-11-23'];
    const results = await Promise.allSettled(
      dates.map((date) => pool.invoke({ items: [{ bucket: 'b', date, publish: true }] }, NOW_MS)),
    );
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'ok'))).toEqual([
      'AnalyzeLogData event: field "items[0].object" must be an S3 list item',
      'AnalyzeLogData event: field "items[0].object" must be an S3 list item',
      'AnalyzeLogData event: field "items[0].date" must be a YYYY-MM-DD date',
      'AnalyzeLogData event: field "items[0].object" must be an S3 list item',
    ]);
  });

  it('fails invocations still running when it closes', async () => {
    const other = await startLambdaPool(1, { lambdaLogFile: join(dir, 'other.log') });
    // the answer cannot arrive before close(), which runs before this thread yields
    const running = expect(other.invoke({ bucket: 'b', date: '2026-11-22' }, NOW_MS)).rejects.toThrow(
      'the run stopped before the function returned',
    );
    await other.close();
    await running;
  });
});

describe('analyzerThreads', () => {
  it('leaves one core to the state machine and local AWS, and uses at least one', () => {
    expect(analyzerThreads(8)).toBe(7);
    expect(analyzerThreads(2)).toBe(1);
    expect(analyzerThreads(1)).toBe(1);
  });
});
