/**
 * The state-by-state evaluator: runs a list of states (the top level, a Parallel branch or a
 * Map iteration), applies each state's input/output processing in either query language, and
 * handles Retry and Catch. Each state type registers its handler from its own module
 * (simple-states.ts, task.ts, parallel.ts, map.ts).
 */
import { setMaxListeners } from 'node:events';
import {
  ErrorNames,
  EvaluationError,
  isTerminal,
  queryError,
  runtimeError,
  stateCause,
  StatesError,
  toStatesError,
} from './errors.js';
import type { HistoryEvent, HistoryRecorder } from './history.js';
import { NOT_TRUNCATED } from './history.js';
import type { ItemReader, ResultWriter, StreamingResultWriter, TaskInvoker } from './integrations.js';
import { InvalidPathError, PathNotFoundError, setPath } from './json-path.js';
import {
  evaluateJsonata,
  evaluateJsonataTemplate,
  jsonataExpression,
  type JsonataBindings,
} from './jsonata-eval.js';
import { evaluateTemplate } from './payload.js';
import { resolvePathOrFail, type DataScope } from './references.js';
import type { Catcher, ProcessorDefinition, QueryLanguage, Retrier, StateDefinition } from './types.js';
import { jsonType, PAYLOAD_LIMIT_BYTES, payloadBytes } from './values.js';
import type { VariableScope } from './variables.js';
import type { Clock } from '@logflow/shared-types';

/** Everything shared by all states of one execution (and its inline children). */
export interface ExecutionRuntime {
  history: HistoryRecorder;
  taskInvoker?: TaskInvoker;
  itemReader?: ItemReader;
  resultWriter?: ResultWriter | StreamingResultWriter;
  noWait: boolean;
  /** Timestamps of events, states and executions, and the target of Wait `Timestamp`s. */
  clock: Clock;
  /** The `Execution` and `StateMachine` members of the context object. */
  contextBase: { Execution: Record<string, unknown>; StateMachine: Record<string, unknown> };
  stateMachineArn: string;
  executionArn: string;
  /** Distributed Map runs a redrive continues, by state name. */
  redriveMapRuns?: Record<string, RedriveMapRun>;
  /** Options for Distributed Map child executions. */
  childOptions: {
    onMapRunProgress?: (p: MapRunProgress) => void;
    onChildExecution?: (child: ChildExecution) => void;
  };
}

/** A finished Distributed Map child execution, with its own history. */
export interface ChildExecution {
  mapRunArn: string;
  stateName: string;
  executionArn: string;
  /** Position of the item (or batch) in the run. */
  index: number;
  status: 'SUCCEEDED' | 'FAILED';
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate: Date;
  history: HistoryEvent[];
}

/** A Distributed Map run to continue: its ARN and the children that already succeeded, by index. */
export interface RedriveMapRun {
  mapRunArn: string;
  succeeded: ReadonlyMap<number, Pick<ChildExecution, 'executionArn' | 'output' | 'startDate' | 'stopDate'>>;
}

export interface MapRunProgress {
  mapRunArn: string;
  stateName: string;
  /** Child executions. */
  started: number;
  succeeded: number;
  failed: number;
  /** Items in those child executions (more than one per child with an ItemBatcher). */
  items: { started: number; succeeded: number; failed: number };
  done: boolean;
}

/** One thread of execution: a branch, an iteration, or the top level. */
export interface Frame {
  rt: ExecutionRuntime;
  variables: VariableScope;
  queryLanguage: QueryLanguage;
  signal: AbortSignal;
  /** Id of the last event this thread recorded. */
  prev: number;
  /** The JSON text of the last payload serialised in this thread (a state's output is the next one's input). */
  lastText?: { value: unknown; text: string };
  /** `$$.Map` while evaluating an ItemSelector. */
  mapItem?: unknown;
}

export interface StateOutcome {
  output: unknown;
  next?: string;
  assign?: Record<string, unknown>;
}

/** The result of running one state list to its end. */
export class AbortedError extends Error {
  constructor() {
    super('The execution was aborted');
    this.name = 'AbortedError';
  }
}

/**
 * An AbortController for a scope whose signal many concurrent states listen to (every
 * iteration of a Map, every branch): no listener limit, so no leak warnings.
 */
export function scopeController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new AbortedError());
    if (ms <= 0) return resolve();
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new AbortedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * The context object (`$$`) for a state. `State.RetryCount` is there only for the states that
 * can retry (Task, Parallel, Map), as on AWS; pass `undefined` for the others.
 */
