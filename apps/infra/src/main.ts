/**
 * Synthesizes one Terraform stack per environment into cdktf.out/stacks/<stack>/cdk.tf.json
 * (`pnpm synth`, or `cdktf synth`, which sets CDKTF_OUTDIR). No Terraform binary is needed.
 * With LOGFLOW_BOOTSTRAP=1 it synthesizes the one-time bootstrap stack instead (bootstrap.json).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesizeBootstrap, synthesizeEnvironments } from './app.js';
import { loadBootstrapConfig } from './bootstrap.js';
import { loadEnvironments } from './environments.js';

const infraDir = fileURLToPath(new URL('..', import.meta.url));
const configPath = resolve(infraDir, process.env.LOGFLOW_INFRA_CONFIG ?? 'environments.json');
const only = process.env.LOGFLOW_ENVIRONMENTS?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const outdir = resolve(process.env.CDKTF_OUTDIR ?? resolve(infraDir, 'cdktf.out'));

const app =
  process.env.LOGFLOW_BOOTSTRAP === '1'
    ? synthesizeBootstrap(loadBootstrapConfig(resolve(infraDir, 'bootstrap.json')), outdir)
    : synthesizeEnvironments(loadEnvironments(configPath, only), outdir);
console.log(`synthesized ${app.outdir}/stacks/`);
