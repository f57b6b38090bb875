/** Error names Step Functions reports, and helpers that build them with AWS's cause texts. */
import { StatesError } from './integrations.js';

export const ErrorNames = {
  ALL: 'States.ALL',
  Runtime: 'States.Runtime',
  TaskFailed: 'States.TaskFailed',
  Timeout: 'States.Timeout',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  DataLimitExceeded: 'States.DataLimitExceeded',
  BranchFailed: 'States.BranchFailed',
  QueryEvaluationError: 'States.QueryEvaluationError',
  ItemReaderFailed: 'States.ItemReaderFailed',
  ResultWriterFailed: 'States.ResultWriterFailed',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  Permissions: 'States.Permissions',
} as const;

/** A failure raised while evaluating a field; the interpreter prefixes the state context. */
export class EvaluationError extends Error {
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = 'EvaluationError';
  }
}

export const runtimeError = (message: string) => new EvaluationError(ErrorNames.Runtime, message);
export const queryError = (message: string) => new EvaluationError(ErrorNames.QueryEvaluationError, message);

/** AWS's standard prefix for errors raised while a state runs. */
export function stateCause(stateName: string, enteredEventId: number, message: string): string {
  return `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). ${message}`;
}

/** Errors that `States.ALL` does not match and that no Retry/Catch handles. */
export function isTerminal(error: string): boolean {
  return error === ErrorNames.Runtime || error === ErrorNames.DataLimitExceeded;
}

/** Normalises anything thrown into `{error, cause}`. */
export function toStatesError(e: unknown): StatesError {
  if (e instanceof StatesError) return e;
  if (e instanceof EvaluationError) return new StatesError(e.error, e.message);
  if (e && typeof e === 'object' && 'error' in e && typeof (e as { error: unknown }).error === 'string') {
    const cause = (e as { cause?: unknown }).cause;
    return new StatesError((e as { error: string }).error, typeof cause === 'string' ? cause : undefined);
  }
  if (e instanceof Error) return new StatesError(e.name && e.name !== 'Error' ? e.name : 'Error', e.message);
  return new StatesError(ErrorNames.TaskFailed, String(e));
}

export { StatesError };
