import { describe, expect, it } from 'vitest';
import { runExecution } from './execution.js';
import type { TaskInvoker } from './integrations.js';

const jsonataMachine = (States: Record<string, unknown>) => ({
  QueryLanguage: 'JSONata' as const,
  StartAt: Object.keys(States)[0] as string,
  States: States as never,
});

describe('JSONata states', () => {
  it('evaluates Output with $states.input (AWS JSONata example)', async () => {
    const r = await runExecution(
      jsonataMachine({
        P: {
          Type: 'Pass',
          Output: {
            customer: '{% $states.input.customer.name %}',
            total: '{% $sum($states.input.items.price) %}',
          },
          End: true,
        },
      }),
      { customer: { name: 'Jane' }, items: [{ price: 2 }, { price: 3 }] },
    );
    expect(r.output).toEqual({ customer: 'Jane', total: 5 });
  });

  it('passes Arguments to a Task and exposes $states.result to Output and Assign', async () => {
    const invoker: TaskInvoker = { invoke: async (_r, args) => ({ echoed: args }) };
    const r = await runExecution(
      jsonataMachine({
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'f', Payload: '{% $states.input %}' },
          Assign: { fn: '{% $states.result.echoed.FunctionName %}' },
          Output: '{% $states.result.echoed.Payload.n * 2 %}',
          Next: 'U',
        },
        U: { Type: 'Pass', Output: '{% [$states.input, $fn] %}', End: true },
      }),
      { n: 21 },
      { taskInvoker: invoker },
    );
    expect(r.output).toEqual([42, 'f']);
  });

  it('has the AWS functions $partition, $range, $hash, $parse, $uuid, $random', async () => {
    const r = await runExecution(
      jsonataMachine({
        P: {
          Type: 'Pass',
          Output: {
            partition: '{% $partition([1,2,3,4], 2) %}',
            range: '{% $range(0, 10, 2) %}',
            hash: '{% $hash("Hello World", "SHA-256") %}',
            parse: '{% $parse(\'{"a":1}\') %}',
            uuid: '{% $uuid() %}',
            random: '{% $random() %}',
          },
          End: true,
        },
      }),
      {},
    );
    const out = r.output as Record<string, unknown>;
    expect(out.partition).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(out.range).toEqual([0, 2, 4, 6, 8, 10]);
    expect(out.hash).toBe('a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e');
    expect(out.parse).toEqual({ a: 1 });
    expect(out.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.random).toBeGreaterThanOrEqual(0);
  });

  it('Choice uses Condition, and rule Output/Assign', async () => {
    const def = jsonataMachine({
      C: {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $states.input.n > 1 %}', Next: 'Big', Output: 'big', Assign: { size: 'L' } },
        ],
        Default: 'Small',
      },
      Big: { Type: 'Pass', Output: '{% [$states.input, $size] %}', End: true },
      Small: { Type: 'Pass', End: true },
    });
    expect((await runExecution(def, { n: 2 })).output).toEqual(['big', 'L']);
    expect((await runExecution(def, { n: 0 })).output).toEqual({ n: 0 });
  });

  it('fails with States.QueryEvaluationError when an expression returns nothing', async () => {
    const r = await runExecution(
      jsonataMachine({ P: { Type: 'Pass', Output: '{% $nope %}', End: true } }),
      {},
    );
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(r.cause).toContain(
      "The JSONata expression '$nope' specified for the field 'Output' returned nothing (undefined).",
    );
  });

  it('Catch exposes $states.errorOutput', async () => {
    const r = await runExecution(
      jsonataMachine({
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E1', Cause: 'c1' } } }],
          Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $states.errorOutput.Error %}', Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Pass', End: true },
      }),
      {},
    );
    expect(r.output).toBe('E1');
  });

  it('mixes query languages per state', async () => {
    const r = await runExecution(
      {
        StartAt: 'A',
        States: {
          A: {
            Type: 'Pass',
            QueryLanguage: 'JSONata',
            Output: { v: '{% $states.input.x + 1 %}' },
            Next: 'B',
          },
          B: { Type: 'Pass', Parameters: { 'w.$': '$.v' }, End: true },
        },
      },
      { x: 1 },
    );
    expect(r.output).toEqual({ w: 2 });
  });

  it('Wait accepts Seconds and Timestamp expressions', async () => {
    const r = await runExecution(
      jsonataMachine({
        W: { Type: 'Wait', Seconds: '{% $states.input.s %}', Next: 'T' },
        T: { Type: 'Wait', Timestamp: '{% $states.input.t %}', End: true },
      }),
      { s: 0, t: '2016-03-14T01:59:00Z' },
    );
    expect(r.status).toBe('SUCCEEDED');
  });
});

