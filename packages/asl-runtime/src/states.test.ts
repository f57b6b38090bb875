import { describe, expect, it, vi } from 'vitest';
import { runExecution, startExecution } from './execution.js';
import { StatesError, type TaskInvoker } from './integrations.js';
import type { StateMachineDefinition } from './types.js';

const machine = (States: StateMachineDefinition['States'], StartAt = Object.keys(States)[0] as string) => ({
  StartAt,
  States,
});

/** A Task invoker that records calls and answers from a function. */
function stubInvoker(answer: (resource: string, args: unknown, call: number) => unknown): TaskInvoker & {
  calls: { resource: string; args: unknown }[];
} {
  const calls: { resource: string; args: unknown }[] = [];
  return {
    calls,
    async invoke(resource, args) {
      calls.push({ resource, args });
      return answer(resource, args, calls.length);
    },
  };
}

describe('Pass', () => {
  it('applies Result, ResultPath and OutputPath (AWS ResultPath example)', async () => {
    const input = {
      comment: 'This is a test of the input and output of a Task state.',
      details: 'Default example',
      who: 'AWS Step Functions',
    };
    const r = await runExecution(
      machine({
        P: { Type: 'Pass', Result: 'Hello, AWS Step Functions!', ResultPath: '$.taskresult', End: true },
      }),
      input,
    );
    expect(r).toMatchObject({
      status: 'SUCCEEDED',
      output: { ...input, taskresult: 'Hello, AWS Step Functions!' },
    });
  });

  it('evaluates Parameters with paths, the context object and intrinsics, and InputPath', async () => {
    const r = await runExecution(
      machine({
        P: {
          Type: 'Pass',
          InputPath: '$.dataset2',
          Parameters: {
            'first.$': '$.val1',
            'name.$': '$$.State.Name',
            'n.$': "States.Format('{}!', $.val2)",
            lit: 1,
          },
          End: true,
        },
      }),
      { dataset2: { val1: 'a', val2: 'b' } },
    );
    expect(r.output).toEqual({ first: 'a', name: 'P', n: 'b!', lit: 1 });
  });

  it('fails with States.Runtime when a path is missing', async () => {
    const r = await runExecution(machine({ P: { Type: 'Pass', InputPath: '$.nope', End: true } }), {});
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toContain("Invalid path '$.nope' : No results for path: $['nope']");
  });

  it('fails with States.DataLimitExceeded above 256 KiB', async () => {
    const r = await runExecution(
      machine({ P: { Type: 'Pass', Result: 'x'.repeat(262_145), End: true } }),
      {},
    );
    expect(r.error).toBe('States.DataLimitExceeded');
  });
});

