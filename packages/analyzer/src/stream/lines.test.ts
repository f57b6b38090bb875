import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from './lines.js';

interface Collected {
  lines: [number, string][];
  overlong: [number, string, number][];
}

function split(chunks: (Buffer | string)[], maxLineBytes?: number): Collected {
  const out: Collected = { lines: [], overlong: [] };
  const splitter = new LineSplitter(
    {
      line: (text, start, end, line) => out.lines.push([line, text.slice(start, end)]),
      overlong: (line, head, bytes) => out.overlong.push([line, head, bytes]),
    },
    maxLineBytes,
  );
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
  splitter.end();
  return out;
}

describe('LineSplitter', () => {
  it('splits LF and CRLF lines, keeps empty lines and a last line without newline', () => {
    expect(split(['a\r\nb\n\nc']).lines).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, ''],
      [4, 'c'],
    ]);
  });

  it('joins lines cut across chunks, including a CRLF cut between \\r and \\n', () => {
    expect(split(['ab', 'c\r', '\nde', 'f\n']).lines).toEqual([
      [1, 'abc'],
      [2, 'def'],
    ]);
  });

  it('decodes UTF-8 split across chunks and replaces invalid bytes with U+FFFD', () => {
    const euro = Buffer.from('€', 'utf8');
    const lines = split([
      Buffer.concat([Buffer.from('x'), euro.subarray(0, 1)]),
      Buffer.concat([euro.subarray(1), Buffer.from('\nbad\xff\xfeend\n', 'latin1')]),
    ]).lines;
    expect(lines).toEqual([
      [1, 'x€'],
      [2, 'bad\ufffd\ufffdend'],
    ]);
  });

  it('drops a UTF-8 byte order mark at the start only', () => {
    expect(split([Buffer.from('\ufeffa\n\ufeffb', 'utf8')]).lines).toEqual([
      [1, 'a'],
      [2, '\ufeffb'],
    ]);
  });

  it('reports an over-long line once, with its head and size, without assembling it', () => {
    const long = 'x'.repeat(1000);
    const out = split(['ok\n', long.slice(0, 300), long.slice(300), '\nafter\n'], 100);
    expect(out.lines).toEqual([
      [1, 'ok'],
      [3, 'after'],
    ]);
    expect(out.overlong).toHaveLength(1);
    expect(out.overlong[0]![0]).toBe(2);
    expect(out.overlong[0]![2]).toBe(1000);
    expect(out.overlong[0]![1].length).toBeLessThanOrEqual(1024);
  });

  it('reports an over-long line inside one chunk and one at the end of input', () => {
    const out = split([`${'y'.repeat(200)}\nshort\n${'z'.repeat(150)}`], 100);
    expect(out.lines).toEqual([[2, 'short']]);
    expect(out.overlong.map(([line, , bytes]) => [line, bytes])).toEqual([
      [1, 200],
      [3, 150],
    ]);
  });

  it('yields the same lines however the input is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'é', '\n', '\r\n', ' ', '\u{1F600}'), { maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
        (parts, sizes) => {
          const bytes = Buffer.from(parts.join(''), 'utf8');
          const chunks: Buffer[] = [];
          for (let i = 0, k = 0; i < bytes.length; k++) {
            const size = sizes[k % sizes.length]!;
            chunks.push(bytes.subarray(i, i + size));
            i += size;
          }
          const expected = bytes.length === 0 ? [] : parts.join('').replace(/\r\n/g, '\n').split('\n');
          if (expected.length > 0 && expected[expected.length - 1] === '') expected.pop();
          expect(split(chunks).lines.map(([, text]) => text)).toEqual(expected);
        },
      ),
    );
  });
});
