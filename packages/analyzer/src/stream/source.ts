/**
 * Opens a byte stream for line splitting: sniffs gzip by its magic bytes (1f 8b), not by the
 * name, and inflates it (all members of a multi-member file). Inflation runs in libuv's thread
 * pool with a large output chunk and a deep read buffer, so it proceeds while the main thread
 * parses the previous chunk.
 */
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { createInflateRaw } from 'node:zlib';
import { CorruptGzipError } from '../errors.js';

/**
 * Output chunk of the inflater: 256 KiB (with a 4 MiB read-ahead) measured best; 64 KiB hands
 * off to the main thread four times as often for the same bytes.
 */
const INFLATE_CHUNK_BYTES = 256 * 1024;
/** Inflated bytes buffered ahead of the parser. */
const INFLATE_READ_AHEAD_BYTES = 4 * 1024 * 1024;

export interface OpenedSource {
  gzip: boolean;
  /** Decompressed bytes. Errors of a corrupt gzip stream surface as `CorruptGzipError`. */
  chunks: AsyncIterable<Buffer>;
  /** Filled while `chunks` is read: conditions that lost no data (trailing garbage after gzip). */
  warnings?: string[];
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('log input must be a byte stream');
}

export async function openSource(input: Readable, file: string): Promise<OpenedSource> {
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  const head: Buffer[] = [];
  let headBytes = 0;
  let exhausted = false;
  while (headBytes < 2) {
    const next = await iterator.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    const chunk = toBuffer(next.value);
    head.push(chunk);
    headBytes += chunk.length;
  }
  const first = head.length === 1 ? head[0]! : Buffer.concat(head);
  const gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;

  async function* raw(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    if (exhausted) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield toBuffer(next.value);
    }
  }

  if (!gzip) return { gzip, chunks: raw() };
  const warnings: string[] = [];
  return { gzip, chunks: inflateMembers(raw()[Symbol.asyncIterator](), file, warnings), warnings };
}

/** Thrown inside the reader when bytes after a complete member are no member. */
class TrailingGarbage extends Error {}

/** Flags of a gzip member header (RFC 1952). */
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/**
 * Inflates gzip members one after the other, as `zcat` does: each member's header is read here,
 * its deflate data by an `InflateRaw` stream (which stops at the end of the data and says how
 * many bytes it consumed), its trailer checked (CRC-32 and length). After the last member, zero
 * padding is ignored and anything else is trailing garbage: the data read so far is kept and a
 * warning is recorded. Damage inside a member is a `CorruptGzipError`.
 */
async function* inflateMembers(
  input: AsyncIterator<Buffer>,
  file: string,
  warnings: string[],
): AsyncGenerator<Buffer> {
  let buffer: Buffer = Buffer.alloc(0);
  let exhausted = false;
  /** Pulls input until `buffer` holds `n` bytes; false at the end of the input. */
  const fill = async (n: number): Promise<boolean> => {
    while (buffer.length < n && !exhausted) {
      const next = await input.next();
      if (next.done) exhausted = true;
      else buffer = buffer.length === 0 ? next.value : Buffer.concat([buffer, next.value]);
    }
    return buffer.length >= n;
  };
  let members = 0;
  /** Reads a member header (RFC 1952) off `buffer`. */
  const readHeader = async (): Promise<void> => {
    if (!(await fill(10))) throw corrupt('truncated gzip header');
    if (buffer[0] !== 0x1f || buffer[1] !== 0x8b || buffer[2] !== 8) throw corrupt('invalid gzip header');
    const flags = buffer[3]!;
    let offset = 10;
    if (flags & FEXTRA) {
      if (!(await fill(offset + 2))) throw corrupt('truncated gzip header');
      offset += 2 + buffer.readUInt16LE(offset);
    }
    for (const flag of [FNAME, FCOMMENT]) {
      if (!(flags & flag)) continue;
      for (;;) {
        if (!(await fill(offset + 1))) throw corrupt('truncated gzip header');
        const zero = buffer.indexOf(0, offset);
        if (zero >= 0) {
          offset = zero + 1;
          break;
        }
        const known = buffer.length;
        if (!(await fill(known + 1))) throw corrupt('truncated gzip header');
      }
    }
    if (flags & FHCRC) offset += 2;
    if (!(await fill(offset))) throw corrupt('truncated gzip header');
    buffer = buffer.subarray(offset);
  };
  // A bad header after a complete member is trailing garbage; in the first member, damage.
  const corrupt = (message: string): Error =>
    members > 0 ? new TrailingGarbage() : new CorruptGzipError(file, new Error(message));
  /** Counts and drops what is left of the input, and records the warning. */
  const ignoreRest = async (): Promise<void> => {
    let ignored = buffer.length;
    buffer = Buffer.alloc(0);
    for (;;) {
      const next = await input.next();
      if (next.done) break;
      ignored += next.value.length;
    }
    warnings.push(`${ignored} bytes after the last complete gzip member were ignored`);
  };
  for (;;) {
    if (members > 0) {
      // Zero padding after a member (tape blocks, preallocated files) is no data.
      for (;;) {
        if (!(await fill(1))) return;
        let zeros = 0;
        while (zeros < buffer.length && buffer[zeros] === 0) zeros++;
        buffer = buffer.subarray(zeros);
        if (buffer.length > 0) break;
      }
      if (!(await fill(2)) || buffer[0] !== 0x1f || buffer[1] !== 0x8b) {
        await ignoreRest();
        return;
      }
    }
    // Header: magic, method 8 (deflate), flags, mtime, xfl, os; then the optional fields.
    try {
      await readHeader();
    } catch (error) {
      if (!(error instanceof TrailingGarbage)) throw error;
      // `buffer` still holds every byte the header reader looked at.
      await ignoreRest();
      return;
    }
    const member = yield* inflateMember(buffer, input, (done) => (exhausted = done), file);
    buffer = member.rest;
    const damaged = (message: string) => new CorruptGzipError(file, new Error(message));
    if (!(await fill(8))) throw damaged('truncated gzip trailer');
    const crc = buffer.readUInt32LE(0);
    const size = buffer.readUInt32LE(4);
    buffer = buffer.subarray(8);
    if (size !== member.bytes % 2 ** 32 || (member.crc !== undefined && crc !== member.crc)) {
      throw damaged('gzip member fails its CRC or length check');
    }
    members++;
  }
}

