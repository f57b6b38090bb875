import { resolve } from 'node:path';
import { bootstrapStackName, loadBootstrapConfig } from './bootstrap.js';
import { loadEnvironments } from './environments.js';
import { stackName } from './stack.js';

/** The `cdktf` subcommands the package scripts wrap. */
export const CDKTF_COMMANDS = ['deploy', 'diff', 'synth', 'output'] as const;
export type CdktfCommand = (typeof CDKTF_COMMANDS)[number];

export interface CdktfInvocation {
  /** Arguments of the `cdktf` binary. */
  args: string[];
  /** Variables added to the environment: which stack the app synthesizes, no telemetry. */
  env: Record<string, string>;
}

/**
 * `deploy dev --auto-approve` → `cdktf deploy logflow-dev --auto-approve` with the app limited
 * to that environment; `bootstrap` targets the bootstrap stack. The configuration is loaded
 * (and checked) here, so a missing `${env:}` value fails before Terraform starts.
 */
export function cdktfInvocation(
  infraDir: string,
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): CdktfInvocation {
  const [command, target, ...rest] = argv[0] === '--' ? argv.slice(1) : argv;
  if (!CDKTF_COMMANDS.includes(command as CdktfCommand)) {
    throw new Error(`usage: <${CDKTF_COMMANDS.join('|')}> <environment|bootstrap> [cdktf options]`);
  }
  if (target === undefined || target.startsWith('-')) {
    throw new Error(`${command}: name the environment (a key of environments.json) or "bootstrap"`);
  }
  const passThrough = rest[0] === '--' ? rest.slice(1) : rest;
  const base = { CHECKPOINT_DISABLE: '1' };
  if (target === 'bootstrap') {
    const config = loadBootstrapConfig(resolve(infraDir, 'bootstrap.json'), env);
    return {
      args: [command!, bootstrapStackName(config), ...passThrough],
      env: { ...base, LOGFLOW_BOOTSTRAP: '1' },
    };
  }
  const configPath = resolve(infraDir, env.LOGFLOW_INFRA_CONFIG ?? 'environments.json');
  const [config] = loadEnvironments(configPath, [target], env);
  return {
    args: [command!, stackName(config!), ...passThrough],
    env: { ...base, LOGFLOW_ENVIRONMENTS: target },
  };
}
