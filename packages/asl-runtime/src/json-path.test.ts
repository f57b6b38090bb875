import { describe, expect, it } from 'vitest';
import { compilePath, PathNotFoundError, setPath } from './json-path.js';

// Input from the AWS "InputPath, Parameters and ResultSelector" documentation example.
const docInput = {
  comment: 'Example for InputPath.',
  dataset1: { val1: 1, val2: 2, val3: 3 },
  dataset2: { val1: 'a', val2: 'b', val3: 'c' },
};

describe('compilePath', () => {
  it('selects a member with a definite path (AWS InputPath example)', () => {
    expect(compilePath('$.dataset2').evaluate(docInput)).toEqual({ val1: 'a', val2: 'b', val3: 'c' });
  });

  it('returns the array of matches for indefinite paths and [] when nothing matches', () => {
    const input = { a: [{ b: 1 }, { b: 2 }, { c: 3 }] };
    expect(compilePath('$.a[*].b').evaluate(input)).toEqual([1, 2]);
    expect(compilePath('$.missing[*]').evaluate(input)).toEqual([]);
    expect(compilePath('$.a[0:2]').evaluate(input)).toEqual([{ b: 1 }, { b: 2 }]);
    expect(compilePath('$..b').evaluate(input)).toEqual([1, 2]);
  });

  it('throws with the Jayway message when a definite path finds nothing', () => {
    expect(() => compilePath('$.nope').evaluate(docInput)).toThrow(PathNotFoundError);
    expect(() => compilePath('$.nope').evaluate(docInput)).toThrow("No results for path: $['nope']");
  });

  it('reads bracket-quoted names, negative indexes and filters', () => {
    expect(compilePath("$['dataset1']['val2']").evaluate(docInput)).toBe(2);
    expect(compilePath('$.list[-1]').evaluate({ list: [1, 2, 3] })).toBe(3);
    const users = {
      users: [
        { n: 'a', age: 30 },
        { n: 'b', age: 10 },
      ],
    };
    expect(compilePath('$.users[?(@.age > 20)].n').evaluate(users)).toEqual(['a']);
  });
});

describe('setPath', () => {
  it('writes a result into a copy of the input (AWS ResultPath example)', () => {
    const input = {
      comment: 'This is a test of the input and output of a Task state.',
      details: 'Default example',
    };
    const out = setPath(input, '$.taskresult', 'Hello, AWS Step Functions!');
    expect(out).toEqual({ ...input, taskresult: 'Hello, AWS Step Functions!' });
    expect(input).not.toHaveProperty('taskresult');
  });

  it('creates missing objects and replaces the root for $', () => {
    expect(setPath({}, '$.a.b', 1)).toEqual({ a: { b: 1 } });
    expect(setPath({ x: 1 }, '$', 2)).toBe(2);
  });
});
