// How S3 failures map to the handler's error names, against a real HTTP endpoint and SDK client.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openObject } from './analyze-log-data.js';

const ERRORS: Record<string, [number, string]> = {
  '/b/gone': [404, 'NoSuchKey'],
  '/b/denied': [403, 'AccessDenied'],
  '/b/busy': [503, 'SlowDown'],
};

describe('openObject', () => {
  let server: Server;
  let client: S3Client;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const [status, code] = ERRORS[(req.url ?? '').split('?')[0]!] ?? [200, ''];
      if (status === 200) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('line\n');
        return;
      }
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new S3Client({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
  });

  afterAll(async () => {
    client?.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('returns the body as a Node stream', async () => {
    const body = await openObject(client, 'b', 'ok');
    let text = '';
    for await (const chunk of body) text += String(chunk);
    expect(text).toBe('line\n');
  });

  it('maps NoSuchKey to LogObjectNotFoundError', async () => {
    await expect(openObject(client, 'b', 'gone')).rejects.toMatchObject({
      name: 'LogObjectNotFoundError',
      message: 's3://b/gone: object not found',
    });
  });

  it('keeps S3 client errors that a retry cannot fix', async () => {
    await expect(openObject(client, 'b', 'denied')).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('maps S3 server errors to the retryable LogObjectReadError', async () => {
    await expect(openObject(client, 'b', 'busy')).rejects.toMatchObject({ name: 'LogObjectReadError' });
  });

  it('maps an unreachable endpoint to LogObjectReadError', async () => {
    const down = new S3Client({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    await expect(openObject(down, 'b', 'k')).rejects.toMatchObject({ name: 'LogObjectReadError' });
    down.destroy();
  });
});
