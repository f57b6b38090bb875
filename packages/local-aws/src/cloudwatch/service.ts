/**
 * CloudWatch metrics over awsJson1_0, the protocol current SDKs speak: `POST /`,
 * `x-amz-target: GraniteServiceVersion20100801.<Operation>`, JSON bodies, gzip-compressed
 * request bodies allowed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { CloudWatchError } from './errors.js';
import { LIMITS, parsePutMetricData } from './put-metric-data.js';
import { getMetricData, getMetricStatistics, listMetrics } from './queries.js';
import { MetricStore } from './store.js';

export interface CloudWatchService {
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

/** Compressed bodies above this are refused before inflating them. */
const MAX_WIRE_BYTES = 8 * LIMITS.requestBytes;

export async function startCloudWatch(dir: string | undefined): Promise<CloudWatchService> {
  const store = await MetricStore.open(dir);

  async function respond(req: IncomingMessage): Promise<unknown> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('GraniteServiceVersion20100801.') ? target.slice(30) : '';
    const wire = await readBody(req);
    const encoding = String(req.headers['content-encoding'] ?? '').toLowerCase();
    let body = wire;
    if (encoding.includes('gzip')) {
      try {
        body = gunzipSync(wire, { maxOutputLength: LIMITS.requestBytes + 1 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
        throw new CloudWatchError('SerializationException', 'The request body is not valid gzip data.');
      }
    }
    if (body.length > LIMITS.requestBytes) throw tooLarge(body.length);
    let input: Record<string, unknown>;
    try {
      const parsed: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      input = parsed as Record<string, unknown>;
    } catch {
      throw new CloudWatchError('SerializationException', 'The request body is not a JSON object.');
    }
    switch (operation) {
      case 'PutMetricData':
        await store.add(parsePutMetricData(input));
        return {};
      case 'GetMetricData':
        return getMetricData(store, input);
      case 'GetMetricStatistics':
        return getMetricStatistics(store, input);
      case 'ListMetrics':
        return listMetrics(store, input);
      default:
        throw new CloudWatchError(
          'InvalidAction',
          `The action ${operation || '(none)'} is not valid for this endpoint; supported: PutMetricData, GetMetricData, GetMetricStatistics, ListMetrics.`,
        );
    }
  }

  return {
    handle(req, res) {
      respond(req).then(
        (output) => send(res, 200, output),
        (error: unknown) => {
          const failure =
            error instanceof CloudWatchError
              ? error
              : new CloudWatchError(
                  'InternalServiceError',
                  error instanceof Error ? error.message : String(error),
                );
          send(res, failure.status, failure.body, { 'x-amzn-query-error': failure.queryErrorHeader });
        },
      );
    },
    close: () => store.flush(),
  };
}

function tooLarge(size?: number): CloudWatchError {
  return new CloudWatchError(
    'RequestEntityTooLarge',
    `Request size ${size === undefined ? 'exceeded' : `${size} exceeded`} the limit of ${LIMITS.requestBytes} bytes.`,
  );
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_WIRE_BYTES) chunks.push(chunk);
    });
    req.on('end', () => (size > MAX_WIRE_BYTES ? reject(tooLarge(size)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': crypto.randomUUID(),
    ...headers,
  });
  res.end(text);
}