describe('Choice', () => {
  // The state from the AWS Choice documentation.
  const choice = machine({
    ChoiceStateX: {
      Type: 'Choice',
      Choices: [
        { Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' },
        { Variable: '$.value', NumericEquals: 0, Next: 'ValueIsZero' },
        {
          And: [
            { Variable: '$.value', NumericGreaterThanEquals: 20 },
            { Variable: '$.value', NumericLessThan: 30 },
          ],
          Next: 'ValueInTwenties',
        },
      ],
      Default: 'DefaultState',
    },
    Public: { Type: 'Pass', Result: 'Public', End: true },
    ValueIsZero: { Type: 'Pass', Result: 'ValueIsZero', End: true },
    ValueInTwenties: { Type: 'Pass', Result: 'ValueInTwenties', End: true },
    DefaultState: { Type: 'Fail', Error: 'DefaultStateError', Cause: 'No Matches!' },
  });

  it.each([
    [{ type: 'Public', value: 1 }, 'Public'],
    [{ type: 'Private', value: 0 }, 'ValueIsZero'],
    [{ type: 'Private', value: 25 }, 'ValueInTwenties'],
  ])('routes %j to %s', async (input, expected) => {
    expect((await runExecution(choice, input)).output).toBe(expected);
  });

  it('falls through to Default', async () => {
    const r = await runExecution(choice, { type: 'Private', value: 50 });
    expect(r).toMatchObject({ status: 'FAILED', error: 'DefaultStateError', cause: 'No Matches!' });
  });

  it('supports Is*, StringMatches, Timestamp and …Path operators', async () => {
    const def = machine({
      C: {
        Type: 'Choice',
        Choices: [
          {
            And: [
              { Variable: '$.s', StringMatches: 'log-*.txt' },
              { Variable: '$.t', TimestampGreaterThanPath: '$.since' },
              { Variable: '$.n', IsNumeric: true },
              { Variable: '$.missing', IsPresent: false },
              { Variable: '$.z', IsNull: true },
            ],
            Next: 'Yes',
          },
        ],
        Default: 'No',
      },
      Yes: { Type: 'Pass', Result: true, End: true },
      No: { Type: 'Pass', Result: false, End: true },
    });
    const input = { s: 'log-1.txt', t: '2024-01-02T00:00:00Z', since: '2024-01-01T00:00:00Z', n: 1, z: null };
    expect((await runExecution(def, input)).output).toBe(true);
    expect((await runExecution(def, { ...input, s: 'x.txt' })).output).toBe(false);
  });

  it('without Default fails with States.Runtime when no rule matches', async () => {
    const r = await runExecution(
      machine({ C: { Type: 'Choice', Choices: [{ Variable: '$.a', BooleanEquals: true, Next: 'C' }] } }),
      {
        a: false,
      },
    );
    expect(r.error).toBe('States.Runtime');
  });
});

describe('Wait, Succeed and Fail', () => {
  it('waits for real unless noWait', async () => {
    const def = machine({ W: { Type: 'Wait', Seconds: 1, Next: 'S' }, S: { Type: 'Succeed' } });
    vi.useFakeTimers();
    try {
      let done = false;
      const result = runExecution(def, { a: 1 }).then((r) => {
        done = true;
        return r;
      });
      await vi.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((await result).output).toEqual({ a: 1 });
      let skipped = false;
      void runExecution(def, {}, { noWait: true }).then(() => (skipped = true));
      await vi.advanceTimersByTimeAsync(0);
      expect(skipped).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects bad SecondsPath and TimestampPath values', async () => {
    const sec = await runExecution(machine({ W: { Type: 'Wait', SecondsPath: '$.s', End: true } }), {
      s: -1,
    });
    expect(sec.cause).toContain('The SecondsPath parameter references a negative value: $.s == -1');
    const ts = await runExecution(machine({ W: { Type: 'Wait', TimestampPath: '$.t', End: true } }), {
      t: '2016-12-05 21:29:29Z',
    });
    expect(ts.cause).toContain('does not reference a valid ISO-8601 extended offset date-time format string');
  });

  it('Fail takes Error and Cause from paths and intrinsic functions', async () => {
    const r = await runExecution(
      machine({ F: { Type: 'Fail', ErrorPath: '$.e', CausePath: "States.Format('bad {}', $.c)" } }),
      { e: 'MyError', c: 'thing' },
    );
    expect(r).toMatchObject({ status: 'FAILED', error: 'MyError', cause: 'bad thing' });
  });
});

describe('Task', () => {
  it('passes Parameters to the invoker and applies ResultSelector and ResultPath', async () => {
    const invoker = stubInvoker(() => ({ Payload: { total: 3 }, StatusCode: 200 }));
    const r = await runExecution(
      machine({
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'f', 'Payload.$': '$' },
          ResultSelector: { 'total.$': '$.Payload.total' },
          ResultPath: '$.result',
          End: true,
        },
      }),
      { a: 1 },
      { taskInvoker: invoker },
    );
    expect(invoker.calls).toEqual([
      { resource: 'arn:aws:states:::lambda:invoke', args: { FunctionName: 'f', Payload: { a: 1 } } },
    ]);
    expect(r.output).toEqual({ a: 1, result: { total: 3 } });
  });

  it('retries per the matching retrier then catches into ResultPath', async () => {
    const invoker = stubInvoker(() => {
      throw new StatesError('Custom.Error', 'boom');
    });
    const r = await runExecution(
      machine({
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Retry: [{ ErrorEquals: ['Custom.Error'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      }),
      { in: 1 },
      { taskInvoker: invoker, noWait: true },
    );
    expect(invoker.calls).toHaveLength(3);
    expect(r.output).toEqual({ in: 1, error: { Error: 'Custom.Error', Cause: 'boom' } });
  });

  it('States.TaskFailed matches any task error; States.Runtime is never caught', async () => {
    const def = (throwRuntime: boolean) =>
      machine({
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          ...(throwRuntime ? { ResultSelector: { 'x.$': '$.nope' } } : {}),
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', Result: 'caught', End: true },
      });
    const failing = stubInvoker(() => {
      throw new StatesError('Lambda.Unknown');
    });
    expect((await runExecution(def(false), {}, { taskInvoker: failing })).output).toBe('caught');
    const ok = stubInvoker(() => ({}));
    expect((await runExecution(def(true), {}, { taskInvoker: ok })).error).toBe('States.Runtime');
  });

  it('times out with States.Timeout and aborts the task signal', async () => {
    let aborted = false;
    const invoker: TaskInvoker = {
      invoke: (_r, _a, ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            resolve(null);
          });
        }),
    };
    const r = await runExecution(
      machine({
        T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: 1, End: true },
      }),
      {},
      { taskInvoker: invoker },
    );
    expect(r.error).toBe('States.Timeout');
    expect(aborted).toBe(true);
  });
});

