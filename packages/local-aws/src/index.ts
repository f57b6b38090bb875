export {
  startLocalAws,
  LOCAL_CREDENTIALS,
  type LocalAws,
  type LocalAwsCredentials,
  type LocalAwsOptions,
  type MountContext,
  type MountedService,
} from './local-aws.js';
export { startLocalAwsProcess } from './process.js';
export { itemSize, type RequestCounts } from './request-counter.js';
