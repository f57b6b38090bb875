import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { EMPTY_SHA256, type ChunkSignatureChain } from './sigv4.js';

/** A chunk (or trailer) signature of a signed aws-chunked body that does not verify. */
export class ChunkSignatureError extends Error {}

/**
 * Decodes an `aws-chunked` request body (the framing SDK clients use for streamed uploads with
 * trailing checksums): `<hex size>[;chunk-signature=...]\r\n<data>\r\n ... 0\r\n<trailers>\r\n`.
 * Emits the payload bytes only; the trailer headers are collected into `trailers`. Given the
 * request's signature chain (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`), every chunk
 * signature and the trailer signature are verified.
 */
export class AwsChunkedDecoder extends Transform {
  /** Trailer headers after the final chunk, lower-cased names, e.g. `x-amz-checksum-crc32`. */
  readonly trailers: Record<string, string> = {};
  private buffered: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private state: 'header' | 'data' | 'data-crlf' | 'trailer' | 'done' = 'header';
  private decodedBytes = 0;
  private chunkSignature = '';
  private chunkHash: Hash | undefined;
  private trailerLines = '';
  private trailerSignature: string | undefined;

  constructor(private readonly chain?: ChunkSignatureChain) {
    super();
  }

  get bytesDecoded(): number {
    return this.decodedBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.consume();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.state === 'trailer' && this.buffered.length === 0) this.state = 'done';
    if (this.state !== 'done') {
      callback(new Error(`aws-chunked body ended early (${this.state})`));
      return;
    }
    callback();
  }

  private verifyChunk(dataSha256: string): void {
    if (!this.chain!.verifyChunk(this.chunkSignature, dataSha256)) {
      throw new ChunkSignatureError(
        `The chunk signature we calculated does not match the signature you provided (chunk ending at byte ${this.decodedBytes}).`,
      );
    }
    this.chunkHash = undefined;
  }

  private verifyTrailer(): void {
    if (!this.chain || this.trailerLines === '') return;
    if (
      this.trailerSignature === undefined ||
      !this.chain.verifyTrailer(this.trailerSignature, this.trailerLines)
    ) {
      throw new ChunkSignatureError(
        'The trailer signature we calculated does not match the signature you provided.',
      );
    }
  }

  private consume(): void {
    for (;;) {
      if (this.state === 'data') {
        if (this.buffered.length === 0) return;
        const take = Math.min(this.remaining, this.buffered.length);
        const data = this.buffered.subarray(0, take);
        this.chunkHash?.update(data);
        this.push(data);
        this.decodedBytes += take;
        this.buffered = this.buffered.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-crlf';
        continue;
      }
      if (this.state === 'done') {
        this.buffered = Buffer.alloc(0);
        return;
      }
      const eol = this.buffered.indexOf('\r\n');
      if (this.state === 'data-crlf') {
        if (this.buffered.length < 2) return;
        if (eol !== 0) throw new Error('aws-chunked body: missing CRLF after chunk data');
        if (this.chunkHash) this.verifyChunk(this.chunkHash.digest('hex'));
        this.buffered = this.buffered.subarray(2);
        this.state = 'header';
        continue;
      }
      if (eol < 0) {
        if (this.buffered.length > 64 * 1024) throw new Error('aws-chunked body: header line too long');
        return;
      }
      const line = this.buffered.subarray(0, eol).toString('latin1');
      this.buffered = this.buffered.subarray(eol + 2);
      if (this.state === 'header') {
        const sizeText = line.split(';', 1)[0]!.trim();
        if (!/^[0-9a-fA-F]+$/.test(sizeText))
          throw new Error(`aws-chunked body: bad chunk size "${sizeText}"`);
        if (sizeText.length > 12) throw new Error(`aws-chunked body: chunk size "${sizeText}" too large`);
        this.remaining = Number.parseInt(sizeText, 16);
        if (this.chain) {
          this.chunkSignature = /;\s*chunk-signature=([0-9a-fA-F]+)/.exec(line)?.[1] ?? '';
          this.chunkHash = createHash('sha256');
          if (this.remaining === 0) this.verifyChunk(EMPTY_SHA256);
        }
        this.state = this.remaining === 0 ? 'trailer' : 'data';
        continue;
      }
      // trailer section: header lines until an empty line
      if (line === '') {
        this.state = 'done';
        this.verifyTrailer();
        continue;
      }
      const colon = line.indexOf(':');
      if (colon > 0) {
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === 'x-amz-trailer-signature') this.trailerSignature = value;
        else {
          this.trailers[name] = value;
          this.trailerLines += `${name}:${value}\n`;
        }
      }
    }
  }
}

/** Whether a request body uses `aws-chunked` framing. */
export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const encoding = String(headers['content-encoding'] ?? '');
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  return /(^|,)\s*aws-chunked\s*(,|$)/i.test(encoding) || sha.startsWith('STREAMING-');
}

/** Request headers as they must look once the body is decoded. */
export function decodedHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[] | undefined> {
  const out = { ...headers };
  const decodedLength = out['x-amz-decoded-content-length'];
  const encodings = String(out['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked');
  if (encodings.length > 0) out['content-encoding'] = encodings.join(',');
  else delete out['content-encoding'];
  if (decodedLength !== undefined) {
    out['content-length'] = String(decodedLength);
    delete out['transfer-encoding'];
  } else {
    delete out['content-length'];
    out['transfer-encoding'] = 'chunked';
  }
  delete out['x-amz-decoded-content-length'];
  delete out['x-amz-trailer'];
  out['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  return out;
}
