import { readFileSync } from 'node:fs';
import { resolveInfraConfig } from './config.js';
import type { InfraConfig, InfraConfigInput } from './config.js';

/** A whole string value `${env:NAME}` is replaced by the environment variable NAME. */
const ENV_REFERENCE = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;

/**
 * Replaces every `${env:NAME}` string in `value` with `env[NAME]`, so account-specific values
 * (state bucket, alarm address) come from CI variables instead of the committed file. An unset
 * variable is an error naming the field and the variable.
 */
export function expandEnvReferences(
  value: unknown,
  env: Record<string, string | undefined>,
  fail: (field: string, problem: string) => never,
  field = '',
): unknown {
  if (typeof value === 'string') {
    const match = ENV_REFERENCE.exec(value);
    if (!match) return value;
    const name = match[1]!;
    const resolved = env[name];
    if (resolved === undefined || resolved === '') fail(field, `reads \${env:${name}}, which is not set`);
    return resolved;
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnvReferences(v, env, fail, `${field}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        expandEnvReferences(v, env, fail, field === '' ? k : `${field}.${k}`),
      ]),
    );
  }
  return value;
}

/**
 * Reads `environments.json`: an object keyed by environment name whose values are partial
 * `InfraConfig`s, with `${env:NAME}` strings taken from `env`. `only` (e.g. from
 * `LOGFLOW_ENVIRONMENTS=dev`) selects some of them; the others are not checked.
 */
export function loadEnvironments(
  path: string,
  only?: string[],
  env: Record<string, string | undefined> = process.env,
): InfraConfig[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: cannot read environments: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${path}: expected an object keyed by environment name`);
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  const unknown = (only ?? []).filter((name) => !entries.some(([key]) => key === name));
  if (unknown.length > 0) throw new Error(`${path}: no environment named ${unknown.join(', ')}`);
  return entries
    .filter(([name]) => !only || only.includes(name))
    .map(([name, value]) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new Error(`${path}: environment "${name}" must be an object`);
      }
      if ('environment' in value && (value as { environment: unknown }).environment !== name) {
        throw new Error(`${path}: environment "${name}" sets a different "environment" field`);
      }
      try {
        const expanded = expandEnvReferences(value, env, (field, problem) => {
          throw new Error(`infra config "${name}": ${field} ${problem}`);
        }) as Omit<InfraConfigInput, 'environment'>;
        return resolveInfraConfig({ ...expanded, environment: name });
      } catch (error) {
        throw new Error(`${path}: ${(error as Error).message}`);
      }
    });
}
