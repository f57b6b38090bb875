/** Small HTTP helpers the services share. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

/** Percent-decodes text; text that is not validly encoded stays as it is. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Escapes text for an XML element or attribute. */
export function xmlEscape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Reads a whole request body. Past `limit` bytes the rest is drained, not kept, and the read
 * fails with `tooLarge(size)`.
 */
export function readBody(
  req: IncomingMessage,
  limit = Infinity,
  tooLarge: (size: number) => Error = (size) => new Error(`request body of ${size} bytes is too large`),
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(tooLarge(size)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/**
 * A request as a service must see it: the same message (method, URL, socket) with `body` as
 * its content and `headers` describing it, for bodies read or transformed in front of the service.
 */
export function replayRequest(
  req: IncomingMessage,
  body: Buffer | Readable,
  headers: IncomingHttpHeaders,
): IncomingMessage {
  const stream = Buffer.isBuffer(body) ? Readable.from([body], { objectMode: false }) : body;
  return Object.assign(stream, {
    headers,
    rawHeaders: Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [k, String(v)])),
    method: req.method,
    url: req.url,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    socket: req.socket,
    connection: req.socket,
    complete: false,
    aborted: false,
  }) as unknown as IncomingMessage;
}