export function contextObject(
  frame: Frame,
  stateName: string,
  enteredTime: string,
  retryCount: number | undefined,
): Record<string, unknown> {
  const base = frame.rt.contextBase;
  const state: Record<string, unknown> = { Name: stateName, EnteredTime: enteredTime };
  if (retryCount !== undefined) state.RetryCount = retryCount;
  const ctx: Record<string, unknown> = {
    Execution: base.Execution,
    StateMachine: base.StateMachine,
    State: state,
  };
  if (frame.mapItem !== undefined) ctx.Map = frame.mapItem;
  return ctx;
}

/** Per-state evaluation helpers handed to each state implementation. */
export class StateScope {
  constructor(
    readonly frame: Frame,
    readonly name: string,
    readonly state: StateDefinition,
    readonly rawInput: unknown,
    readonly context: Record<string, unknown>,
    readonly enteredEventId: number,
  ) {}

  get jsonata(): boolean {
    return (this.state.QueryLanguage ?? this.frame.queryLanguage) === 'JSONata';
  }

  data(data: unknown): DataScope {
    return { data, context: this.context, variables: this.frame.variables };
  }

  bindings(extra?: { result?: unknown; errorOutput?: unknown }): JsonataBindings {
    return {
      states: { input: this.rawInput, context: this.context, ...extra },
      variables: this.frame.variables.snapshot(),
    };
  }

  /** InputPath: `$` when absent, `{}` when null. */
  inputPath(): unknown {
    const p = this.state.InputPath;
    if (p === undefined) return this.rawInput;
    if (p === null) return {};
    return resolvePathOrFail(p, this.data(this.rawInput));
  }

  outputPath(value: unknown): unknown {
    const p = this.state.OutputPath;
    if (p === undefined) return value;
    if (p === null) return {};
    return resolvePathOrFail(p, this.data(value));
  }

  resultPath(result: unknown, path: string | null | undefined = this.state.ResultPath): unknown {
    if (path === undefined) return result;
    if (path === null) return this.rawInput;
    try {
      return setPath(this.rawInput, path, result);
    } catch (e) {
      if (e instanceof PathNotFoundError || e instanceof InvalidPathError)
        throw runtimeError(`Unable to apply ReferencePath ${path} to input ${JSON.stringify(this.rawInput)}`);
      throw e;
    }
  }

  /** A JSONPath payload template evaluated against `data`. */
  template(template: unknown, data: unknown): unknown {
    return evaluateTemplate(template, this.data(data));
  }

  async jsonataTemplate(
    template: unknown,
    field: string,
    extra?: { result?: unknown; errorOutput?: unknown },
  ) {
    return evaluateJsonataTemplate(template, this.bindings(extra), field);
  }

  /** JSONPath `Assign`, where `$` is `data`. */
  assignJsonPath(
    assign: Record<string, unknown> | undefined,
    data: unknown,
  ): Record<string, unknown> | undefined {
    if (!assign) return undefined;
    return evaluateTemplate(assign, this.data(data)) as Record<string, unknown>;
  }

  /**
   * A number field that may come from a `…Path` (JSONPath) or an expression (JSONata). With
   * `numericStrings`, a path may also select an integer written as a string (`"1"`), which AWS
   * converts for MaxConcurrencyPath and ToleratedFailureCountPath.
   */
  async integerField(
    field: string,
    literal: unknown,
    path: string | undefined,
    data: unknown,
    numericStrings = false,
  ): Promise<number | undefined> {
    if (path !== undefined) {
      let v = resolvePathOrFail(path, this.data(data));
      if (numericStrings && typeof v === 'string' && /^[+-]?\d+$/.test(v)) v = Number(v);
      if (typeof v !== 'number' || !Number.isInteger(v))
        throw runtimeError(
          `The ${field}Path field refers to value ${JSON.stringify(v)} which is not a valid integer: ${path}`,
        );
      return v;
    }
    if (literal === undefined) return undefined;
    const expr = jsonataExpression(literal);
    if (expr !== null) {
      const v = await evaluateJsonata(expr, this.bindings(), field);
      if (typeof v !== 'number' || !Number.isInteger(v))
        throw queryError(
          `The JSONata expression '${expr}' specified for the field '${field}' returned an unexpected result type. Expected 'integer', but was '${jsonType(v)}' for value: ${JSON.stringify(v)}`,
        );
      return v;
    }
    if (typeof literal !== 'number') throw runtimeError(`The field '${field}' must be a number`);
    return literal;
  }
}

