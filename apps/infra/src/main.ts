/**
 * Synthesizes one Terraform stack per environment into cdktf.out/stacks/<stack>/cdk.tf.json.
 * No Terraform binary or provider download is needed: `pnpm synth`.
 */
import { fileURLToPath } from 'node:url';
import { App } from 'cdktf';
import { loadEnvironments } from './environments.js';
import { LogflowStack, stackName } from './stack.js';

const infraDir = fileURLToPath(new URL('..', import.meta.url));
const configPath = process.env.LOGFLOW_INFRA_CONFIG ?? `${infraDir}environments.json`;
const only = process.env.LOGFLOW_ENVIRONMENTS?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);

const app = new App({ outdir: `${infraDir}cdktf.out` });
for (const config of loadEnvironments(configPath, only)) {
  new LogflowStack(app, stackName(config), config);
}
app.synth();
console.log(`synthesized ${app.outdir}/stacks/`);
