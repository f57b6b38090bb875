/**
 * CloudWatch metrics over awsJson1_0, the protocol current SDKs and the AWS CLI speak: `POST /`,
 * `x-amz-target: GraniteServiceVersion20100801.<Operation>`, JSON bodies, gzip-compressed
 * request bodies allowed. Requests without a target are read as the older awsQuery protocol.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { readBody } from '../http-util.js';
import { CloudWatchError } from './errors.js';
import { systemClock, type Clock } from '@logflow/shared-types';
import { LIMITS, parsePutMetricData } from './put-metric-data.js';
import { getMetricData, getMetricStatistics, listMetrics } from './queries.js';
import { queryError, queryResponse, queryToInput } from './query-protocol.js';
import { MetricStore } from './store.js';

export interface CloudWatchService {
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

const JSON_TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** Compressed bodies above this are refused before inflating them. */
const MAX_WIRE_BYTES = 8 * LIMITS.requestBytes;

export async function startCloudWatch(
  dir: string | undefined,
  clock: Clock = systemClock,
): Promise<CloudWatchService> {
  const store = await MetricStore.open(dir);

  /** The request body, inflated when gzip-compressed, within the 1 MB request limit. */
  async function payload(req: IncomingMessage): Promise<Buffer> {
    const wire = await readBody(req, MAX_WIRE_BYTES, tooLarge);
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
    return body;
  }

  function jsonInput(body: Buffer): Record<string, unknown> {
    try {
      const parsed: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      return parsed as Record<string, unknown>;
    } catch {
      throw new CloudWatchError('SerializationException', 'The request body is not a JSON object.');
    }
  }

  async function run(operation: string, input: Record<string, unknown>): Promise<unknown> {
    switch (operation) {
      case 'PutMetricData':
        await store.add(parsePutMetricData(input, clock().getTime()));
        return {};
      case 'GetMetricData':
        return getMetricData(store, input, clock().getTime());
      case 'GetMetricStatistics':
        return getMetricStatistics(store, input, clock().getTime());
      case 'ListMetrics':
        return listMetrics(store, input, clock().getTime());
      default:
        throw new CloudWatchError(
          'InvalidAction',
          `The action ${operation || '(none)'} is not valid for this endpoint; supported: PutMetricData, GetMetricData, GetMetricStatistics, ListMetrics.`,
        );
    }
  }

  const failureOf = (error: unknown) =>
    error instanceof CloudWatchError
      ? error
      : new CloudWatchError('InternalServiceError', error instanceof Error ? error.message : String(error));

  /** awsJson1_0: the operation in `x-amz-target`, JSON in and out. */
  function handleJson(req: IncomingMessage, res: ServerResponse, target: string): void {
    const operation = target.startsWith(JSON_TARGET_PREFIX) ? target.slice(JSON_TARGET_PREFIX.length) : '';
    payload(req)
      .then((body) => run(operation, jsonInput(body)))
      .then(
        (output) => send(res, 200, JSON.stringify(output), JSON_CONTENT_TYPE),
        (error: unknown) => {
          const failure = failureOf(error);
          send(res, failure.status, JSON.stringify(failure.body), JSON_CONTENT_TYPE, {
            'x-amzn-query-error': failure.queryErrorHeader,
          });
        },
      );
  }

  /** awsQuery: `Action=...` form parameters (body or URL), XML answers. */
  function handleQuery(req: IncomingMessage, res: ServerResponse): void {
    const requestId = randomUUID();
    payload(req)
      .then((body) => {
        const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
        for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
        const { action, input } = queryToInput(params);
        return run(action, input).then((output) => queryResponse(action, output, requestId));
      })
      .then(
        (xml) => send(res, 200, xml, 'text/xml', { 'x-amzn-requestid': requestId }),
        (error: unknown) => {
          const failure = failureOf(error);
          send(res, failure.status, queryError(failure, requestId), 'text/xml', {
            'x-amzn-requestid': requestId,
          });
        },
      );
  }

  /** Smithy RPCv2 CBOR is not spoken: answer so that the client's error says so. */
  function refuseCbor(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const error = new CloudWatchError(
      'InvalidAction',
      'The local CloudWatch endpoint does not speak the rpc-v2-cbor protocol; use awsJson1_0 or awsQuery.',
    );
    const body = cborTextMap({ __type: error.body.__type, message: error.message });
    res.writeHead(error.status, {
      'content-type': 'application/cbor',
      'smithy-protocol': 'rpc-v2-cbor',
      'content-length': body.length,
    });
    res.end(body);
  }

  return {
    handle(req, res) {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target) handleJson(req, res, target);
      else if ((req.url ?? '').startsWith('/service/')) refuseCbor(req, res);
      else handleQuery(req, res);
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

function send(
  res: ServerResponse,
  status: number,
  text: string,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(text);
}

/** CBOR encoding of a map of short text strings (RFC 8949 major types 5 and 3). */
export function cborTextMap(entries: Record<string, string>): Buffer {
  const head = (major: number, length: number): Buffer => {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 256) return Buffer.from([(major << 5) | 24, length]);
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(Math.min(length, 0xffff), 1);
    return b;
  };
  const text = (value: string): Buffer => {
    const bytes = Buffer.from(value, 'utf8').subarray(0, 0xffff);
    return Buffer.concat([head(3, bytes.length), bytes]);
  };
  const pairs = Object.entries(entries);
  return Buffer.concat([head(5, pairs.length), ...pairs.flatMap(([k, v]) => [text(k), text(v)])]);
}