export type StateHandler = (scope: StateScope) => Promise<StateOutcome>;

const handlers: Partial<Record<StateDefinition['Type'], StateHandler>> = {};

/** Lets Map and Parallel register themselves without an import cycle. */
export function registerStateHandler(type: StateDefinition['Type'], handler: StateHandler): void {
  handlers[type] = handler;
}

export function stringify(v: unknown): string {
  return JSON.stringify(v === undefined ? null : v);
}

/** JSON text of a payload, serialised at most once as it flows from one state to the next. */
function payloadText(frame: Frame, v: unknown): string {
  const last = frame.lastText;
  if (last && last.value === v) return last.text;
  const text = stringify(v);
  if (v !== null && typeof v === 'object') frame.lastText = { value: v, text };
  return text;
}

/** Runs states from `StartAt` until a terminal state; returns the final output. */
export async function runStates(def: ProcessorDefinition, input: unknown, frame: Frame): Promise<unknown> {
  let name = def.StartAt;
  let current = input;
  for (;;) {
    if (frame.signal.aborted) throw new AbortedError();
    const state = def.States[name];
    if (!state) throw new StatesError(ErrorNames.Runtime, `The state '${name}' is not defined`);
    const outcome = await runState(name, state, current, frame);
    current = outcome.output;
    if (outcome.next === undefined) return current;
    name = outcome.next;
  }
}

function matches(errorEquals: readonly string[], error: string, isTask: boolean): boolean {
  if (errorEquals.includes(error)) return true;
  if (isTerminal(error)) return false;
  if (errorEquals.includes(ErrorNames.ALL)) return true;
  return isTask && error !== ErrorNames.Timeout && errorEquals.includes(ErrorNames.TaskFailed);
}

/** The delay before retry number `attempt + 1` (IntervalSeconds × BackoffRate^attempt, capped, jittered). */
export function retryDelayMs(r: Retrier, attempt: number, random: () => number = Math.random): number {
  const interval = r.IntervalSeconds ?? 1;
  let delay = interval * Math.pow(r.BackoffRate ?? 2, attempt);
  if (r.MaxDelaySeconds !== undefined) delay = Math.min(delay, r.MaxDelaySeconds);
  if (r.JitterStrategy === 'FULL') delay = random() * delay;
  return delay * 1000;
}

function errorOutput(e: StatesError): Record<string, unknown> {
  const out: Record<string, unknown> = { Error: e.error };
  if (e.cause !== undefined) out.Cause = e.cause;
  return out;
}

export async function runState(
  name: string,
  state: StateDefinition,
  input: unknown,
  frame: Frame,
): Promise<StateOutcome> {
  const h = frame.rt.history;
  const type = state.Type;
  const enteredTime = frame.rt.clock().toISOString();
  const enteredId = h.record(`${type}StateEntered`, frame.prev, () => ({
    name,
    input: payloadText(frame, input),
    inputDetails: NOT_TRUNCATED,
  }));
  frame.prev = enteredId;
  const handler = handlers[type];
  const retryable = type === 'Task' || type === 'Parallel' || type === 'Map';
  const attempts: number[] = [];
  let retryCount = 0;
  for (;;) {
    const context = contextObject(frame, name, enteredTime, retryable ? retryCount : undefined);
    const scope = new StateScope(frame, name, state, input, context, enteredId);
    let outcome: StateOutcome;
    try {
      if (!handler) throw runtimeError(`Unsupported state type '${String(type)}'`);
      outcome = await handler(scope);
      checkPayload(name, outcome.output, frame);
    } catch (e) {
      if (e instanceof AbortedError) throw e;
      const err =
        e instanceof EvaluationError
          ? new StatesError(e.error, stateCause(name, enteredId, e.message))
          : toStatesError(e);
      if (!retryable || frame.signal.aborted) throw err;
      const retriers = state.Retry ?? [];
      const idx = isTerminal(err.error)
        ? -1
        : retriers.findIndex((r) => matches(r.ErrorEquals, err.error, type === 'Task'));
      const retrier = idx >= 0 ? retriers[idx] : undefined;
      if (retrier) {
        const done = attempts[idx] ?? 0;
        if (done < (retrier.MaxAttempts ?? 3)) {
          attempts[idx] = done + 1;
          retryCount++;
          if (!frame.rt.noWait) await sleep(retryDelayMs(retrier, done), frame.signal);
          continue;
        }
      }
      const catcher = (state.Catch ?? []).find((c) => matches(c.ErrorEquals, err.error, type === 'Task'));
      if (!catcher || isTerminal(err.error)) throw err;
      return exitState(scope, await catchOutcome(scope, catcher, err));
    }
    return exitState(scope, outcome);
  }
}

