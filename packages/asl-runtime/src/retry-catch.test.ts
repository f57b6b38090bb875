import { describe, expect, it } from 'vitest';
import { runExecution } from './execution.js';
import { StatesError, type TaskInvoker } from './integrations.js';
import { retryDelayMs } from './interpreter.js';

const failingTask = (errors: string[]): TaskInvoker & { calls: number } => {
  const invoker = {
    calls: 0,
    async invoke() {
      const error = errors[invoker.calls++];
      if (error) throw new StatesError(error, `attempt ${invoker.calls}`);
      return { ok: true };
    },
  };
  return invoker;
};

describe('Retry', () => {
  it('computes delays from IntervalSeconds, BackoffRate, MaxDelaySeconds and JitterStrategy', () => {
    // AWS: IntervalSeconds 3, BackoffRate 1.5 → 3 s, 4.5 s, 6.75 s.
    const r = { ErrorEquals: ['States.ALL'], IntervalSeconds: 3, BackoffRate: 1.5 };
    expect([0, 1, 2].map((a) => retryDelayMs(r, a))).toEqual([3000, 4500, 6750]);
    expect(retryDelayMs({ ...r, MaxDelaySeconds: 4 }, 2)).toBe(4000);
    expect(retryDelayMs({ ...r, JitterStrategy: 'FULL' }, 1, () => 0.5)).toBe(2250);
    expect(retryDelayMs({ ErrorEquals: ['x'] }, 0)).toBe(1000);
  });

  it('counts attempts per retrier and exposes $$.State.RetryCount', async () => {
    const invoker = failingTask(['A', 'B', 'A']);
    const r = await runExecution(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { 'retry.$': '$$.State.RetryCount' },
            Retry: [
              { ErrorEquals: ['A'], MaxAttempts: 2 },
              { ErrorEquals: ['B'], MaxAttempts: 1 },
            ],
            ResultSelector: { 'ok.$': '$.ok' },
            End: true,
          },
        },
      },
      {},
      { taskInvoker: invoker, noWait: true },
    );
    expect(invoker.calls).toBe(4);
    expect(r.output).toEqual({ ok: true });
  });

  it('does not retry when MaxAttempts is 0 and a retrier is exhausted even if a later one matches', async () => {
    const invoker = failingTask(['A', 'A', 'A']);
    const r = await runExecution(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Retry: [
              { ErrorEquals: ['A'], MaxAttempts: 0 },
              { ErrorEquals: ['States.ALL'], MaxAttempts: 5 },
            ],
            End: true,
          },
        },
      },
      {},
      { taskInvoker: invoker, noWait: true },
    );
    expect(invoker.calls).toBe(1);
    expect(r).toMatchObject({ status: 'FAILED', error: 'A', cause: 'attempt 1' });
  });
});

describe('Catch', () => {
  it('keeps the state input with ResultPath and assigns variables from the error output', async () => {
    const r = await runExecution(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            InputPath: '$.payload',
            Catch: [
              { ErrorEquals: ['Other'], Next: 'Wrong' },
              {
                ErrorEquals: ['States.ALL'],
                ResultPath: '$.failure',
                Assign: { 'why.$': '$.Cause' },
                Next: 'Handled',
              },
            ],
            End: true,
          },
          Wrong: { Type: 'Fail', Error: 'Wrong' },
          Handled: {
            Type: 'Pass',
            Parameters: { 'why.$': '$why', 'failure.$': '$.failure', 'payload.$': '$.payload' },
            End: true,
          },
        },
      },
      { payload: { n: 1 } },
      { taskInvoker: failingTask(['Boom']) },
    );
    expect(r.output).toEqual({
      why: 'attempt 1',
      failure: { Error: 'Boom', Cause: 'attempt 1' },
      payload: { n: 1 },
    });
  });

  it('JSONata Catch: Output and Assign see $states.errorOutput and $states.input', async () => {
    const r = await runExecution(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Catch: [
              {
                ErrorEquals: ['States.TaskFailed'],
                Output: { input: '{% $states.input %}', error: '{% $states.errorOutput.Error %}' },
                Assign: { cause: '{% $states.errorOutput.Cause %}' },
                Next: 'Done',
              },
            ],
            End: true,
          },
          Done: { Type: 'Pass', Output: '{% $merge([$states.input, {"cause": $cause}]) %}', End: true },
        },
      },
      { k: 'v' },
      { taskInvoker: failingTask(['Boom']) },
    );
    expect(r.output).toEqual({ input: { k: 'v' }, error: 'Boom', cause: 'attempt 1' });
  });

  it('does not catch States.Runtime with States.ALL', async () => {
    const r = await runExecution(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', InputPath: '$.missing', End: true } } }],
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
            End: true,
          },
          Handled: { Type: 'Succeed' },
        },
      },
      {},
    );
    expect(r.error).toBe('States.Runtime');
  });
});

describe('Task fields', () => {
  it('evaluates TimeoutSecondsPath, HeartbeatSeconds and Credentials and passes them on', async () => {
    const seen: unknown[] = [];
    const invoker: TaskInvoker = {
      invoke: async (_resource, _args, ctx) => {
        seen.push(ctx.credentials, ctx.stateName);
        return 'done';
      },
    };
    const r = await runExecution(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:s3:listBuckets',
            TimeoutSecondsPath: '$.timeout',
            HeartbeatSeconds: 60,
            Credentials: { 'RoleArn.$': '$.role' },
            End: true,
          },
        },
      },
      { timeout: 30, role: 'arn:aws:iam::111122223333:role/reader' },
      { taskInvoker: invoker },
    );
    expect(r.output).toBe('done');
    expect(seen).toEqual([{ RoleArn: 'arn:aws:iam::111122223333:role/reader' }, 'T']);
    const scheduled = r.history.find((e) => e.type === 'TaskScheduled');
    expect(scheduled?.taskScheduledEventDetails).toMatchObject({
      resourceType: 'aws-sdk:s3',
      resource: 'listBuckets',
      timeoutInSeconds: 30,
      heartbeatInSeconds: 60,
    });
  });

  it('fails with States.TaskFailed when no invoker is configured', async () => {
    const r = await runExecution(
      {
        StartAt: 'T',
        States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } },
      },
      {},
    );
    expect(r.error).toBe('States.TaskFailed');
  });

  it('fails with States.DataLimitExceeded when a task returns more than 256 KiB', async () => {
    const invoker: TaskInvoker = { invoke: async () => ({ big: 'x'.repeat(300_000) }) };
    const r = await runExecution(
      {
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', ResultPath: null, End: true },
        },
      },
      {},
      { taskInvoker: invoker },
    );
    expect(r.error).toBe('States.DataLimitExceeded');
  });
});

describe('execution', () => {
  it('times out with TIMED_OUT after the definition TimeoutSeconds', async () => {
    const r = await runExecution(
      { TimeoutSeconds: 1, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 30, End: true } } },
      {},
    );
    expect(r).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(r.history.at(-1)?.type).toBe('ExecutionTimedOut');
  });
});

describe('stopping', () => {
  it('stops an execution whose Task invoker ignores its signal', async () => {
    const { startExecution } = await import('./execution.js');
    const handle = startExecution(
      {
        StartAt: 'T',
        States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } },
      },
      {},
      { taskInvoker: { invoke: () => new Promise(() => undefined) } },
    );
    setTimeout(() => handle.stop(), 10);
    expect((await handle.result).status).toBe('ABORTED');
  });
});
