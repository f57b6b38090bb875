import { Transform, type TransformCallback } from 'node:stream';

/**
 * Decodes an `aws-chunked` request body (the framing SDK clients use for streamed uploads with
 * trailing checksums): `<hex size>[;chunk-signature=...]\r\n<data>\r\n ... 0\r\n<trailers>\r\n`.
 * Emits the payload bytes only; the trailer headers are collected into `trailers`.
 */
export class AwsChunkedDecoder extends Transform {
  /** Trailer headers after the final chunk, lower-cased names, e.g. `x-amz-checksum-crc32`. */
  readonly trailers: Record<string, string> = {};
  private buffered: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private state: 'header' | 'data' | 'data-crlf' | 'trailer' | 'done' = 'header';
  private decodedBytes = 0;

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

  private consume(): void {
    for (;;) {
      if (this.state === 'data') {
        if (this.buffered.length === 0) return;
        const take = Math.min(this.remaining, this.buffered.length);
        this.push(this.buffered.subarray(0, take));
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
        this.remaining = Number.parseInt(sizeText, 16);
        this.state = this.remaining === 0 ? 'trailer' : 'data';
        continue;
      }
      // trailer section: header lines until an empty line
      if (line === '') {
        this.state = 'done';
        continue;
      }
      const colon = line.indexOf(':');
      if (colon > 0) this.trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
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
