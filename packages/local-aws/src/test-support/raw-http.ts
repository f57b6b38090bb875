import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/**
 * Sends bytes as they are over one TCP connection and reads what comes back, for requests no
 * HTTP client would send. `cutAfterMs` closes the connection from the client's side.
 */
export function rawHttp(
  endpoint: string,
  bytes: string | Buffer,
  options: { cutAfterMs?: number } = {},
): Promise<RawResponse | 'closed'> {
  const url = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on('connect', () => {
      socket.write(bytes);
      if (options.cutAfterMs !== undefined) setTimeout(() => socket.destroy(), options.cutAfterMs);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (!status) return resolve('closed');
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(status[1]), head: text.slice(0, split), body: text.slice(split + 4) });
    };
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', () => undefined);
  });
}