function exitState(scope: StateScope, outcome: StateOutcome): StateOutcome {
  const { frame, name, state } = scope;
  if (outcome.assign) {
    checkAssignSize(name, outcome.assign);
    frame.variables.assignAll(outcome.assign);
  }
  if (state.Type !== 'Fail') {
    frame.prev = frame.rt.history.record(`${state.Type}StateExited`, frame.prev, () => {
      const d: Record<string, unknown> = {
        name,
        output: payloadText(frame, outcome.output),
        outputDetails: NOT_TRUNCATED,
      };
      if (outcome.assign) {
        d.assignedVariables = Object.fromEntries(
          Object.entries(outcome.assign).map(([k, v]) => [k, stringify(v)]),
        );
        d.assignedVariablesDetails = NOT_TRUNCATED;
      }
      return d;
    });
  }
  return outcome;
}

async function catchOutcome(scope: StateScope, catcher: Catcher, err: StatesError): Promise<StateOutcome> {
  const errOut = errorOutput(err);
  if (scope.jsonata) {
    const b = { errorOutput: errOut };
    const output =
      catcher.Output === undefined ? errOut : await scope.jsonataTemplate(catcher.Output, 'Output', b);
    const assign = catcher.Assign
      ? ((await scope.jsonataTemplate(catcher.Assign, 'Assign', b)) as Record<string, unknown>)
      : undefined;
    return { output, next: catcher.Next, assign };
  }
  const output = scope.resultPath(errOut, catcher.ResultPath === undefined ? '$' : catcher.ResultPath);
  return { output, next: catcher.Next, assign: scope.assignJsonPath(catcher.Assign, errOut) };
}

export function checkPayload(name: string, output: unknown, frame?: Frame): void {
  if (output === undefined || output === null || (typeof output !== 'object' && typeof output !== 'string'))
    return;
  if (typeof output === 'string' && output.length * 3 <= PAYLOAD_LIMIT_BYTES) return;
  const size = payloadBytes(frame ? payloadText(frame, output) : JSON.stringify(output));
  if (size > PAYLOAD_LIMIT_BYTES)
    throw new StatesError(
      ErrorNames.DataLimitExceeded,
      `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    );
}

/** The effective input after Parameters/Arguments is held to the same quota. */
export function checkInputPayload(name: string, input: unknown): void {
  if (input === null || typeof input !== 'object') return;
  if (payloadBytes(JSON.stringify(input)) > PAYLOAD_LIMIT_BYTES)
    throw new StatesError(
      ErrorNames.DataLimitExceeded,
      `The state/task '${name}' has an input with a size exceeding the maximum number of bytes service limit.`,
    );
}

function checkAssignSize(name: string, assign: Record<string, unknown>): void {
  const size = payloadBytes(JSON.stringify(assign));
  if (size > PAYLOAD_LIMIT_BYTES)
    throw new StatesError(
      ErrorNames.DataLimitExceeded,
      `The state/task '${name}' assigned variables with a size exceeding the maximum number of bytes service limit.`,
    );
}

/** Next state of a non-Choice state (`undefined` when it ends the branch). */
export function nextOf(state: StateDefinition): string | undefined {
  return state.End ? undefined : state.Next;
}

/** ResultSelector/ResultPath/OutputPath (JSONPath) or Output (JSONata) and Assign, for Task, Map and Parallel. */
export async function finishWithResult(s: StateScope, result: unknown): Promise<StateOutcome> {
  const st = s.state;
  if (s.jsonata) {
    const b = { result };
    const output = st.Output === undefined ? result : await s.jsonataTemplate(st.Output, 'Output', b);
    const assign = st.Assign
      ? ((await s.jsonataTemplate(st.Assign, 'Assign', b)) as Record<string, unknown>)
      : undefined;
    return { output, next: nextOf(st), assign };
  }
  const selected = st.ResultSelector === undefined ? result : s.template(st.ResultSelector, result);
  const assign = s.assignJsonPath(st.Assign, selected);
  const output = s.outputPath(s.resultPath(selected));
  return { output, next: nextOf(st), assign };
}