describe('JSONata Fail, Succeed and fields that take expressions', () => {
  it('Fail takes Error and Cause expressions', async () => {
    const r = await runExecution(
      jsonataMachine({
        F: { Type: 'Fail', Error: '{% $states.input.code %}', Cause: "{% 'bad ' & $states.input.what %}" },
      }),
      { code: 'Invalid.Input', what: 'prefix' },
    );
    expect(r).toMatchObject({ status: 'FAILED', error: 'Invalid.Input', cause: 'bad prefix' });
  });

  it('Succeed takes Output', async () => {
    const r = await runExecution(
      jsonataMachine({ S: { Type: 'Succeed', Output: { done: '{% $states.input.n > 0 %}' } } }),
      {
        n: 1,
      },
    );
    expect(r.output).toEqual({ done: true });
  });

  it('Map MaxConcurrency and ToleratedFailureCount take expressions; bad Items fail with AWS message', async () => {
    const ok = await runExecution(
      jsonataMachine({
        M: {
          Type: 'Map',
          Items: [1, '{% 1 + 1 %}'],
          MaxConcurrency: '{% $states.input.limit %}',
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      }),
      { limit: 1 },
    );
    expect(ok.output).toEqual([1, 2]);
    const bad = await runExecution(
      jsonataMachine({
        M: {
          Type: 'Map',
          Items: '{% $states.input %}',
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      }),
      { a: 1 },
    );
    expect(bad.error).toBe('States.QueryEvaluationError');
    expect(bad.cause).toContain("Expected 'array', but was 'object' for value: {\"a\":1}");
  });

  it('variables: inner scopes read outer values, outer scopes never see inner ones', async () => {
    const r = await runExecution(
      jsonataMachine({
        Init: { Type: 'Pass', Assign: { total: 10 }, Next: 'M' },
        M: {
          Type: 'Map',
          Items: [1, 2],
          ItemProcessor: {
            StartAt: 'Inner',
            States: {
              Inner: {
                Type: 'Pass',
                Assign: { inner: '{% $states.input %}' },
                Output: '{% $total + $states.input %}',
                End: true,
              },
            },
          },
          Next: 'After',
        },
        After: {
          Type: 'Pass',
          Output: '{% {"results": $states.input, "innerVisible": $exists($inner)} %}',
          End: true,
        },
      }),
      {},
    );
    expect(r.output).toEqual({ results: [11, 12], innerVisible: false });
  });
});

describe('JSONata Choice details', () => {
  const def = jsonataMachine({
    C: {
      Type: 'Choice',
      Choices: [{ Condition: '{% $states.input.go %}', Next: 'Done', Assign: { path: 'rule' } }],
      Default: 'Done',
      Assign: { path: 'default', defaultOnly: true },
      Output: { from: 'default' },
    },
    Done: { Type: 'Pass', Output: { path: '{% $path %}', input: '{% $states.input %}' }, End: true },
  });

  it('uses only the matched rule Assign and Output; the state-level ones belong to Default', async () => {
    expect((await runExecution(def, { go: true })).output).toEqual({ path: 'rule', input: { go: true } });
    expect((await runExecution(def, { go: false })).output).toEqual({
      path: 'default',
      input: { from: 'default' },
    });
  });

  it('names the rule in QueryEvaluationError causes', async () => {
    const r = await runExecution(def, {});
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(r.cause).toContain("specified for the field 'Choices[0]/Condition' returned nothing (undefined).");
  });

  it('names nested Output fields with / and [i]', async () => {
    const r = await runExecution(
      jsonataMachine({ P: { Type: 'Pass', Output: { a: { b: [1, '{% $nope %}'] } }, End: true } }),
      {},
    );
    expect(r.cause).toContain("specified for the field 'Output/a/b[1]' returned nothing (undefined).");
  });
});

describe('JSONata evaluation errors', () => {
  it('name the expression and field, then the JSONata code and message', async () => {
    const r = await runExecution(
      jsonataMachine({ P: { Type: 'Pass', Output: { r: "{% $abs('x') %}" }, End: true } }),
      {},
    );
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(r.cause).toContain(
      "The JSONata expression '$abs('x')' specified for the field 'Output/r' threw an error during evaluation. T0410: Argument 1 of function \"abs\" does not match function signature",
    );
  });

  it('are catchable', async () => {
    const r = await runExecution(
      jsonataMachine({
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Output: '{% $nope %}', End: true } } }],
          Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Output: 'caught', Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Pass', End: true },
      }),
      {},
    );
    expect(r.output).toBe('caught');
  });
});
