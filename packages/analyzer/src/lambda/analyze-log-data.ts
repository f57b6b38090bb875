/**
 * Lambda `AnalyzeLogData`: stream a batch of S3 objects into one merged summary record and the
 * merged CloudWatch batches the state machine stores, with each object's outcome. Thin on
 * purpose: fetching lives here, everything else in `analyze-event.ts`.
 */
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  systemClock,
  type AnalyzeLogDataEvent,
  type AnalyzeLogDataResult,
  type Clock,
} from '@logflow/shared-types';
import { analyzeBatch, readHandlerConfig, validateEvent } from './analyze-event.js';
import { LogObjectNotFoundError, LogObjectReadError } from './errors.js';

export { LogObjectNotFoundError, LogObjectReadError } from './errors.js';
export { UnrecognizedLogFormatError, CorruptGzipError } from '../errors.js';

let cached: { client: S3Client; settings: string } | undefined;

/**
 * Default client configuration, so `AWS_ENDPOINT_URL` / `AWS_REGION` from the environment apply.
 * The client is reused across invocations, and rebuilt if those variables change (local runs).
 */
function s3(): S3Client {
  const settings = `${process.env.AWS_ENDPOINT_URL ?? ''}|${process.env.AWS_REGION ?? ''}`;
  if (cached?.settings !== settings) cached = { client: new S3Client({}), settings };
  return cached.client;
}

export interface AnalyzeLogDataHandlerOptions {
  /** Time of analysis, for CloudWatch's accepted timestamp window; default the system clock. */
  clock?: Clock;
  /** Objects of a batch streamed at once; default 2. */
  concurrency?: number;
}

/** The handler, with its clock injected (tests and replays pass a fixed instant). */
export function createAnalyzeLogDataHandler(
  options: AnalyzeLogDataHandlerOptions = {},
): (event: AnalyzeLogDataEvent) => Promise<AnalyzeLogDataResult> {
  const clock = options.clock ?? systemClock;
  return async (event) => {
    const config = readHandlerConfig();
    const valid = validateEvent(event);
    const client = s3();
    return analyzeBatch(valid, (bucket, key) => openObject(client, bucket, key), config, {
      now: clock(),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    });
  };
}

/** The Lambda entry point. */
export const handler = createAnalyzeLogDataHandler();

/** GetObject as a Node stream, with S3 failures mapped to the handler's named errors. */
export async function openObject(s3Client: S3Client, bucket: string, key: string): Promise<Readable> {
  let body: unknown;
  try {
    body = (await s3Client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = (error as { name?: unknown }).name;
    if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
      throw new LogObjectNotFoundError(bucket, key, error);
    }
    // Other 4xx answers (access denied, bad request) will not change on retry: keep S3's error.
    if (status !== undefined && status >= 400 && status < 500 && status !== 429) throw error;
    throw new LogObjectReadError(bucket, key, error);
  }
  if (!(body instanceof Readable))
    throw new LogObjectReadError(bucket, key, new Error('response body is not a stream'));
  return body;
}
