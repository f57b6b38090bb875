/** Starting an execution: the public entry point of the interpreter. */
import { randomUUID } from 'node:crypto';
import { ErrorNames, StatesError, toStatesError } from './errors.js';
import { HistoryRecorder, NOT_TRUNCATED, type EventListener, type HistoryEvent } from './history.js';
import type { ItemReader, ResultWriter, StreamingResultWriter, TaskInvoker } from './integrations.js';
import {
  AbortedError,
  runStates,
  scopeController,
  type ExecutionRuntime,
  type Frame,
  type MapRunProgress,
  type ChildExecution,
  type RedriveMapRun,
} from './interpreter.js';
import './map.js';
import './parallel.js';
import './simple-states.js';
import './task.js';
import type { StateMachineDefinition } from './types.js';
import { PAYLOAD_LIMIT_BYTES, payloadBytes } from './values.js';
import { VariableScope } from './variables.js';
import { systemClock, type Clock } from '@logflow/shared-types';

export type ExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface ExecutionOptions {
  /** Runs Task states. Without it, every Task fails with `States.TaskFailed`. */
  taskInvoker?: TaskInvoker;
  /** Reads Distributed Map `ItemReader` sources. */
  itemReader?: ItemReader;
  /** Receives Distributed Map results (`ResultWriter`); a StreamingResultWriter keeps memory bounded. */
  resultWriter?: ResultWriter | StreamingResultWriter;
  /** Skip the delays of Wait states and Retry intervals. */
  noWait?: boolean;
  /** Called with every history event as it happens. */
  onEvent?: EventListener;
  /** Keep the history for `result.history` (default true; turn off for big runs). */
  keepHistory?: boolean;
  /**
   * Called when a Distributed Map child execution ends, with its own history. Child histories
   * are recorded only when this is set (they are never part of the parent's history).
   */
  onChildExecution?: (child: ChildExecution) => void;
  /** Progress of Distributed Map runs (children started, succeeded, failed). */
  onMapRunProgress?: (progress: MapRunProgress) => void;
  /** The execution name (default: a random UUID). */
  name?: string;
  /** The state machine ARN used in `$$.StateMachine.Id` and the execution ARN. */
  stateMachineArn?: string;
  /** `$$.Execution.RoleArn`. */
  roleArn?: string;
  /** Aborts the execution (status `ABORTED`). */
  signal?: AbortSignal;
  /**
   * "Now" for the execution's timestamps (start, stop, history events, `$$.State.EnteredTime`)
   * and for Wait states that wait until a `Timestamp`. Default the system clock.
   */
  clock?: Clock;
  /**
   * Continues a failed, aborted or timed-out execution (RedriveExecution) instead of starting
   * one: `input` is still the execution's input, and the run resumes at `redrive.startAt`.
   */
  redrive?: RedrivePlan;
}

/** Where a redriven execution resumes, worked out from the earlier attempt's history. */
export interface RedrivePlan {
  /** The top-level state that did not finish, the input it had, and the variables then. */
  startAt: string;
  stateInput: unknown;
  variables?: Record<string, unknown>;
  /** The last event id of the earlier attempts: new events (`ExecutionRedriven` first) follow it. */
  lastEventId: number;
  /** How many times the execution has been redriven, this time included. */
  redriveCount: number;
  /** The original start (`$$.Execution.StartTime`). */
  startDate: Date;
  /** Distributed Map runs to continue (children that succeeded are not run again), by state name. */
  mapRuns?: Record<string, RedriveMapRun>;
}

export interface ExecutionResult {
  status: ExecutionStatus;
  output?: unknown;
  error?: string;
  cause?: string;
  executionArn: string;
  startDate: Date;
  stopDate: Date;
  /** The recorded events (empty when `keepHistory` is false). */
  history: HistoryEvent[];
}

export interface ExecutionHandle {
  executionArn: string;
  result: Promise<ExecutionResult>;
  /** Stops the execution; the result resolves with status `ABORTED`. */
  stop(): void;
  /** The events so far, then each new event until the execution ends (needs keepHistory). */
  events(): AsyncIterable<HistoryEvent>;
}

const DEFAULT_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:LocalStateMachine';

export function parseDefinition(definition: string | StateMachineDefinition): StateMachineDefinition {
  return typeof definition === 'string' ? (JSON.parse(definition) as StateMachineDefinition) : definition;
}

