/**
 * Distributed Map ItemReaders over S3: `s3:listObjectsV2` yields the objects under a prefix,
 * one page at a time; `s3:getObject` streams a JSON, JSON Lines or CSV object into items.
 * Every failure is `States.ItemReaderFailed` with a cause naming the bucket, key or field.
 */
import type { ItemReader, ItemReaderRequest } from '../integrations.js';
import { StatesError } from '../integrations.js';
import type { AwsClients } from './aws-clients.js';
import { toStatesError } from './errors.js';
import { readCsv, readJsonArray, readJsonLines } from './item-parsers.js';
import type { TextSource } from './item-parsers.js';
import { parseTaskResource } from './resource.js';
import { isPlainObject, toSdkInput, operationSchemas } from './sdk-values.js';
import type { SdkClient } from './aws-clients.js';
import { loadSdkModule } from './aws-clients.js';

/** One item of the `listObjectsV2` reader, as Step Functions delivers it. */
export interface S3ObjectItem {
  Etag: string;
  Key: string;
  /** Epoch seconds, as in Step Functions' documented item. */
  LastModified: number;
  Size: number;
  StorageClass: string;
}

function failed(cause: string): StatesError {
  return new StatesError('States.ItemReaderFailed', cause);
}

function describeSdkError(error: unknown): string {
  const mapped = toStatesError('S3', error);
  return `${mapped.error}: ${mapped.cause ?? ''}`;
}

function stringArg(args: Record<string, unknown>, field: string, required: boolean): string | undefined {
  const value = args[field];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || (required && value === '')) {
    throw failed(
      `ItemReader Parameters.${field} must be a ${required ? 'non-empty ' : ''}string, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function maxItemsOf(request: ItemReaderRequest): number {
  const max = request.readerConfig?.MaxItems;
  if (max === undefined) return Infinity;
  if (!Number.isInteger(max) || max < 0)
    throw failed(`ReaderConfig.MaxItems must be a non-negative integer, got ${JSON.stringify(max)}`);
  return max === 0 ? Infinity : max;
}

type SendCommand = (
  action: string,
  input: Record<string, unknown>,
  signal: AbortSignal,
) => Promise<Record<string, unknown>>;

function s3Sender(clients: AwsClients, region: string | undefined): SendCommand {
  let client: Promise<SdkClient> | undefined;
  return async (action, input, signal) => {
    const module = await loadSdkModule('s3');
    const Command = module[`${action}Command`] as new (input: unknown) => object;
    const schemas = operationSchemas(new Command({}));
    client ??= clients.client('s3', region);
    const command = new Command(schemas ? toSdkInput(schemas.input, input) : input);
    return (await (await client).send(command, { abortSignal: signal })) as Record<string, unknown>;
  };
}

/** Yields the objects under `{Bucket, Prefix}` page by page; never lists ahead of the consumer. */
async function* listObjects(
  send: SendCommand,
  args: Record<string, unknown>,
  maxItems: number,
  signal: AbortSignal,
): AsyncGenerator<S3ObjectItem> {
  const bucket = stringArg(args, 'Bucket', true)!;
  const { Bucket: _bucket, ...rest } = args;
  let token: string | undefined;
  let yielded = 0;
  do {
    let page: Record<string, unknown>;
    try {
      page = await send(
        'ListObjectsV2',
        { ...rest, Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) },
        signal,
      );
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw failed(
        `listing s3://${bucket}/${typeof args.Prefix === 'string' ? args.Prefix : ''} failed: ${describeSdkError(error)}`,
      );
    }
    const contents = (page.Contents ?? []) as {
      ETag?: string;
      Key?: string;
      LastModified?: Date;
      Size?: number;
      StorageClass?: string;
    }[];
    for (const object of contents) {
      if (yielded >= maxItems) return;
      yielded++;
      yield {
        Etag: object.ETag ?? '',
        Key: object.Key ?? '',
        LastModified: object.LastModified ? Math.floor(object.LastModified.getTime() / 1000) : 0,
        Size: object.Size ?? 0,
        StorageClass: object.StorageClass ?? 'STANDARD',
      };
    }
    token = page.IsTruncated ? (page.NextContinuationToken as string | undefined) : undefined;
  } while (token && yielded < maxItems);
}

