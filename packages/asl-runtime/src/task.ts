/**
 * The Task state: evaluates the arguments, calls the injected TaskInvoker with a signal that
 * aborts on TimeoutSeconds, HeartbeatSeconds or a stop, and records the Task* history events.
 */
import { ErrorNames, StatesError } from './errors.js';
import { NOT_TRUNCATED } from './history.js';
import {
  AbortedError,
  checkInputPayload,
  checkPayload,
  finishWithResult,
  registerStateHandler,
  scopeController,
  stringify,
} from './interpreter.js';

/** `arn:aws:states:::aws-sdk:s3:listBuckets` → `{resourceType: 'aws-sdk:s3', resource: 'listBuckets'}`, as in history events. */
function resourceType(resource: string): { resourceType: string; resource: string } {
  const m = /^arn:aws[\w-]*:states:[^:]*:[^:]*:(.+)$/.exec(resource);
  if (m) {
    const parts = (m[1] as string).split(':');
    const typeParts = parts[0] === 'aws-sdk' ? 2 : 1;
    return { resourceType: parts.slice(0, typeParts).join(':'), resource: parts.slice(typeParts).join(':') };
  }
  if (/^arn:aws[\w-]*:lambda:/.test(resource)) return { resourceType: 'lambda', resource };
  return { resourceType: 'unknown', resource };
}

registerStateHandler('Task', async (s) => {
  const st = s.state;
  const frame = s.frame;
  const resource = st.Resource ?? '';
  let args: unknown;
  let credentials: unknown;
  if (s.jsonata) {
    args = st.Arguments === undefined ? s.rawInput : await s.jsonataTemplate(st.Arguments, 'Arguments');
    if (st.Credentials !== undefined) credentials = await s.jsonataTemplate(st.Credentials, 'Credentials');
  } else {
    const effective = s.inputPath();
    args = st.Parameters === undefined ? effective : s.template(st.Parameters, effective);
    if (st.Credentials !== undefined) credentials = s.template(st.Credentials, effective);
  }
  checkInputPayload(s.name, args);
  const data = s.jsonata ? s.rawInput : s.inputPath();
  const timeout = await s.integerField('TimeoutSeconds', st.TimeoutSeconds, st.TimeoutSecondsPath, data);
  const heartbeat = await s.integerField(
    'HeartbeatSeconds',
    st.HeartbeatSeconds,
    st.HeartbeatSecondsPath,
    data,
  );
  const h = frame.rt.history;
  const rt = resourceType(resource);
  frame.prev = h.record('TaskScheduled', frame.prev, () => ({
    ...rt,
    region: String(frame.rt.contextBase.Execution.Id ?? '').split(':')[3] ?? 'us-east-1',
    parameters: stringify(args),
    ...(timeout !== undefined ? { timeoutInSeconds: timeout } : {}),
    ...(heartbeat !== undefined ? { heartbeatInSeconds: heartbeat } : {}),
  }));
  frame.prev = h.record('TaskStarted', frame.prev, () => rt);
  const invoker = frame.rt.taskInvoker;
  let result: unknown;
  const controller = scopeController();
  const onParentAbort = () => controller.abort(frame.signal.reason);
  frame.signal.addEventListener('abort', onParentAbort, { once: true });
  const timers: NodeJS.Timeout[] = [];
  let rejectOnStop: (() => void) | undefined;
  try {
    if (!invoker)
      throw new StatesError(ErrorNames.TaskFailed, `No task invoker is configured for resource ${resource}`);
    const limits: Promise<never>[] = [];
    const limit = (seconds: number | undefined, error: string) => {
      if (seconds === undefined) return;
      limits.push(
        new Promise<never>((_, reject) => {
          timers.push(
            setTimeout(() => {
              const e = new StatesError(error);
              controller.abort(e);
              reject(e);
            }, seconds * 1000),
          );
        }),
      );
    };
    limit(timeout, ErrorNames.Timeout);
    // Stopping the execution must not wait for an invoker that ignores its signal.
    limits.push(
      new Promise<never>((_, reject) => {
        rejectOnStop = () => reject(new AbortedError());
        if (frame.signal.aborted) rejectOnStop();
        frame.signal.addEventListener('abort', rejectOnStop, { once: true });
      }),
    );
    if (heartbeat !== undefined && (timeout === undefined || heartbeat < timeout))
      limit(heartbeat, ErrorNames.HeartbeatTimeout);
    const call = Promise.resolve().then(() =>
      invoker.invoke(resource, args, { signal: controller.signal, credentials, stateName: s.name }),
    );
    result = await Promise.race([call, ...limits]);
  } catch (e) {
    if (frame.signal.aborted) throw new AbortedError();
    const err =
      e instanceof StatesError
        ? e
        : new StatesError(ErrorNames.TaskFailed, e instanceof Error ? e.message : String(e));
    const timedOut = err.error === ErrorNames.Timeout || err.error === ErrorNames.HeartbeatTimeout;
    frame.prev = h.record(timedOut ? 'TaskTimedOut' : 'TaskFailed', frame.prev, () => ({
      ...rt,
      error: err.error,
      ...(err.cause !== undefined ? { cause: err.cause } : {}),
    }));
    throw err;
  } finally {
    for (const t of timers) clearTimeout(t);
    frame.signal.removeEventListener('abort', onParentAbort);
    if (rejectOnStop) frame.signal.removeEventListener('abort', rejectOnStop);
  }
  if (result === undefined) result = null;
  frame.prev = h.record('TaskSucceeded', frame.prev, () => ({
    ...rt,
    output: stringify(result),
    outputDetails: NOT_TRUNCATED,
  }));
  checkPayload(s.name, result);
  return finishWithResult(s, result);
});
