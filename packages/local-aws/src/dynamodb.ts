/**
 * DynamoDB: dynalite in-process, on LevelDB files or in memory. dynalite has no
 * UpdateTimeToLive, so the table's TTL setting is kept here (beside the LevelDB folder) and
 * answered for UpdateTimeToLive and DescribeTimeToLive; expired items are deleted by a sweep at
 * start and every few minutes, as DynamoDB deletes them some time after they expire.
 */
import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import {
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readBody } from './http-util.js';
import { stateFolderError, writingState } from './state-errors.js';
import { systemClock, type Clock } from '@logflow/shared-types';

const require = createRequire(import.meta.url);

type ActionCallback = (error: unknown, data?: unknown) => void;
type Action = (store: unknown, data: unknown, callback: ActionCallback) => void;

/**
 * dynalite throws a storage failure (a full disk) from inside a callback, which would stop the
 * whole endpoint. Its actions are wrapped before it loads them, so such a failure becomes
 * DynamoDB's 500 answer, naming the state folder when the disk is the cause.
 */
function answerStorageFailures(): void {
  const actions = path.join(path.dirname(require.resolve('dynalite')), 'actions');
  for (const file of readdirSync(actions).filter((f) => f.endsWith('.js'))) {
    const modulePath = path.join(actions, file);
    const action = require(modulePath) as Action;
    const cached = require.cache[modulePath];
    if (!cached || (action as { wrapped?: boolean }).wrapped) continue;
    const wrapped: Action = (store, data, callback) =>
      action(store, data, (error, result) => {
        if (!error || (error as { statusCode?: number }).statusCode) return callback(error, result);
        const message = storageFailure(error) ?? (error instanceof Error ? error.message : String(error));
        callback({
          statusCode: 500,
          body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message },
        });
      });
    cached.exports = Object.assign(wrapped, { wrapped: true });
  }
}

/** LevelDB's `IO error: <file>: <reason>` for a full or read-only disk, as a message naming the folder. */
function storageFailure(error: unknown): string | undefined {
  const text = error instanceof Error ? error.message : String(error);
  const m = /IO error: (.+?): (No space left on device|Read-only file system|Permission denied)/.exec(text);
  if (!m) return undefined;
  const file = m[1]!;
  const cut = file.lastIndexOf(`${path.sep}tables${path.sep}`);
  const folder = cut < 0 ? path.dirname(file) : file.slice(0, cut);
  const code = {
    'No space left on device': 'ENOSPC',
    'Read-only file system': 'EROFS',
    'Permission denied': 'EACCES',
  }[m[2] as 'No space left on device'];
  return stateFolderError(Object.assign(new Error(text), { code }), folder)?.message;
}

