/**
 * @logflow/asl-runtime — a local Amazon States Language interpreter (JSONPath and JSONata,
 * every state type, inline and Distributed Map) with pluggable service integrations.
 */
export * from './integrations.js';
export * from './integrations/index.js';
export {
  startExecution,
  runExecution,
  parseDefinition,
  type ExecutionOptions,
  type ExecutionResult,
  type ExecutionHandle,
  type ExecutionStatus,
  type RedrivePlan,
} from './execution.js';
export type { ChildExecution, MapRunProgress, RedriveMapRun } from './interpreter.js';
export type { HistoryEvent, EventListener } from './history.js';
export { validateDefinition, formatIssues, type ValidationIssue, type ValidationResult } from './validate.js';
export { ErrorNames } from './errors.js';
export type * from './types.js';