/** Streams `{Bucket, Key, VersionId?}` and yields its items for `ReaderConfig.InputType`. */
async function* readObject(
  send: SendCommand,
  request: ItemReaderRequest,
  maxItems: number,
  signal: AbortSignal,
): AsyncGenerator<unknown> {
  const { args, readerConfig } = request;
  const bucket = stringArg(args, 'Bucket', true)!;
  const key = stringArg(args, 'Key', true)!;
  const name = `s3://${bucket}/${key}`;
  const inputType = readerConfig?.InputType;
  if (inputType !== 'JSON' && inputType !== 'JSONL' && inputType !== 'CSV') {
    throw failed(
      `ReaderConfig.InputType ${JSON.stringify(inputType)} is not supported for s3:getObject; use JSON, JSONL or CSV`,
    );
  }
  let body: TextSource;
  try {
    const output = await send('GetObject', { ...args }, signal);
    body = output.Body as TextSource;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw failed(`reading ${name} failed: ${describeSdkError(error)}`);
  }
  const items =
    inputType === 'JSON'
      ? readJsonArray(body, name)
      : inputType === 'JSONL'
        ? readJsonLines(body, name)
        : readCsv(body, name, {
            ...(readerConfig?.CSVHeaderLocation ? { headerLocation: readerConfig.CSVHeaderLocation } : {}),
            ...(readerConfig?.CSVHeaders ? { headers: readerConfig.CSVHeaders } : {}),
            ...(readerConfig?.CSVDelimiter ? { delimiter: readerConfig.CSVDelimiter } : {}),
          });
  let yielded = 0;
  try {
    for await (const item of items) {
      if (yielded >= maxItems) break;
      yielded++;
      yield item;
    }
  } catch (error) {
    if (error instanceof StatesError) throw error;
    if (signal.aborted) throw signal.reason;
    throw failed(`reading ${name} failed: ${(error as Error).message}`);
  } finally {
    // Stop the download when the consumer stops early.
    (body as { destroy?: () => void }).destroy?.();
  }
}

/**
 * `Transformation: LOAD_AND_FLATTEN`: every listed object is read as `InputType` and its
 * items yielded in listing order; `MaxItems` counts items, not objects.
 */
async function* loadAndFlatten(
  send: SendCommand,
  request: ItemReaderRequest,
  maxItems: number,
  signal: AbortSignal,
): AsyncGenerator<unknown> {
  const bucket = stringArg(request.args, 'Bucket', true)!;
  let yielded = 0;
  for await (const object of listObjects(send, request.args, Infinity, signal)) {
    const objectRequest = { ...request, args: { Bucket: bucket, Key: object.Key } };
    for await (const item of readObject(send, objectRequest, maxItems - yielded, signal)) {
      yield item;
      yielded++;
    }
    if (yielded >= maxItems) return;
  }
}

/** The S3 ItemReader: `arn:aws:states:::s3:listObjectsV2` and `arn:aws:states:::s3:getObject`. */
export function createS3ItemReader(clients: AwsClients): ItemReader {
  return (request, signal) => {
    const parsed = parseTaskResource(request.resource);
    const send = s3Sender(clients, parsed?.kind === 'states' ? parsed.region : undefined);
    return (async function* () {
      if (parsed?.kind !== 'states' || parsed.integration !== 's3' || parsed.pattern) {
        throw failed(
          `ItemReader resource "${request.resource}" is not supported; use arn:aws:states:::s3:listObjectsV2 or arn:aws:states:::s3:getObject`,
        );
      }
      if (!isPlainObject(request.args)) throw failed('ItemReader Parameters must be a JSON object');
      const maxItems = maxItemsOf(request);
      const transformation = (request.readerConfig as { Transformation?: unknown } | undefined)
        ?.Transformation;
      if (parsed.action === 'listObjectsV2' && transformation === 'LOAD_AND_FLATTEN') {
        yield* loadAndFlatten(send, request, maxItems, signal);
      } else if (transformation !== undefined && transformation !== 'NONE') {
        throw failed(
          `ReaderConfig.Transformation ${JSON.stringify(transformation)} is not supported for ${request.resource}; use NONE, or LOAD_AND_FLATTEN with s3:listObjectsV2`,
        );
      } else if (parsed.action === 'listObjectsV2') {
        yield* listObjects(send, request.args, maxItems, signal);
      } else if (parsed.action === 'getObject') {
        yield* readObject(send, request, maxItems, signal);
      } else {
        throw failed(
          `ItemReader resource "${request.resource}" is not supported; use arn:aws:states:::s3:listObjectsV2 or arn:aws:states:::s3:getObject`,
        );
      }
    })();
  };
}
