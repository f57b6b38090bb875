export { jsonata, toJson } from './asl.js';
export type {
  Catcher,
  ChildExecutionType,
  ItemProcessor,
  JsonValue,
  JsonataString,
  MapState,
  PassState,
  Retrier,
  State,
  StateMachineDefinition,
  TaskState,
} from './asl.js';
export { WORKFLOW_DEFAULTS, resolveDailyWorkflowConfig } from './config.js';
export type { DailyWorkflowConfig, ResolvedDailyWorkflowConfig } from './config.js';
export {
  FAILED_CAUSE_MAX_CHARS,
  INTEGRATIONS,
  STATE_NAMES,
  buildDailyWorkflowDefinition,
} from './daily-workflow.js';
export type { ScheduledRunInput } from './daily-workflow.js';
export { localWorkflowConfig } from './local.js';
