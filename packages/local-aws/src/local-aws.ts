/**
 * S3, DynamoDB and CloudWatch on one loopback endpoint. Requests are routed by what they carry
 * (`x-amz-target`, SigV4 credential scope), so `AWS_ENDPOINT_URL` alone points default SDK v3
 * clients and the AWS CLI at it; every request must be signed with the endpoint's credentials.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startCloudWatch } from './cloudwatch/service.js';
import { startDynamoDb } from './dynamodb.js';
import { FAULTS_ENV, FaultInjector, NO_FAULTS, parseFaults } from './faults.js';
import { frontHandler } from './front.js';
import { RequestCounter, type RequestCounts } from './request-counter.js';
import { startS3 } from './s3.js';
import { writingState } from './state-errors.js';
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
  /**
   * The clock request signatures are checked against (AWS refuses a request signed over 15
   * minutes away). Clients stamp signatures with their own clock, which follows the system
   * clock, so this stays the system clock even when `clock` is fixed; tests of the check set it.
   */
  signatureClock?: Clock;
  /**
   * Faults to inject, e.g. `throttle=0.05,error=0.02,reset=0.01,seed=7`; default the
   * `LOGFLOW_LOCAL_FAULTS` environment variable, else none.
   */
  faults?: string;
  /**
   * Serves Step Functions (`x-amz-target: AWSStepFunctions.*`) on this endpoint, e.g.
   * `mountStepFunctions()` of `@logflow/local-sfn`; called once the endpoint listens. Without
   * it such requests get `UnknownOperationException`.
   */
  stepFunctions?: (context: MountContext) => Promise<MountedService>;
  /** Count the requests served, by service and operation (`LocalAws.requestCounts`). */
  countRequests?: boolean;
}

/** What a service mounted on the endpoint is given. */
export interface MountContext {
  endpoint: string;
  region: string;
  credentials: LocalAwsCredentials;
  /** The service's own folder in the state folder (removed by `reset`); undefined in memory. */
  dir?: string;
}

/** A service mounted on the endpoint. */
export interface MountedService {
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
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
  /** The requests served so far; present when started with `countRequests`. */
  requestCounts?: () => Promise<RequestCounts>;
  /** Closes the endpoint and flushes every service's data. */
  stop(): Promise<void>;
}

/** The fixed credentials the endpoint accepts. */
export const LOCAL_CREDENTIALS: LocalAwsCredentials = Object.freeze({
  accessKeyId: 'LOGFLOWLOCAL',
  secretAccessKey: 'logflow-local-secret',
});

/** Subfolders of the state folder, one per service; `reset` removes exactly these. */
const SERVICE_DIRS = {
  s3: 's3',
  dynamodb: 'dynamodb',
  cloudwatch: 'cloudwatch',
  stepfunctions: 'stepfunctions',
} as const;

export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const region = options.region ?? 'us-east-1';
  const clock = options.clock ?? systemClock;
  const credentials = { ...LOCAL_CREDENTIALS };
  const faultSpec = options.faults ?? process.env[FAULTS_ENV];
  const faults = new FaultInjector(
    faultSpec === undefined
      ? NO_FAULTS
      : parseFaults(faultSpec, options.faults === undefined ? FAULTS_ENV : 'faults'),
  );
  const stateDir = options.inMemory ? undefined : path.resolve(options.stateDir ?? '.logflow');
  const dirOf = (service: keyof typeof SERVICE_DIRS) =>
    stateDir === undefined ? undefined : path.join(stateDir, SERVICE_DIRS[service]);
  let unlock = async () => {};
  if (stateDir !== undefined) {
    unlock = await writingState(stateDir, async () => {
      await mkdir(stateDir, { recursive: true });
      return lockStateDir(stateDir);
    });
    try {
      await writingState(stateDir, async () => {
        if (options.reset) {
          await Promise.all(
            Object.values(SERVICE_DIRS).map((d) =>
              rm(path.join(stateDir, d), { recursive: true, force: true }),
            ),
          );
        }
        await Promise.all(
          Object.values(SERVICE_DIRS).map((d) => mkdir(path.join(stateDir, d), { recursive: true })),
        );
      });
    } catch (error) {
      await unlock().catch(() => undefined);
      throw error;
    }
  }

  const started: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(service: T): T => (started.push(service), service);
  try {
    const [s3, dynamodb, cloudwatch] = await Promise.all([
      startS3(dirOf('s3'), clock).then(track),
      startDynamoDb(dirOf('dynamodb'), clock).then(track),
      startCloudWatch(dirOf('cloudwatch'), clock).then(track),
    ]);
    let states: Promise<MountedService> | undefined;
    const statesHandler = {
      handle(req: IncomingMessage, res: ServerResponse) {
        if (!states) return notMounted(res);
        states.then(
          (service) => service.handle(req, res),
          () => notMounted(res),
        );
      },
    };
    let port = 0;
    const counter = options.countRequests ? new RequestCounter(clock) : undefined;
    const server = createServer(
      frontHandler({
        services: { s3, dynamodb, cloudwatch, states: statesHandler },
        credentials,
        faults,
        clock: options.signatureClock ?? systemClock,
        port: () => port,
        ...(counter ? { counter } : {}),
      }),
    );
    // large uploads stream for a while; do not cut them off
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });

    port = (server.address() as AddressInfo).port;
    const endpoint = `http://127.0.0.1:${port}`;
    if (options.stepFunctions) {
      const dir = dirOf('stepfunctions');
      states = options.stepFunctions({ endpoint, region, credentials, ...(dir ? { dir } : {}) });
      track(
        await states.catch(
          (error: unknown) => new Promise<never>((_, reject) => server.close(() => reject(error))),
        ),
      );
    }
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

    return localAwsHandle({
      endpoint,
      region,
      credentials,
      stateDir,
      stop: () => (stopping ??= stop()),
      ...(counter ? { requestCounts: () => Promise.resolve(counter.snapshot()) } : {}),
    });
  } catch (error) {
    await Promise.allSettled(started.map((service) => service.close()));
    await unlock();
    throw error;
  }
}

function notMounted(res: ServerResponse): void {
  res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
  res.end(
    JSON.stringify({
      __type: 'UnknownOperationException',
      message: 'Step Functions is not served on this endpoint (start it with the stepFunctions option)',
    }),
  );
}

/** The `LocalAws` of a running endpoint, wherever it runs. */
export function localAwsHandle(parts: {
  endpoint: string;
  region: string;
  credentials: LocalAwsCredentials;
  stateDir: string | undefined;
  stop: () => Promise<void>;
  requestCounts?: () => Promise<RequestCounts>;
}): LocalAws {
  const { endpoint, region, credentials, stateDir, stop, requestCounts } = parts;
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
    ...(requestCounts ? { requestCounts } : {}),
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