/** Starts an execution of `definition` with `input`; resolves `result` when it ends. */
export function startExecution(
  definition: string | StateMachineDefinition,
  input: unknown,
  options: ExecutionOptions = {},
): ExecutionHandle {
  const def = parseDefinition(definition);
  const stateMachineArn = options.stateMachineArn ?? DEFAULT_STATE_MACHINE_ARN;
  const parts = stateMachineArn.split(':');
  const name = options.name ?? randomUUID();
  const executionArn = `arn:aws:states:${parts[3] || 'us-east-1'}:${parts[4] || '123456789012'}:execution:${parts[6] || 'LocalStateMachine'}:${name}`;
  const keepHistory = options.keepHistory ?? true;
  const waiters = new Set<() => void>();
  let finished = false;
  const redrive = options.redrive;
  const clock = options.clock ?? systemClock;
  const history = new HistoryRecorder(
    keepHistory,
    (event) => {
      options.onEvent?.(event);
      for (const w of waiters) w();
    },
    clock,
    redrive?.lastEventId ?? 0,
  );
  const controller = scopeController();
  const onUserAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onUserAbort, { once: true });
  if (options.signal?.aborted) controller.abort();
  const startDate = redrive?.startDate ?? clock();
  const roleArn = options.roleArn ?? `arn:aws:iam::${parts[4] || '123456789012'}:role/LocalStepFunctionsRole`;
  const rt: ExecutionRuntime = {
    history,
    taskInvoker: options.taskInvoker,
    itemReader: options.itemReader,
    resultWriter: options.resultWriter,
    noWait: options.noWait ?? false,
    clock,
    contextBase: {
      Execution: {
        Id: executionArn,
        Input: input,
        Name: name,
        RoleArn: roleArn,
        StartTime: startDate.toISOString(),
        RedriveCount: redrive?.redriveCount ?? 0,
      },
      StateMachine: { Id: stateMachineArn, Name: parts[6] || 'LocalStateMachine' },
    },
    stateMachineArn,
    executionArn,
    ...(redrive?.mapRuns ? { redriveMapRuns: redrive.mapRuns } : {}),
    childOptions: {
      onChildExecution: options.onChildExecution,
      onMapRunProgress: options.onMapRunProgress,
    },
  };

  const run = async (): Promise<ExecutionResult> => {
    const started = redrive
      ? history.record('ExecutionRedriven', redrive.lastEventId, () => ({
          redriveCount: redrive.redriveCount,
        }))
      : history.record('ExecutionStarted', 0, () => ({
          input: JSON.stringify(input ?? null),
          inputDetails: NOT_TRUNCATED,
          roleArn,
        }));
    const variables = new VariableScope();
    if (redrive?.variables) variables.assignAll(redrive.variables);
    const frame: Frame = {
      rt,
      variables,
      queryLanguage: def.QueryLanguage ?? 'JSONPath',
      signal: controller.signal,
      prev: started,
    };
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const done = (
      r: Omit<ExecutionResult, 'executionArn' | 'startDate' | 'stopDate' | 'history'>,
    ): ExecutionResult => ({
      ...r,
      executionArn,
      startDate,
      stopDate: clock(),
      history: history.events,
    });
    try {
      const size = payloadBytes(JSON.stringify(input ?? null));
      if (size > PAYLOAD_LIMIT_BYTES)
        throw new StatesError(
          ErrorNames.DataLimitExceeded,
          'The execution input exceeds the maximum number of bytes service limit.',
        );
      if (typeof def.TimeoutSeconds === 'number')
        timer = setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, def.TimeoutSeconds * 1000);
      const output = redrive
        ? await runStates({ ...def, StartAt: redrive.startAt }, redrive.stateInput, frame)
        : await runStates(def, input, frame);
      history.record('ExecutionSucceeded', frame.prev, () => ({
        output: JSON.stringify(output ?? null),
        outputDetails: NOT_TRUNCATED,
      }));
      return done({ status: 'SUCCEEDED', output });
    } catch (e) {
      if (e instanceof AbortedError || controller.signal.aborted) {
        if (timedOut) {
          history.record('ExecutionTimedOut', frame.prev, () => ({ error: ErrorNames.Timeout }));
          return done({ status: 'TIMED_OUT', error: ErrorNames.Timeout });
        }
        history.record('ExecutionAborted', frame.prev, () => ({}));
        return done({ status: 'ABORTED' });
      }
      const err = toStatesError(e);
      const error = err.error === '' ? undefined : err.error;
      history.record('ExecutionFailed', frame.prev, () => ({
        ...(error !== undefined ? { error } : {}),
        ...(err.cause !== undefined ? { cause: err.cause } : {}),
      }));
      return done({ status: 'FAILED', error, cause: err.cause });
    } finally {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onUserAbort);
      finished = true;
      for (const w of waiters) w();
    }
  };

  const result = run();
  return {
    executionArn,
    result,
    stop: () => controller.abort(),
    events: () => ({
      async *[Symbol.asyncIterator]() {
        let i = 0;
        for (;;) {
          while (i < history.events.length) yield history.events[i++] as HistoryEvent;
          if (finished) return;
          await new Promise<void>((resolve) => {
            const w = () => {
              waiters.delete(w);
              resolve();
            };
            waiters.add(w);
          });
        }
      },
    }),
  };
}

/** Runs an execution to its end (`startExecution(...).result`). */
export function runExecution(
  definition: string | StateMachineDefinition,
  input: unknown,
  options?: ExecutionOptions,
): Promise<ExecutionResult> {
  return startExecution(definition, input, options).result;
}
