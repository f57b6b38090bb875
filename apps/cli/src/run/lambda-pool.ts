/**
 * Worker threads that run the analyzer handler for a local run (see `lambda-worker.ts`). Each
 * invocation goes to the worker with the fewest in flight; the result comes back as the handler
 * returned it, and an error with the handler's error name, message and stack, so the state
 * machine's Retry and Catch see what they would see from Lambda.
 */
import { Worker } from 'node:worker_threads';
import type { LambdaWorkerData, LambdaWorkerRequest, LambdaWorkerResponse } from './lambda-worker.js';

interface PooledWorker {
  worker: Worker;
  inFlight: number;
}

export interface LambdaPool {
  /** Runs the handler on `event` with the time of invocation `nowMs` (epoch ms). */
  invoke(event: unknown, nowMs: number): Promise<unknown>;
  close(): Promise<void>;
}

export async function startLambdaPool(
  size: number,
  data: LambdaWorkerData,
  /** Called with each invocation's own duration in its thread (the usage meter). */
  onInvoked?: (durationMs: number) => void,
): Promise<LambdaPool> {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './lambda-worker.ts' : './lambda-worker.js', import.meta.url);
  // From source, the worker first registers the TypeScript loader the monorepo runs with
  // (a worker thread does not inherit the main thread's `--import tsx`).
  const entry = fromSource
    ? new URL(
        `data:text/javascript,${encodeURIComponent(
          `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};` +
            `register(); await import(${JSON.stringify(url.href)});`,
        )}`,
      )
    : url;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 0;
  const failAll = (error: Error): void => {
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  const start = (): Promise<PooledWorker> =>
    new Promise((resolve, reject) => {
      // the environment as it is now: local AWS's endpoint and the handler settings
      const worker = new Worker(entry, { workerData: data, env: { ...process.env } });
      const pooled: PooledWorker = { worker, inFlight: 0 };
      worker.once('error', reject);
      worker.on('message', (message: LambdaWorkerResponse | 'ready') => {
        if (message === 'ready') {
          worker.off('error', reject);
          worker.on('error', failAll);
          resolve(pooled);
          return;
        }
        const waiter = pending.get(message.id);
        if (!waiter) return;
        pending.delete(message.id);
        pooled.inFlight--;
        onInvoked?.(message.durationMs);
        if (message.ok) waiter.resolve(JSON.parse(message.payload) as unknown);
        else waiter.reject(Object.assign(new Error(message.error.message), message.error));
      });
    });
  const workers = await Promise.all(Array.from({ length: Math.max(1, size) }, start));
  return {
    invoke(event, nowMs) {
      const target = workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      const id = nextId++;
      target.inFlight++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        target.worker.postMessage({ id, event, nowMs } satisfies LambdaWorkerRequest);
      });
    },
    async close() {
      failAll(new Error('the run stopped before the function returned'));
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
