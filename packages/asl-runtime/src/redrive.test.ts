import { describe, expect, it } from 'vitest';
import { runExecution } from './execution.js';
import { StatesError, type TaskInvoker } from './integrations.js';
import type { ChildExecution, RedriveMapRun } from './interpreter.js';
import type { StateMachineDefinition } from './types.js';

/** A Task that fails for the items named in `broken`, and records which items it ran. */
function invoker(broken: Set<string>): TaskInvoker & { ran: string[] } {
  const ran: string[] = [];
  return {
    ran,
    invoke: async (_resource, args) => {
      const item = (args as { item: string }).item;
      ran.push(item);
      if (broken.has(item)) throw new StatesError('Broken', `${item} is broken`);
      return { item, ok: true };
    },
  };
}

const definition: StateMachineDefinition = {
  StartAt: 'Setup',
  States: {
    Setup: { Type: 'Pass', Assign: { prefix: 'day' }, Next: 'Each' },
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemSelector: { 'item.$': '$$.Map.Item.Value' },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Work',
        States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } },
      },
      ResultPath: '$.results',
      Next: 'Done',
    },
    Done: { Type: 'Pass', Parameters: { 'prefix.$': '$prefix', 'results.$': '$.results' }, End: true },
  },
};

describe('redrive', () => {
  it('continues at the failed state, re-running only the Map children that did not succeed', async () => {
    const children: ChildExecution[] = [];
    const first = invoker(new Set(['b', 'd']));
    const input = { items: ['a', 'b', 'c', 'd'] };
    const failed = await runExecution(definition, input, {
      taskInvoker: first,
      onChildExecution: (c) => children.push(c),
      name: 'day-1',
    });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    const started = failed.history.find((e) => e.type === 'MapRunStarted');
    const mapRunArn = (started?.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn;
    const entered = failed.history.find((e) => e.type === 'MapStateEntered');
    const stateInput = JSON.parse((entered?.stateEnteredEventDetails as { input: string }).input) as unknown;

    const succeeded: RedriveMapRun['succeeded'] = new Map(
      children.filter((c) => c.status === 'SUCCEEDED').map((c) => [c.index, c]),
    );
    const second = invoker(new Set());
    const events: string[] = [];
    const redriven = await runExecution(definition, input, {
      taskInvoker: second,
      name: 'day-1',
      onEvent: (e) => events.push(`${e.id}:${e.type}`),
      redrive: {
        startAt: 'Each',
        stateInput,
        variables: { prefix: 'day' },
        lastEventId: failed.history.length,
        redriveCount: 1,
        startDate: failed.startDate,
        mapRuns: { Each: { mapRunArn, succeeded } },
      },
    });
    expect(redriven.status).toBe('SUCCEEDED');
    expect(second.ran.sort()).toEqual(['b', 'd']);
    expect(redriven.output).toEqual({
      prefix: 'day',
      results: ['a', 'b', 'c', 'd'].map((item) => ({ item, ok: true })),
    });
    expect(redriven.executionArn).toBe(failed.executionArn);
    expect(redriven.startDate).toEqual(failed.startDate);
    // Event ids continue the first attempt's; the Map Run is the same one, redriven.
    expect(events[0]).toBe(`${failed.history.length + 1}:ExecutionRedriven`);
    const mapRunEvent = redriven.history.find((e) => e.type === 'MapRunRedriven');
    expect(mapRunEvent?.mapRunRedrivenEventDetails).toEqual({ mapRunArn, redriveCount: 1 });
  });

  it('exposes the redrive count in $$.Execution.RedriveCount', async () => {
    const r = await runExecution(
      {
        StartAt: 'A',
        States: { A: { Type: 'Pass', Parameters: { 'n.$': '$$.Execution.RedriveCount' }, End: true } },
      },
      {},
      { redrive: { startAt: 'A', stateInput: {}, lastEventId: 5, redriveCount: 2, startDate: new Date(0) } },
    );
    expect(r.output).toEqual({ n: 2 });
  });
});
