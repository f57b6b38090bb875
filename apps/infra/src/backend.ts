import { S3Backend } from 'cdktf';
import type { TerraformStack } from 'cdktf';

/** Key prefix of every state object in the state bucket; the CI roles are scoped to it. */
export const STATE_KEY_PREFIX = 'logflow/';

/** Key of a stack's state object unless `stateBackend.key` says otherwise: `logflow/<name>/terraform.tfstate`. */
export function defaultStateKey(name: string): string {
  return `${STATE_KEY_PREFIX}${name}/terraform.tfstate`;
}

/**
 * An S3 backend, encrypted, with S3-native locking. cdktf 0.21 predates `use_lockfile`
 * (Terraform 1.10+), which replaces the deprecated DynamoDB lock table.
 */
export function remoteStateBackend(
  stack: TerraformStack,
  props: { bucket: string; key: string; region: string },
): S3Backend {
  const backend = new S3Backend(stack, { ...props, encrypt: true });
  backend.addOverride('use_lockfile', true);
  return backend;
}

/** The synthesized JSON's `terraform.backend`, as far as the backend rule reads it. */
export interface BackendBlock {
  terraform?: { backend?: Record<string, Record<string, unknown>> };
}

/**
 * What is wrong with a synthesized stack's backend for an environment CI deploys: anything but
 * S3 with S3-native locking and encryption. A local backend loses state with the runner.
 */
export function remoteBackendProblems(stack: string, tf: BackendBlock): string[] {
  const backends = Object.keys(tf.terraform?.backend ?? {});
  if (backends.length !== 1 || backends[0] !== 's3') {
    return [`${stack}: backend is ${backends.join(', ') || 'unset (CDKTF then writes a local one)'}, not s3`];
  }
  const s3 = tf.terraform!.backend!.s3!;
  const problems: string[] = [];
  if (typeof s3.bucket !== 'string' || s3.bucket === '')
    problems.push(`${stack}: s3 backend without a bucket`);
  if (s3.use_lockfile !== true) problems.push(`${stack}: s3 backend without use_lockfile`);
  if (s3.encrypt !== true) problems.push(`${stack}: s3 backend without encrypt`);
  if ('dynamodb_table' in s3) problems.push(`${stack}: s3 backend uses the deprecated dynamodb_table lock`);
  return problems;
}
