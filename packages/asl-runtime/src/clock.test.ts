import { describe, expect, it } from 'vitest';
import { fixedClock } from '@logflow/shared-types';
import { runExecution } from './execution.js';

describe('the execution clock', () => {
  it('dates the execution, its history and $$.State.EnteredTime from the injected clock', async () => {
    const at = '2031-07-04T12:00:00.000Z';
    const result = await runExecution(
      {
        StartAt: 'Stamp',
        States: {
          Stamp: {
            Type: 'Pass',
            Parameters: { 'entered.$': '$$.State.EnteredTime', 'started.$': '$$.Execution.StartTime' },
            End: true,
          },
        },
      },
      {},
      { clock: fixedClock(at) },
    );
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ entered: at, started: at });
    expect(result.startDate.toISOString()).toBe(at);
    expect(result.stopDate.toISOString()).toBe(at);
    expect(result.history.length).toBeGreaterThan(0);
    for (const event of result.history) expect(event.timestamp.toISOString()).toBe(at);
  });

  it('waits until a Timestamp as the clock reads it: one already past ends at once', async () => {
    const result = await runExecution(
      { StartAt: 'Until', States: { Until: { Type: 'Wait', Timestamp: '2031-07-04T11:59:00Z', End: true } } },
      { n: 1 },
      { clock: fixedClock('2031-07-04T12:00:00Z') },
    );
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { n: 1 } });
  });
});
