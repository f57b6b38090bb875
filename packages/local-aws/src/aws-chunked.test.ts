import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder, decodedHeaders, isAwsChunked } from './aws-chunked.js';

function frame(chunks: Buffer[], options: { signed?: boolean; trailer?: string } = {}): Buffer {
  const sig = (data: Buffer) =>
    options.signed ? `;chunk-signature=${createHash('sha256').update(data).digest('hex')}` : '';
  const parts = chunks.map((c) =>
    Buffer.concat([Buffer.from(`${c.length.toString(16)}${sig(c)}\r\n`), c, Buffer.from('\r\n')]),
  );
  parts.push(Buffer.from(`0${sig(Buffer.alloc(0))}\r\n`));
  if (options.trailer) parts.push(Buffer.from(`${options.trailer}\r\n`));
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

/** Feeds `wire` to a decoder in pieces of `step` bytes. */
async function decode(wire: Buffer, step: number): Promise<{ body: string; decoder: AwsChunkedDecoder }> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < wire.length; i += step) pieces.push(wire.subarray(i, i + step));
  const decoder = new AwsChunkedDecoder();
  const body = await text(Readable.from(pieces).pipe(decoder));
  return { body, decoder };
}

describe('AwsChunkedDecoder', () => {
  const payload = [Buffer.from('hello\r\n0\r\n'), Buffer.from('x'.repeat(70_000)), Buffer.from('end')];
  const expected = Buffer.concat(payload);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(expected));

  it.each([1, 3, 7, 1024, 1 << 20])(
    'strips the framing and keeps the trailers, fed %i bytes at a time',
    async (step) => {
      const wire = frame(payload, { trailer: `x-amz-checksum-crc32:${checksum.toString('base64')}` });
      const { body, decoder } = await decode(wire, step);
      expect(body).toBe(expected.toString());
      expect(decoder.bytesDecoded).toBe(expected.length);
      expect(decoder.trailers).toEqual({ 'x-amz-checksum-crc32': checksum.toString('base64') });
    },
  );

  it('decodes signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', async () => {
    const { body } = await decode(frame(payload, { signed: true }), 5);
    expect(body).toBe(expected.toString());
  });

  it('fails on a body cut short or a bad chunk size', async () => {
    const wire = frame(payload);
    await expect(decode(wire.subarray(0, wire.length - 40), 100)).rejects.toThrow(/ended early/);
    await expect(decode(Buffer.from('zz\r\nabc\r\n'), 100)).rejects.toThrow(/bad chunk size "zz"/);
  });
});

describe('decodedHeaders', () => {
  it('describes the decoded payload', () => {
    const headers = {
      'content-encoding': 'aws-chunked,gzip',
      'content-length': '999',
      'x-amz-decoded-content-length': '123',
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'content-type': 'text/plain',
    };
    expect(isAwsChunked(headers)).toBe(true);
    expect(decodedHeaders(headers)).toEqual({
      'content-encoding': 'gzip',
      'content-length': '123',
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      'content-type': 'text/plain',
    });
    expect(isAwsChunked({ 'content-type': 'text/plain', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' })).toBe(
      false,
    );
  });
});
