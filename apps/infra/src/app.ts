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
