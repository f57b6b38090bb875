import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder } from './aws-chunked.js';
import { announcedChecksum, ChecksumMismatchError, ChecksumVerifier } from './checksum.js';

const data = [Buffer.from('access log '), Buffer.from('lines\n')];
const whole = Buffer.concat(data);
const crc = (() => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(whole));
  return b.toString('base64');
})();

describe('ChecksumVerifier', () => {
  it('passes the bytes through when the checksum matches', async () => {
    expect(await buffer(Readable.from(data).pipe(new ChecksumVerifier('crc32', () => crc)))).toEqual(whole);
    const sha = createHash('sha256').update(whole).digest('base64');
    expect(await buffer(Readable.from(data).pipe(new ChecksumVerifier('sha256', () => sha)))).toEqual(whole);
  });

  it('fails with the algorithm named when it does not', async () => {
    const verifier = new ChecksumVerifier('crc32', () => 'AAAAAA==');
    await expect(buffer(Readable.from(data).pipe(verifier))).rejects.toBeInstanceOf(ChecksumMismatchError);
    await expect(buffer(Readable.from(data).pipe(new ChecksumVerifier('sha1', () => 'x')))).rejects.toThrow(
      'The SHA1 you specified did not match the calculated checksum.',
    );
  });

  it('checks against a trailer that arrives after the body', async () => {
    const wire = Buffer.from(
      `${whole.length.toString(16)}\r\n${whole.toString()}\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`,
    );
    const decoder = new AwsChunkedDecoder();
    const verifier = new ChecksumVerifier('crc32', () => decoder.trailers['x-amz-checksum-crc32']);
    expect(await buffer(Readable.from([wire]).pipe(decoder).pipe(verifier))).toEqual(whole);
  });

  it('finds the announced algorithm in headers or trailer names, skipping ones Node cannot compute', () => {
    expect(announcedChecksum({ 'x-amz-checksum-sha256': 'abc' })).toBe('sha256');
    expect(announcedChecksum({ 'x-amz-trailer': 'x-amz-checksum-crc32' })).toBe('crc32');
    expect(
      announcedChecksum({ 'x-amz-checksum-crc32c': 'abc', 'x-amz-checksum-mode': 'ENABLED' }),
    ).toBeUndefined();
  });
});