const crc32 = (zlib as { crc32?: (data: Buffer, value?: number) => number }).crc32;

/**
 * One member's deflate data, from `head` and then `input`, inflated; returns the compressed bytes
 * after the deflate data (`rest`), the inflated length and its CRC-32.
 */
async function* inflateMember(
  head: Buffer,
  input: AsyncIterator<Buffer>,
  setExhausted: (done: boolean) => void,
  file: string,
): AsyncGenerator<Buffer, { rest: Buffer; bytes: number; crc: number | undefined }> {
  const inflater = createInflateRaw({
    chunkSize: INFLATE_CHUNK_BYTES,
    readableHighWaterMark: INFLATE_READ_AHEAD_BYTES,
  } as Parameters<typeof createInflateRaw>[0]);
  // Written chunks not yet known to be consumed, and where the first of them starts.
  const written: Buffer[] = [];
  let writtenStart = 0;
  let writtenTotal = 0;
  let pumpError: unknown;
  /** Writes one chunk and waits until it is processed; true once the deflate data has ended. */
  const write = (chunk: Buffer): Promise<boolean> => {
    written.push(chunk);
    writtenTotal += chunk.length;
    // Drop what the inflater has consumed, so memory stays at a chunk or two, not the member.
    while (written.length > 1 && writtenStart + written[0]!.length <= inflater.bytesWritten) {
      writtenStart += written.shift()!.length;
    }
    return new Promise((resolve, reject) => {
      inflater.write(chunk, (error) => {
        if (error) reject(error);
        // Input left unconsumed after processing: the deflate data ended inside it.
        else resolve(inflater.bytesWritten < writtenTotal);
      });
    });
  };
  const pump = (async () => {
    let ended = head.length > 0 && (await write(head));
    while (!ended) {
      const next = await input.next();
      if (next.done) {
        setExhausted(true);
        // Ends the inflater: unfinished deflate data is then an error.
        inflater.end();
        return;
      }
      ended = await write(next.value);
    }
  })().catch((error: unknown) => {
    pumpError = error;
    inflater.destroy(error as Error);
  });
  let bytes = 0;
  let crc: number | undefined = crc32 ? 0 : undefined;
  try {
    for await (const chunk of inflater) {
      const out = chunk as Buffer;
      bytes += out.length;
      if (crc !== undefined) crc = crc32!(out, crc);
      yield out;
    }
  } catch (error) {
    if (pumpError !== undefined) throw pumpError;
    if (isZlibError(error)) throw new CorruptGzipError(file, error);
    throw error;
  }
  await pump;
  if (pumpError !== undefined) throw pumpError;
  const consumed = inflater.bytesWritten;
  const all = written.length === 1 ? written[0]! : Buffer.concat(written);
  return { rest: all.subarray(consumed - writtenStart), bytes, crc };
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}
