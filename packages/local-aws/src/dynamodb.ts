/** DynamoDB: dynalite in-process, on LevelDB files or in memory. */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

export interface DynamoDbService {
  /** Loopback port dynalite listens on (requests normally arrive through `handle`). */
  port: number;
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

export async function startDynamoDb(path: string | undefined): Promise<DynamoDbService> {
  const server = dynalite({
    ...(path === undefined ? {} : { path }),
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
  return {
    port: (server.address() as AddressInfo).port,
    handle: (req, res) => void server.emit('request', req, res),
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
