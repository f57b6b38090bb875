/** Small HTTP helpers the services share. */
import type { IncomingMessage } from 'node:http';

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
