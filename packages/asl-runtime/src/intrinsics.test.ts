import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from './intrinsics.js';
import { VariableScope } from './variables.js';

const run = (expr: string, data: unknown = {}) =>
  evaluateIntrinsic(expr, { data, context: { Execution: { Input: data } }, variables: new VariableScope() });

// Expected values are the examples of the AWS "Intrinsic functions" documentation page.
describe('intrinsic functions (AWS documentation examples)', () => {
  it('States.Format', () => {
    expect(run("States.Format('Hello, my name is {}.', $.name)", { name: 'Arnav' })).toBe(
      'Hello, my name is Arnav.',
    );
    expect(run("States.Format('{} and \\{literal\\}', 1)")).toBe('1 and {literal}');
  });

  it('States.StringToJson and States.JsonToString', () => {
    expect(run('States.StringToJson($.someString)', { someString: '{"number": 20}' })).toEqual({
      number: 20,
    });
    expect(run('States.JsonToString($.someJson)', { someJson: { name: 'Foo', year: 2020 } })).toBe(
      '{"name":"Foo","year":2020}',
    );
  });

  it('States.Array', () => {
    expect(
      run("States.Array('Foo', 2020, $.someJson, null)", { someJson: { random: 'abcdefghij' } }),
    ).toEqual(['Foo', 2020, { random: 'abcdefghij' }, null]);
  });

  const inputArray = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  it('array functions', () => {
    expect(run('States.ArrayPartition($.inputArray,4)', { inputArray })).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9],
    ]);
    expect(run('States.ArrayContains($.inputArray, $.lookingFor)', { inputArray, lookingFor: 5 })).toBe(true);
    expect(run('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(run('States.ArrayGetItem($.inputArray, $.index)', { inputArray, index: 5 })).toBe(6);
    expect(run('States.ArrayLength($.inputArray)', { inputArray })).toBe(9);
    expect(run('States.ArrayUnique($.inputArray)', { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] })).toEqual([
      1, 2, 3, 4,
    ]);
  });

  it('encoding and hashing', () => {
    expect(run('States.Base64Encode($.input)', { input: 'Data to encode' })).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(run('States.Base64Decode($.base64)', { base64: 'RGF0YSB0byBlbmNvZGU=' })).toBe('Data to encode');
    expect(run('States.Hash($.Data, $.Algorithm)', { Data: 'input data', Algorithm: 'SHA-1' })).toBe(
      'aaff4a450a104cd177d28d18d74485e8cae074b7',
    );
  });

  it('States.JsonMerge is shallow', () => {
    const data = { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } };
    expect(run('States.JsonMerge($.json1, $.json2, false)', data)).toEqual({
      a: { a3: 1, a4: 2 },
      b: 2,
      c: 3,
    });
  });

  it('math and string functions', () => {
    expect(run('States.MathAdd($.value1, $.step)', { value1: 111, step: -1 })).toBe(110);
    expect(
      run('States.StringSplit($.inputString, $.splitter)', { inputString: '1,2,3,4,5', splitter: ',' }),
    ).toEqual(['1', '2', '3', '4', '5']);
    expect(
      run('States.StringSplit($.inputString, $.splitter)', {
        inputString: 'This.is+a,test=string',
        splitter: '.+,=',
      }),
    ).toEqual(['This', 'is', 'a', 'test', 'string']);
    const r = run('States.MathRandom($.start, $.end)', { start: 1, end: 999 }) as number;
    expect(r).toBeGreaterThanOrEqual(1);
    expect(r).toBeLessThan(999);
    expect(run('States.UUID()')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('nests calls and reads the context object', () => {
    expect(run("States.Format('{}', States.ArrayLength($$.Execution.Input.list))", { list: [1, 2] })).toBe(
      '2',
    );
  });

  it('fails with States.Runtime on bad arguments', () => {
    expect(() => run('States.ArrayGetItem($.a, 5)', { a: [1] })).toThrow(/out of bounds/);
    expect(() => run('States.Nope(1)')).toThrow(/Unsupported intrinsic/);
    expect(() => run("States.Format('{} {}', 1)")).toThrow(/placeholders/);
  });
});
