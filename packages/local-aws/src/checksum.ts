/**
 * Verifies the flexible checksum a client sends with a body (`x-amz-checksum-<algorithm>`, as a
 * header or an aws-chunked trailer), as S3 does: a mismatch fails the upload with `BadDigest`
 * and stores nothing.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';

/** Algorithms Node computes natively; others (CRC32C, CRC64NVME) pass unverified. */
const VERIFIABLE = ['crc32', 'sha1', 'sha256'] as const;
type Algorithm = (typeof VERIFIABLE)[number];

export class ChecksumMismatchError extends Error {
  constructor(readonly algorithm: string) {
    super(`The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`);
  }
}

/** The checksum header a request announces (as a header or a trailer), if one we can verify. */
export function announcedChecksum(
  headers: Record<string, string | string[] | undefined>,
): Algorithm | undefined {
  const names = [
    ...Object.keys(headers).filter((h) => h.startsWith('x-amz-checksum-') && h !== 'x-amz-checksum-mode'),
    ...String(headers['x-amz-trailer'] ?? '')
      .split(',')
      .map((t) => t.trim().toLowerCase()),
  ];
  for (const name of names) {
    const algorithm = name.replace('x-amz-checksum-', '');
    if ((VERIFIABLE as readonly string[]).includes(algorithm)) return algorithm as Algorithm;
  }
  return undefined;
}

/** Passes bytes through unchanged and checks them against `expected()` at the end. */
export class ChecksumVerifier extends Transform {
  private crc = 0;
  private readonly hash: Hash | undefined;

  constructor(
    private readonly algorithm: Algorithm,
    private readonly expected: () => string | undefined,
  ) {
    super();
    this.hash = algorithm === 'crc32' ? undefined : createHash(algorithm);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.hash) this.hash.update(chunk);
    else this.crc = crc32(chunk, this.crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const expected = this.expected();
    if (expected === undefined) {
      callback();
      return;
    }
    let actual: string;
    if (this.hash) actual = this.hash.digest('base64');
    else {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32BE(this.crc >>> 0);
      actual = bytes.toString('base64');
    }
    callback(actual === expected ? undefined : new ChecksumMismatchError(this.algorithm));
  }
}
