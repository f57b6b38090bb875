import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatesError } from '../integrations.js';
import { csvDelimiter, readCsv, readJsonArray, readJsonLines, splitLines } from './item-parsers.js';

async function* chunks(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function failure(items: AsyncIterable<unknown>): Promise<StatesError> {
  try {
    await collect(items);
  } catch (error) {
    if (error instanceof StatesError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('readJsonArray', () => {
  it('yields every element whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue()), fc.integer({ min: 1, max: 17 }), async (values, size) => {
        const text = JSON.stringify(values, null, size % 3 === 0 ? 2 : undefined);
        const parsed = await collect(readJsonArray(chunks(text, size), 's3://b/k.json'));
        expect(parsed).toEqual(JSON.parse(text));
      }),
      { numRuns: 200 },
    );
  });

  it('handles strings holding brackets, commas and escaped quotes, and multi-byte text split across chunks', async () => {
    const values = [{ a: '[,]{"}' }, 'é€😀', [1, [2, { b: '\\"' }]], null];
    expect(await collect(readJsonArray(chunks(`\uFEFF ${JSON.stringify(values)} \n`, 1), 'k'))).toEqual(
      values,
    );
  });

  it('rejects what is not one JSON array, naming the object', async () => {
    expect((await failure(readJsonArray(chunks('{"a":1}', 4), 's3://b/k.json'))).cause).toBe(
      's3://b/k.json: expected a JSON array, found "{" at the start',
    );
    const bad = await failure(readJsonArray(chunks('[1, {"a": }]', 4), 's3://b/k.json'));
    expect(bad.error).toBe('States.ItemReaderFailed');
    expect(bad.cause).toMatch(/^s3:\/\/b\/k\.json: invalid JSON in array element 1: /);
    expect((await failure(readJsonArray(chunks('[1, 2', 4), 'k'))).cause).toMatch(/unexpected end of input/);
    expect((await failure(readJsonArray(chunks('[1] x', 4), 'k'))).cause).toMatch(/unexpected "x" after/);
    expect((await failure(readJsonArray(chunks('[1,]', 4), 'k'))).cause).toMatch(/empty element at index 1/);
  });

  it('yields before the end of the input arrives', async () => {
    let released = false;
    async function* slow(): AsyncGenerator<string> {
      yield '[{"n":1},';
      await new Promise((r) => setTimeout(r, 20));
      released = true;
      yield '{"n":2}]';
    }
    const iterator = readJsonArray(slow(), 'k')[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ n: 1 });
    expect(released).toBe(false);
  });
});

describe('readJsonLines', () => {
  it('yields one value per line and skips blank lines', async () => {
    const text = '{"a":1}\r\n\n[2]\n"three"\n   \n';
    expect(await collect(readJsonLines(chunks(text, 3), 'k'))).toEqual([{ a: 1 }, [2], 'three']);
  });

  it('names the line of invalid JSON', async () => {
    const error = await failure(readJsonLines(chunks('{"a":1}\n\n{"a":\n', 5), 's3://b/k.jsonl'));
    expect(error.error).toBe('States.ItemReaderFailed');
    expect(error.cause).toMatch(/^s3:\/\/b\/k\.jsonl: invalid JSON on line 3: /);
  });
});

describe('readCsv', () => {
  it('keys rows by the first row, all values strings, quoted fields intact', async () => {
    const text = 'key,size,note\r\nlogs/a.log,10,"x, ""quoted"""\nlogs/b.log,20,\n\n';
    expect(await collect(readCsv(chunks(text, 4), 'k'))).toEqual([
      { key: 'logs/a.log', size: '10', note: 'x, "quoted"' },
      { key: 'logs/b.log', size: '20', note: '' },
    ]);
  });

  it('uses given headers and named delimiters', async () => {
    const text = 'a|1\nb|2\n';
    expect(
      await collect(
        readCsv(chunks(text, 2), 'k', { headerLocation: 'GIVEN', headers: ['name', 'n'], delimiter: 'PIPE' }),
      ),
    ).toEqual([
      { name: 'a', n: '1' },
      { name: 'b', n: '2' },
    ]);
    expect(csvDelimiter('TAB', 'k')).toBe('\t');
    expect(csvDelimiter(';', 'k')).toBe(';');
  });

  it('names the line of a row with the wrong field count and bad configuration', async () => {
    const error = await failure(readCsv(chunks('a,b\n1,2\n3\n', 64), 's3://b/k.csv'));
    expect(error.cause).toBe('s3://b/k.csv: CSV line 3 has 1 fields, expected 2 (a, b)');
    expect((await failure(readCsv(chunks('a\n', 64), 'k', { headerLocation: 'GIVEN' }))).cause).toMatch(
      /CSVHeaderLocation GIVEN needs CSVHeaders/,
    );
    expect((await failure(readCsv(chunks('a\n', 64), 'k', { delimiter: 'COLON' }))).cause).toMatch(
      /unsupported CSVDelimiter "COLON"/,
    );
    expect((await failure(readCsv(chunks('a\n"unterminated\n', 64), 'k'))).cause).toMatch(
      /^k: invalid CSV: /,
    );
  });
});

describe('splitLines', () => {
  it('splits on LF and CRLF across chunk boundaries, keeping multi-byte characters whole', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'grapheme' }).map((s) => s.replace(/[\r\n]/g, ''))),
        fc.boolean(),
        fc.integer({ min: 1, max: 9 }),
        async (lines, crlf, size) => {
          const text = lines.join(crlf ? '\r\n' : '\n');
          // A final line break ends the last line rather than starting an empty one.
          const expected = text.split(/\r?\n/);
          if (expected.at(-1) === '') expected.pop();
          expect(await collect(splitLines(chunks(text, size)))).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
