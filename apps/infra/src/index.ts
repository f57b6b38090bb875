export {
  DEFAULT_INFRA_CONFIG,
  EXPRESS_CHILD_ANALYZER_TIMEOUT_LIMIT,
  InfraConfigError,
  LOG_RETENTION_DAYS,
  resolveInfraConfig,
  stackWorkflowConfig,
} from './config.js';
export type { FunctionSettings, InfraConfig, InfraConfigInput, StateBackend } from './config.js';
export { synthesizeBootstrap, synthesizeEnvironments } from './app.js';
export { STATE_KEY_PREFIX, defaultStateKey, remoteBackendProblems, remoteStateBackend } from './backend.js';
export type { BackendBlock } from './backend.js';
export { expandEnvReferences, loadEnvironments } from './environments.js';
export { LogflowStack, OUTPUT_NAMES, REPO_ROOT, stackName } from './stack.js';
export { UNSCOPED_RESOURCE_ACTIONS } from './policies.js';
export type { PolicyDocument, PolicyStatement } from './policies.js';
export { BootstrapStack, GITHUB_OIDC_URL, bootstrapStackName, loadBootstrapConfig } from './bootstrap.js';
export type { BootstrapConfig } from './bootstrap.js';
export {
  ciSubjects,
  deployRolePolicy,
  githubTrustPolicy,
  planRolePolicy,
  stackResourcePatterns,
} from './bootstrap-policies.js';
export type { CiRoleScope, CiSubjects } from './bootstrap-policies.js';
export { CDKTF_COMMANDS, cdktfInvocation } from './cdktf-command.js';
export type { CdktfCommand, CdktfInvocation } from './cdktf-command.js';
