import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rng } from '../sketches/test-support/random.js';
import { LineSplitter } from './lines.js';

/** Lines as one call per line would give them: split on `\n`, `\r` dropped, decoded one by one. */
function referenceLines(
  bytes: Buffer,
  max: number,
): { lines: [number, string][]; overlong: [number, number][] } {
  const lines: [number, string][] = [];
  const overlong: [number, number][] = [];
  let start = 0;
  let n = 0;
  while (start < bytes.length) {
    let newline = bytes.indexOf(10, start);
    if (newline < 0) newline = bytes.length;
    let end = newline;
    if (end > start && bytes[end - 1] === 13) end--;
    n++;
    if (end - start > max) overlong.push([n, end - start]);
    else lines.push([n, bytes.toString('utf8', start, end)]);
    start = newline + 1;
  }
  return { lines, overlong };
}

/** ~`size` bytes of log-like lines: mostly ASCII, some `\r\n`, blank, multi-byte, invalid and long lines. */
function logBytes(size: number, seed: number): Buffer {
  const random = rng(seed);
  const parts: Buffer[] = [];
  let total = 0;
  while (total < size) {
    const r = random();
    let line: Buffer;
    if (r < 0.002)
      line = Buffer.from(`ua "Mozilla/5.0 (ü; 日本語) \u{1F600}" ${Math.floor(random() * 1e6)}`, 'utf8');
    else if (r < 0.004) line = Buffer.from([0x16, 0x03, 0xfc, 0x80, 0x41, 0xe2, 0x82]);
    else if (r < 0.005) line = Buffer.alloc(500 + Math.floor(random() * 2000), 0x78);
    else if (r < 0.006) line = Buffer.from('é'.repeat(300 + Math.floor(random() * 600)), 'utf8');
    else if (r < 0.01) line = Buffer.alloc(0);
    else
      line = Buffer.from(
        `10.0.${Math.floor(random() * 256)}.1 - - "GET /p/${Math.floor(random() * 1e5)}" 200`,
      );
    const ending = Buffer.from(random() < 0.1 ? '\r\n' : '\n');
    parts.push(line, ending);
    total += line.length + ending.length;
  }
  return Buffer.concat(parts);
}

describe('LineSplitter on large blocks', () => {
  it('yields the same lines and line numbers as splitting line by line, however the input is chunked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 300_000 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(1000, 1001, 65536),
        fc.boolean(),
        (seed, sizes, max, finalNewline) => {
          let bytes = logBytes(400_000, seed);
          if (!finalNewline) bytes = bytes.subarray(0, bytes.length - 1);
          const out: { lines: [number, string][]; overlong: [number, number][] } = {
            lines: [],
            overlong: [],
          };
          const splitter = new LineSplitter(
            {
              line: (text, start, end, line) => out.lines.push([line, text.slice(start, end)]),
              overlong: (line, _head, n) => out.overlong.push([line, n]),
            },
            max,
          );
          for (let i = 0, k = 0; i < bytes.length; k++) {
            const size = sizes[k % sizes.length]!;
            splitter.push(bytes.subarray(i, i + size));
            i += size;
          }
          splitter.end();
          const expected = referenceLines(bytes, max);
          expect(out.lines).toEqual(expected.lines);
          expect(out.overlong).toEqual(expected.overlong);
        },
      ),
      { numRuns: 25 },
    );
  });
});
