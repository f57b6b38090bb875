import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CorruptGzipError } from '../errors.js';
import { openSource } from './source.js';

/** Reads a source to its end; `pieces` bytes per input chunk. */
async function inflate(data: Buffer, pieces = 65_536): Promise<{ text: string; warnings: string[] }> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += pieces) chunks.push(data.subarray(i, i + pieces));
  const source = await openSource(Readable.from(chunks), 'f.gz');
  const out: Buffer[] = [];
  for await (const chunk of source.chunks) out.push(chunk);
  return { text: Buffer.concat(out).toString(), warnings: source.warnings ?? [] };
}

const big = 'abc def 0123456789\n'.repeat(200_000);
const member = gzipSync(big);

/** A member whose header carries FEXTRA, FNAME, FCOMMENT and FHCRC. */
function memberWithOptionalFields(text: string): Buffer {
  const plain = gzipSync(text);
  const extra = Buffer.from([4, 0, 1, 2, 3, 4]);
  const header = Buffer.concat([
    Buffer.from([0x1f, 0x8b, 8, 2 | 4 | 8 | 16]),
    plain.subarray(4, 10),
    extra,
    Buffer.from('name.log\0comment\0'),
    Buffer.from([0, 0]),
  ]);
  return Buffer.concat([header, plain.subarray(10)]);
}

describe('gzip members', () => {
  it.each([1, 7, 4096, 65_536, 1 << 20])(
    'reads every member, whatever the input chunking (%d bytes)',
    async (pieces) => {
      const data = Buffer.concat([member, gzipSync('second\n'), memberWithOptionalFields('third\n')]);
      const { text, warnings } = await inflate(data, pieces);
      expect(text).toBe(`${big}second\nthird\n`);
      expect(warnings).toEqual([]);
    },
  );

  it.each([
    ['text', Buffer.from('garbage!!')],
    ['one byte', Buffer.from('x')],
    ['a gzip magic that is no member', Buffer.from([0x1f, 0x8b, 0x00, 0x00, 1, 2, 3])],
  ])('keeps all the data before trailing garbage (%s) and warns', async (_, tail) => {
    for (const pieces of [65_536, 3]) {
      const { text, warnings } = await inflate(Buffer.concat([member, member, tail]), pieces);
      expect(text.length).toBe(2 * big.length);
      expect(warnings).toEqual([`${tail.length} bytes after the last complete gzip member were ignored`]);
    }
  });

  it('ignores zero padding after the last member without a warning', async () => {
    const { text, warnings } = await inflate(Buffer.concat([member, Buffer.alloc(5000)]));
    expect(text).toBe(big);
    expect(warnings).toEqual([]);
  });

  it('refuses a truncated member, a damaged one and a wrong CRC', async () => {
    await expect(inflate(member.subarray(0, member.length - 100))).rejects.toThrow(CorruptGzipError);
    await expect(inflate(member.subarray(0, member.length - 4))).rejects.toThrow(/truncated gzip trailer/);
    const damaged = Buffer.from(member);
    damaged.fill(0xff, 200, 260);
    await expect(inflate(damaged)).rejects.toThrow(CorruptGzipError);
    const badCrc = Buffer.from(member);
    badCrc[badCrc.length - 8]! ^= 1;
    await expect(inflate(badCrc)).rejects.toThrow(/fails its CRC or length check/);
    await expect(inflate(Buffer.from([0x1f, 0x8b, 7, 0, 0, 0, 0, 0, 0, 3]))).rejects.toThrow(
      /invalid gzip header/,
    );
  });
});
