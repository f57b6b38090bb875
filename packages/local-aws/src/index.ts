export { startLocalAws, LOCAL_CREDENTIALS, type LocalAws, type LocalAwsOptions } from './local-aws.js';
export { startLocalAwsProcess } from './process.js';
