/**
 * @logflow/local-sfn — the Step Functions API (awsJson1_0) backed by @logflow/asl-runtime:
 * state machines, executions, histories, Map Runs, redrive, validation and TestState, kept in
 * a folder. Mount it on the local-aws endpoint with `mountStepFunctions()`.
 */
export { mountStepFunctions, type MountContext, type MountOptions } from './mount.js';
export {
  StepFunctionsService,
  type ServiceIntegrations,
  type StepFunctionsServiceOptions,
} from './service.js';
export { handleRequest } from './http.js';
export { SfnError, type SfnErrorCode } from './errors.js';
export { resumePoint, type ResumePoint, type WireEvent } from './redrive-plan.js';
