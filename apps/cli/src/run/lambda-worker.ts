/**
 * A worker thread running the `AnalyzeLogData` handler for the local run: like Lambda, each
 * invocation's work happens outside the state machine's thread, so analyses use another core
 * while the interpreter and the service calls keep this one. Messages: `{ id, event }` in,
 * `{ id, ok, payload }` out, with the handler's result as JSON or its error's name, message
 * and stack.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { captureConsole } from './lambda-logs.js';

export interface LambdaWorkerData {
  /** File the handler's console output is appended to. */
  lambdaLogFile: string;
}

export interface LambdaWorkerRequest {
  id: number;
  event: unknown;
  /** The run's clock read at invocation (epoch ms): a function cannot cross into the thread. */
  nowMs: number;
}

/** `durationMs`: the handler's own time in the thread, as Lambda bills it. */
export type LambdaWorkerResponse =
  | { id: number; ok: true; payload: string; durationMs: number }
  | { id: number; ok: false; error: { name: string; message: string; stack?: string }; durationMs: number };

const port = parentPort;
if (!port) throw new Error('lambda-worker.ts runs as a worker thread');
const { lambdaLogFile } = workerData as LambdaWorkerData;
await captureConsole(lambdaLogFile);
const { createAnalyzeLogDataHandler } = await import('@logflow/analyzer/lambda/analyze-log-data');

port.on('message', ({ id, event, nowMs }: LambdaWorkerRequest) => {
  const handler = createAnalyzeLogDataHandler({ clock: () => new Date(nowMs) });
  const started = performance.now();
  handler(event as Parameters<typeof handler>[0]).then(
    (result) =>
      port.postMessage({
        id,
        ok: true,
        payload: JSON.stringify(result),
        durationMs: performance.now() - started,
      } satisfies LambdaWorkerResponse),
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      port.postMessage({
        id,
        ok: false,
        error: { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) },
        durationMs: performance.now() - started,
      } satisfies LambdaWorkerResponse);
    },
  );
});
port.postMessage('ready');
