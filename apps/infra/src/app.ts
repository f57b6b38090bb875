import { App } from 'cdktf';
import { BootstrapStack, bootstrapStackName } from './bootstrap.js';
import type { BootstrapConfig } from './bootstrap.js';
import type { InfraConfig } from './config.js';
import { LogflowStack, stackName } from './stack.js';

/** Synthesizes one stack per environment into `<outdir>/stacks/<stack>/cdk.tf.json`. */
export function synthesizeEnvironments(configs: InfraConfig[], outdir: string): App {
  const app = new App({ outdir });
  for (const config of configs) new LogflowStack(app, stackName(config), config);
  app.synth();
  return app;
}

/** Synthesizes the bootstrap stack alone into `<outdir>/stacks/<prefix>-bootstrap/cdk.tf.json`. */
export function synthesizeBootstrap(config: BootstrapConfig, outdir: string): App {
  const app = new App({ outdir });
  new BootstrapStack(app, bootstrapStackName(config), config);
  app.synth();
  return app;
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