answerStorageFailures();
const dynalite = require('dynalite') as (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

export interface DynamoDbService {
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

/** How often expired items are looked for while running. */
const TTL_SWEEP_MS = 5 * 60 * 1000;
/** DynamoDB leaves items whose TTL lies more than five years in the past alone. */
const FIVE_YEARS_S = 5 * 365 * 24 * 3600;

interface TtlSpecification {
  AttributeName: string;
  Enabled: boolean;
}

interface JsonResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

class DynamoDbError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startDynamoDb(
  dir: string | undefined,
  clock: Clock = systemClock,
): Promise<DynamoDbService> {
  const server = dynalite({
    ...(dir === undefined ? {} : { path: path.join(dir, 'tables') }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const ttlFile = dir === undefined ? undefined : path.join(dir, 'time-to-live.json');
  const ttl = new Map<string, TtlSpecification>(
    ttlFile === undefined
      ? []
      : Object.entries(
          JSON.parse(
            await readFile(ttlFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
              if (error.code === 'ENOENT') return '{}';
              throw error;
            }),
          ) as Record<string, TtlSpecification>,
        ),
  );
  const saveTtl = async () => {
    if (ttlFile !== undefined)
      await writingState(dir!, () => writeFile(ttlFile, JSON.stringify(Object.fromEntries(ttl), null, 2)));
  };

  /** Sends a request to dynalite itself and collects the answer. */
  const call = (headers: IncomingHttpHeaders, body: Buffer): Promise<JsonResponse> =>
    new Promise((resolve, reject) => {
      const forwarded = { ...headers, 'content-length': String(body.length) };
      delete forwarded['transfer-encoding'];
      const req = request(
        { host: '127.0.0.1', port, method: 'POST', path: '/', headers: forwarded },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  /** Calls a DynamoDB operation on dynalite itself. */
  const operation = async (name: string, input: unknown): Promise<Record<string, unknown>> => {
    const answer = await call(
      {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${name}`,
        'x-amz-date': '20260101T000000Z',
        authorization: `AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
      },
      Buffer.from(JSON.stringify(input)),
    );
    const output = JSON.parse(answer.body.toString('utf8') || '{}') as Record<string, unknown>;
    if (answer.status !== 200)
      throw new Error(`${name}: ${String(output['__type'])} ${String(output['message'] ?? '')}`);
    return output;
  };

  const requireTable = async (tableName: unknown) => {
    if (typeof tableName !== 'string' || tableName === '') {
      throw new DynamoDbError('ValidationException', 'TableName is required');
    }
    await operation('DescribeTable', { TableName: tableName }).catch(() => {
      throw new DynamoDbError(
        'ResourceNotFoundException',
        `Requested resource not found: Table: ${tableName} not found`,
      );
    });
  };

  const timeToLive = async (target: string, input: Record<string, unknown>) => {
    const tableName = input['TableName'];
    await requireTable(tableName);
    const table = tableName as string;
    if (target === 'DescribeTimeToLive') {
      const spec = ttl.get(table);
      return {
        TimeToLiveDescription: spec?.Enabled
          ? { TimeToLiveStatus: 'ENABLED', AttributeName: spec.AttributeName }
          : { TimeToLiveStatus: 'DISABLED' },
      };
    }
    const spec = input['TimeToLiveSpecification'] as Partial<TtlSpecification> | undefined;
    if (
      !spec ||
      typeof spec.Enabled !== 'boolean' ||
      typeof spec.AttributeName !== 'string' ||
      spec.AttributeName === ''
    ) {
      throw new DynamoDbError(
        'ValidationException',
        'TimeToLiveSpecification with AttributeName and Enabled is required',
      );
    }
    const current = ttl.get(table);
    if (spec.Enabled && current?.Enabled)
      throw new DynamoDbError('ValidationException', 'TimeToLive is already enabled');
    if (!spec.Enabled && !current?.Enabled)
      throw new DynamoDbError('ValidationException', 'TimeToLive is already disabled');
    if (!spec.Enabled && current && current.AttributeName !== spec.AttributeName) {
      throw new DynamoDbError(
        'ValidationException',
        'TimeToLive attribute name does not match the enabled one',
      );
    }
    if (spec.Enabled) ttl.set(table, { AttributeName: spec.AttributeName, Enabled: true });
    else ttl.delete(table);
    await saveTtl();
    return { TimeToLiveSpecification: { AttributeName: spec.AttributeName, Enabled: spec.Enabled } };
  };

  /** Deletes the items of one table whose TTL attribute lies in the past (but not over 5 years). */
  const sweepTable = async (table: string, attribute: string, nowSeconds: number) => {
    const described = await operation('DescribeTable', { TableName: table });
    const keySchema = (described['Table'] as { KeySchema: { AttributeName: string }[] }).KeySchema;
    const keys = keySchema.map((k) => k.AttributeName);
    let startKey: unknown;
    do {
      const page = await operation('Scan', {
        TableName: table,
        FilterExpression: '#ttl < :now AND #ttl > :oldest',
        ExpressionAttributeNames: { '#ttl': attribute },
        ExpressionAttributeValues: {
          ':now': { N: String(nowSeconds) },
          ':oldest': { N: String(nowSeconds - FIVE_YEARS_S) },
        },
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      });
      const items = (page['Items'] ?? []) as Record<string, unknown>[];
      for (let i = 0; i < items.length; i += 25) {
        const deletes = items
          .slice(i, i + 25)
          .map((item) => ({ DeleteRequest: { Key: Object.fromEntries(keys.map((k) => [k, item[k]])) } }));
        await operation('BatchWriteItem', { RequestItems: { [table]: deletes } });
      }
      startKey = page['LastEvaluatedKey'];
    } while (startKey !== undefined);
  };

  let sweeping: Promise<void> = Promise.resolve();
  const sweep = () => {
    sweeping = sweeping.then(async () => {
      const now = Math.floor(clock().getTime() / 1000);
      for (const [table, spec] of ttl) {
        if (spec.Enabled) await sweepTable(table, spec.AttributeName, now).catch(() => undefined);
      }
    });
    return sweeping;
  };
  await sweep();
  const sweepTimer = setInterval(() => void sweep(), TTL_SWEEP_MS);
  sweepTimer.unref();

  const intercepted = async (operation: string, req: IncomingMessage): Promise<JsonResponse> => {
    const body = await readBody(req);
    if (operation === 'DeleteTable') {
      const answer = await call(req.headers, body);
      if (answer.status === 200) {
        const table = (JSON.parse(body.toString('utf8')) as { TableName?: string }).TableName;
        if (table !== undefined && ttl.delete(table)) await saveTtl();
      }
      return answer;
    }
    try {
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        throw new DynamoDbError('SerializationException', 'The request body is not valid JSON');
      }
      return json(200, await timeToLive(operation, input));
    } catch (error) {
      if (error instanceof DynamoDbError) {
        const prefix =
          error.type === 'SerializationException'
            ? 'com.amazon.coral.service#'
            : 'com.amazonaws.dynamodb.v20120810#';
        return json(400, { __type: `${prefix}${error.type}`, message: error.message });
      }
      throw error;
    }
  };

  return {
    handle(req, res) {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      if (!['UpdateTimeToLive', 'DescribeTimeToLive', 'DeleteTable'].includes(operation)) {
        server.emit('request', req, res);
        return;
      }
      intercepted(operation, req).then(
        (answer) => {
          const headers = { ...answer.headers };
          delete headers['transfer-encoding'];
          res.writeHead(answer.status, { ...headers, 'content-length': answer.body.length }).end(answer.body);
        },
        (error: unknown) => {
          const answer = json(500, {
            __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
            message: String(error),
          });
          res.writeHead(answer.status, answer.headers).end(answer.body);
        },
      );
    },
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function json(status: number, value: unknown): JsonResponse {
  const body = Buffer.from(JSON.stringify(value));
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(body.length) },
    body,
  };
}
