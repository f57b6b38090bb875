import { readFileSync } from 'node:fs';
import { resolveInfraConfig } from './config.js';
import type { InfraConfig, InfraConfigInput } from './config.js';

/**
 * Reads `environments.json`: an object keyed by environment name whose values are partial
 * `InfraConfig`s. `only` (e.g. from `LOGFLOW_ENVIRONMENTS=dev`) selects some of them.
 */
export function loadEnvironments(path: string, only?: string[]): InfraConfig[] {
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
        return resolveInfraConfig({ ...(value as Omit<InfraConfigInput, 'environment'>), environment: name });
      } catch (error) {
        throw new Error(`${path}: ${(error as Error).message}`);
      }
    });
}
