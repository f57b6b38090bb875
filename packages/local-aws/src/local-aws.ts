/**
 * S3, DynamoDB and CloudWatch on one loopback endpoint. Requests are routed by what they carry
 * (`x-amz-target`, SigV4 credential scope), so `AWS_ENDPOINT_URL` alone points default SDK v3
 * clients and the AWS CLI at it.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startCloudWatch } from './cloudwatch/service.js';
import { startDynamoDb } from './dynamodb.js';
import { classifyRequest } from './router.js';
import { startS3 } from './s3.js';
import { systemClock, type Clock } from '@logflow/shared-types';

export interface LocalAwsOptions {
  /** Folder the services keep their data in; default `.logflow` (relative to the cwd). */
  stateDir?: string;
  /** Delete the services' data in `stateDir` before starting. */
  reset?: boolean;
  /** Keep everything in memory and write no files (for tests). */
  inMemory?: boolean;
  /** Port to listen on (127.0.0.1); 0, the default, picks a free one. */
  port?: number;
  /** Region reported to clients; default `us-east-1`. */
  region?: string;
  /**
   * The services' "now": CloudWatch's accepted timestamp window and query ranges, DynamoDB TTL
   * expiry, S3 modification times (in memory). Default the system clock. In-process only: a
   * function does not cross into `startLocalAwsProcess`.
   */
  clock?: Clock;
}

export interface LocalAwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface LocalAws {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  region: string;
  credentials: LocalAwsCredentials;
  /** Absolute state folder; undefined in memory mode. */
  stateDir?: string;
  /** `AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` for child processes. */
  env(): Record<string, string>;
  /** Options for any SDK v3 client constructor. */
  clientConfig(): {
    endpoint: string;
    region: string;
    credentials: LocalAwsCredentials;
    forcePathStyle: true;
  };
  /** Closes the endpoint and flushes every service's data. */
  stop(): Promise<void>;
}

/** The fixed credentials the endpoint accepts. */
export const LOCAL_CREDENTIALS: LocalAwsCredentials = Object.freeze({
  accessKeyId: 'LOGFLOWLOCAL',
  secretAccessKey: 'logflow-local-secret',
});

/** Subfolders of the state folder, one per service; `reset` removes exactly these. */
const SERVICE_DIRS = { s3: 's3', dynamodb: 'dynamodb', cloudwatch: 'cloudwatch' } as const;

export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const region = options.region ?? 'us-east-1';
  const clock = options.clock ?? systemClock;
  const credentials = { ...LOCAL_CREDENTIALS };
  const stateDir = options.inMemory ? undefined : path.resolve(options.stateDir ?? '.logflow');
  const dirOf = (service: keyof typeof SERVICE_DIRS) =>
    stateDir === undefined ? undefined : path.join(stateDir, SERVICE_DIRS[service]);
  let unlock = async () => {};
  if (stateDir !== undefined) {
    await mkdir(stateDir, { recursive: true });
    unlock = await lockStateDir(stateDir);
    if (options.reset) {
      await Promise.all(
        Object.values(SERVICE_DIRS).map((d) => rm(path.join(stateDir, d), { recursive: true, force: true })),
      );
    }
    await Promise.all(
      Object.values(SERVICE_DIRS).map((d) => mkdir(path.join(stateDir, d), { recursive: true })),
    );
  }

  const started: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(service: T): T => (started.push(service), service);
  try {
    const [s3, dynamodb, cloudwatch] = await Promise.all([
      startS3(dirOf('s3'), credentials, clock).then(track),
      startDynamoDb(dirOf('dynamodb'), clock).then(track),
      startCloudWatch(dirOf('cloudwatch'), clock).then(track),
    ]);
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      switch (classifyRequest(req.headers, req.method, req.url)) {
        case 'dynamodb':
          return dynamodb.handle(req, res);
        case 'cloudwatch':
          return cloudwatch.handle(req, res);
        default:
          return s3.handle(req, res);
      }
    });
    // large uploads stream for a while; do not cut them off
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });

    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let stopping: Promise<void> | undefined;
    const stop = async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // requests in flight get a moment to finish before their connections are cut
      const cut = setTimeout(() => server.closeAllConnections(), 2000);
      await closed;
      clearTimeout(cut);
      const results = await Promise.allSettled(started.map((service) => service.close()));
      await unlock();
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    };

    return localAwsHandle({ endpoint, region, credentials, stateDir, stop: () => (stopping ??= stop()) });
  } catch (error) {
    await Promise.allSettled(started.map((service) => service.close()));
    await unlock();
    throw error;
  }
}

/** The `LocalAws` of a running endpoint, wherever it runs. */
export function localAwsHandle(parts: {
  endpoint: string;
  region: string;
  credentials: LocalAwsCredentials;
  stateDir: string | undefined;
  stop: () => Promise<void>;
}): LocalAws {
  const { endpoint, region, credentials, stateDir, stop } = parts;
  return {
    endpoint,
    region,
    credentials,
    ...(stateDir === undefined ? {} : { stateDir }),
    env: () => ({
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    }),
    clientConfig: () => ({ endpoint, region, credentials: { ...credentials }, forcePathStyle: true }),
    stop,
  };
}

const LOCK_FILE = 'local-aws.lock';

/**
 * Claims the state folder for this process: two endpoints on one folder would corrupt each
 * other's data (LevelDB allows one opener). A lock left by a process that no longer runs is
 * taken over. Resolves to the function that releases the lock.
 */
async function lockStateDir(stateDir: string): Promise<() => Promise<void>> {
  const file = path.join(stateDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
      throw new Error(
        `the state folder ${stateDir} is in use by process ${owner}${owner === process.pid ? ' (this one)' : ''}; ` +
          'stop that endpoint or choose another state folder',
      );
    }
    await rm(file, { force: true });
  }
  throw new Error(`could not lock the state folder ${stateDir}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
