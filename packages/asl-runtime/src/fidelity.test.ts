/** Behaviours where AWS differs from a literal reading of the States Language specification. */
import { describe, expect, it } from 'vitest';
import { runExecution } from './execution.js';
import { StatesError, type TaskInvoker } from './integrations.js';
import type { StateMachineDefinition } from './types.js';
import { validateDefinition } from './validate.js';

const distributedPass = {
  ProcessorConfig: { Mode: 'DISTRIBUTED' as const, ExecutionType: 'STANDARD' as const },
  StartAt: 'P',
  States: { P: { Type: 'Pass' as const, End: true } },
};

describe('context object State', () => {
  it('has no RetryCount in Pass, Choice and Wait states', async () => {
    const r = await runExecution(
      {
        StartAt: 'P',
        States: {
          P: { Type: 'Pass', Parameters: { 'state.$': '$$.State' }, Next: 'C' },
          C: {
            Type: 'Choice',
            Choices: [{ Variable: '$$.State.RetryCount', IsPresent: true, Next: 'Yes' }],
            Default: 'W',
          },
          Yes: { Type: 'Fail', Error: 'Unexpected' },
          W: { Type: 'Wait', Seconds: 0, OutputPath: '$$.State', End: true },
        },
      },
      {},
    );
    expect(r.status).toBe('SUCCEEDED');
    expect(Object.keys(r.output as object).sort()).toEqual(['EnteredTime', 'Name']);
  });

  it('has RetryCount in Task, Parallel and Map states, counting retries', async () => {
    let calls = 0;
    const taskInvoker: TaskInvoker = {
      invoke: async (_resource, args) => {
        calls++;
        if (calls < 3) throw new StatesError('Flaky', `attempt ${calls}`);
        return args;
      },
    };
    const r = await runExecution(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { 'retry.$': '$$.State.RetryCount', 'items.$': '$.items' },
            Retry: [{ ErrorEquals: ['Flaky'], MaxAttempts: 5 }],
            Next: 'P',
          },
          P: {
            Type: 'Parallel',
            Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }],
            ResultSelector: { 'state.$': '$$.State' },
            ResultPath: '$.parallel',
            Next: 'M',
          },
          M: {
            Type: 'Map',
            ItemsPath: '$.items',
            ItemSelector: { 'retry.$': '$$.State.RetryCount' },
            ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
            ResultPath: '$.map',
            End: true,
          },
        },
      },
      { items: [1] },
      { taskInvoker, noWait: true },
    );
    expect(r.status).toBe('SUCCEEDED');
    // The third attempt succeeded, after two retries.
    expect(r.output).toMatchObject({
      retry: 2,
      parallel: { state: { Name: 'P', RetryCount: 0 } },
      map: [{ retry: 0 }],
    });
  });

  it('has no RetryCount in $states.context of a JSONata Pass state', async () => {
    const r = await runExecution(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'P',
        States: { P: { Type: 'Pass', Output: '{% $states.context.State %}', End: true } },
      },
      {},
    );
    expect(r.output).not.toHaveProperty('RetryCount');
    expect(r.output).toHaveProperty('Name', 'P');
  });
});

describe('Map numbers from paths', () => {
  const withPaths = (fields: Record<string, string>): StateMachineDefinition => ({
    StartAt: 'M',
    States: {
      M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: distributedPass, ...fields, End: true },
    },
  });

  it('converts a numeric string selected by MaxConcurrencyPath', async () => {
    const r = await runExecution(withPaths({ MaxConcurrencyPath: '$.max' }), { items: [1, 2, 3], max: '1' });
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: [1, 2, 3] });
  });

  it('converts a numeric string selected by ToleratedFailureCountPath', async () => {
    const r = await runExecution(withPaths({ ToleratedFailureCountPath: '$.count' }), {
      items: [1],
      count: '2',
    });
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: [1] });
  });

  it('still refuses a string that is not an integer', async () => {
    for (const bad of ['1.5', 'one', ' 1', '']) {
      const r = await runExecution(withPaths({ MaxConcurrencyPath: '$.max' }), { items: [1], max: bad });
      expect(r.status).toBe('FAILED');
      expect(r.error).toBe('States.Runtime');
      expect(r.cause).toContain(
        `The MaxConcurrencyPath field refers to value ${JSON.stringify(bad)} which is not a valid integer`,
      );
    }
  });

  it('uses a numeric string as a real threshold, not just as a valid value', async () => {
    const failing: StateMachineDefinition = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          ToleratedFailureCountPath: '$.count',
          ItemProcessor: {
            ...distributedPass,
            StartAt: 'F',
            States: { F: { Type: 'Fail', Error: 'Bad' } },
          },
          End: true,
        },
      },
    };
    const tolerated = await runExecution(failing, { items: [1, 2], count: '2' });
    expect(tolerated.status).toBe('SUCCEEDED');
    const exceeded = await runExecution(failing, { items: [1, 2], count: '1' });
    expect(exceeded.error).toBe('States.ExceedToleratedFailureThreshold');
  });
});

describe('ToleratedFailurePercentage', () => {
  const def = (percentage: unknown): StateMachineDefinition => ({
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ToleratedFailurePercentage: percentage as number,
        ItemProcessor: {
          ...distributedPass,
          StartAt: 'C',
          States: {
            C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 0, Next: 'F' }], Default: 'P' },
            F: { Type: 'Fail', Error: 'Bad' },
            P: { Type: 'Pass', End: true },
          },
        },
        End: true,
      },
    },
  });

  it('accepts a non-integer percentage in a JSONPath state', async () => {
    expect(validateDefinition(def(0.5))).toEqual({ valid: true, issues: [] });
    // One failure in 400 items is 0.25%, under 0.5%; two are 0.5%, not over it; three are over.
    const items = (failures: number) => Array.from({ length: 400 }, (_, i) => (i < failures ? 0 : 1));
    expect((await runExecution(def(0.5), items(2))).status).toBe('SUCCEEDED');
    expect((await runExecution(def(0.5), items(3))).error).toBe('States.ExceedToleratedFailureThreshold');
  });

  it('still refuses a percentage that is not a number or is out of range', () => {
    expect(validateDefinition(def('half')).valid).toBe(false);
    expect(validateDefinition(def(100.5)).valid).toBe(false);
  });
});

describe('a JSONata function value', () => {
  it('as Map Items fails with States.QueryEvaluationError', async () => {
    const r = await runExecution(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            Items: '{% function($x) { $x } %}',
            ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      },
      [1],
    );
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(r.cause).toBe(
      "An error occurred while executing the state 'M' (entered at the event id #2). The JSONata expression 'function($x) { $x }' for the field 'Items' returned an unsupported result type.",
    );
  });

  it('inside an object or array is dropped, as JSONata does when writing JSON', async () => {
    const r = await runExecution(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'P',
        States: {
          P: {
            Type: 'Pass',
            Output: '{% {"f": function($x) { $x }, "g": $string, "a": [1, $string]} %}',
            End: true,
          },
        },
      },
      {},
    );
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: { a: [1] } });
    expect(r.output).toEqual({ a: [1] });
  });
});
