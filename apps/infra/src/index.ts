export {
  DEFAULT_INFRA_CONFIG,
  EXPRESS_CHILD_ANALYZER_TIMEOUT_LIMIT,
  InfraConfigError,
  LOG_RETENTION_DAYS,
  resolveInfraConfig,
  stackWorkflowConfig,
} from './config.js';
export type { FunctionSettings, InfraConfig, InfraConfigInput, StateBackend } from './config.js';
export { remoteBackendProblems, synthesizeEnvironments } from './app.js';
export type { BackendBlock } from './app.js';
export { expandEnvReferences, loadEnvironments } from './environments.js';
export { LogflowStack, OUTPUT_NAMES, REPO_ROOT, defaultStateKey, stackName } from './stack.js';
export { UNSCOPED_RESOURCE_ACTIONS } from './policies.js';
export type { PolicyDocument, PolicyStatement } from './policies.js';
