import { describe, expect, it } from 'vitest';
import { validateDefinition } from './validate.js';

describe('validateDefinition', () => {
  it('accepts a valid definition', () => {
    expect(validateDefinition({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } })).toEqual({
      valid: true,
      issues: [],
    });
  });

  it('names the state and field of a missing transition target', () => {
    const r = validateDefinition({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } });
    expect(r.valid).toBe(false);
    expect(r.issues[0]).toMatchObject({ state: 'A', field: 'Next' });
    expect(r.issues[0]?.message).toContain("State 'A'");
  });

  it('checks nested processors', () => {
    const r = validateDefinition({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'X', States: { I: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    });
    expect(r.valid).toBe(false);
    expect(r.issues[0]?.field).toBe('M.ItemProcessor.StartAt');
  });

  it('reports schema errors from asl-validator with the state and field', () => {
    const r = validateDefinition({
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: 1, Timestamp: 'x', End: true } },
    });
    expect(r.valid).toBe(false);
  });

  it('keeps reporting schema errors on repeated calls (the compiled schema is reused)', () => {
    const bad = { StartAt: 'P', States: { P: { Type: 'Pass', InputPath: 5, End: true } } };
    for (let i = 0; i < 3; i++) {
      expect(validateDefinition({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }).valid).toBe(
        true,
      );
      const r = validateDefinition(bad);
      expect(r.valid).toBe(false);
      expect(r.issues[0]).toMatchObject({ state: 'P', field: 'InputPath' });
    }
  });

  it('is not stricter than AWS: JSONata literals in Output, Condition and Assign are accepted', () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Condition: true, Next: 'P' }], Output: 'text' },
        P: { Type: 'Pass', Output: [1, 'two'], Assign: { list: [null, 1] }, End: true },
      },
    };
    expect(validateDefinition(def)).toEqual({ valid: true, issues: [] });
  });
});

describe('validateDefinition and JSONata', () => {
  it('rejects an expression that does not parse, naming the state and field', () => {
    const r = validateDefinition({
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: { P: { Type: 'Pass', Output: { total: '{% $sum( %}' }, End: true } },
    });
    expect(r.valid).toBe(false);
    expect(r.issues[0]).toMatchObject({ state: 'P', field: 'Output.total' });
  });

  it('leaves {% %} text alone in JSONPath states', () => {
    const r = validateDefinition({
      StartAt: 'P',
      States: { P: { Type: 'Pass', Result: '{% ( %}', End: true } },
    });
    expect(r.valid).toBe(true);
  });

  it('still rejects a JSONPath payload template whose .$ value is not a path', () => {
    const r = validateDefinition({
      StartAt: 'P',
      States: { P: { Type: 'Pass', Parameters: { 'x.$': 'not a path' }, End: true } },
    });
    expect(r.valid).toBe(false);
    expect(r.issues[0]?.state).toBe('P');
  });
});