describe('variables (JSONPath)', () => {
  it('assigns after the state, reading values from state entry', async () => {
    const r = await runExecution(
      machine({
        A: { Type: 'Pass', Assign: { x: 1 }, Next: 'B' },
        B: { Type: 'Pass', Assign: { x: 2, 'old.$': '$x' }, Next: 'C' },
        C: { Type: 'Pass', Parameters: { 'x.$': '$x', 'old.$': '$old' }, End: true },
      }),
      {},
    );
    expect(r.output).toEqual({ x: 2, old: 1 });
  });
});

describe('history', () => {
  it('records GetExecutionHistory-shaped events and streams them', async () => {
    const seen: string[] = [];
    const handle = startExecution(
      machine({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } }),
      { k: 1 },
      { onEvent: (e) => seen.push(e.type), name: 'run-1' },
    );
    const r = await handle.result;
    const types = r.history.map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(seen).toEqual(types);
    expect(r.history.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.history[1]).toMatchObject({
      previousEventId: 1,
      stateEnteredEventDetails: { name: 'A', input: '{"k":1}' },
    });
    expect(r.executionArn).toMatch(/:execution:LocalStateMachine:run-1$/);
    const streamed: string[] = [];
    for await (const e of handle.events()) streamed.push(e.type);
    expect(streamed).toEqual(types);
  });

  it('keeps nothing when keepHistory is false', async () => {
    const r = await runExecution(machine({ A: { Type: 'Pass', End: true } }), {}, { keepHistory: false });
    expect(r.history).toEqual([]);
  });

  it('is ABORTED when the signal fires', async () => {
    const ac = new AbortController();
    const handle = startExecution(
      machine({ W: { Type: 'Wait', Seconds: 60, End: true } }),
      {},
      { signal: ac.signal },
    );
    setTimeout(() => ac.abort(), 20);
    expect((await handle.result).status).toBe('ABORTED');
  });
});

describe('Map concurrency fields (JSONPath)', () => {
  it('reads MaxConcurrencyPath and rejects values that are not integers', async () => {
    const def = machine({
      M: {
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrencyPath: '$.limit',
        ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
        End: true,
      },
    });
    expect((await runExecution(def, { items: [1, 2], limit: 1 })).output).toEqual([1, 2]);
    const bad = await runExecution(def, { items: [1], limit: 'many' });
    expect(bad.error).toBe('States.Runtime');
    expect(bad.cause).toContain(
      'The MaxConcurrencyPath field refers to value "many" which is not a valid integer: $.limit',
    );
  });
});
