import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { synthesizeEnvironments } from './app.js';
import { remoteBackendProblems } from './backend.js';
import type { BackendBlock } from './backend.js';
import { resolveInfraConfig } from './config.js';
import type { InfraConfig } from './config.js';
import { loadEnvironments } from './environments.js';
import { CI_VARIABLES, placeholderBundles } from './test-support/synth.js';

const committed = fileURLToPath(new URL('../environments.json', import.meta.url));

/** The configs with the placeholder bundles, so synthesis needs no Lambda build. */
function withPlaceholderBundles(configs: InfraConfig[]): InfraConfig[] {
  const dirs = placeholderBundles();
  return configs.map((c) => ({
    ...c,
    functions: {
      analyzer: { ...c.functions.analyzer, bundleDir: dirs.analyzer },
      reporter: { ...c.functions.reporter, bundleDir: dirs.reporter },
    },
  }));
}

/** Every stack the real App writes, as parsed cdk.tf.json, by stack name. */
function synthesized(configs: InfraConfig[]): Record<string, BackendBlock> {
  const outdir = mkdtempSync(join(tmpdir(), 'logflow-backend-'));
  synthesizeEnvironments(withPlaceholderBundles(configs), outdir);
  const stacks = join(outdir, 'stacks');
  return Object.fromEntries(
    readdirSync(stacks).map((name) => [
      name,
      JSON.parse(readFileSync(join(stacks, name, 'cdk.tf.json'), 'utf8')) as BackendBlock,
    ]),
  );
}

describe('state backend rule', () => {
  it('every committed environment synthesizes a remote S3 backend with locking and encryption', () => {
    const stacks = synthesized(loadEnvironments(committed, undefined, CI_VARIABLES));
    expect(Object.keys(stacks).sort()).toEqual(['logflow-dev', 'logflow-prod']);
    for (const [name, tf] of Object.entries(stacks)) {
      expect(remoteBackendProblems(name, tf)).toEqual([]);
      expect(tf.terraform?.backend?.s3?.key).toBe(
        `logflow/${name.replace('logflow-', '')}/terraform.tfstate`,
      );
    }
  }, 30_000);

  it('flags a local backend, a missing lock file and the deprecated lock table', () => {
    const sandbox = resolveInfraConfig({ environment: 'me', sandbox: true });
    const stacks = synthesized([sandbox]);
    expect(remoteBackendProblems('logflow-me', stacks['logflow-me']!)).toEqual([
      'logflow-me: backend is local, not s3',
    ]);
    expect(remoteBackendProblems('x', {})).toEqual([
      'x: backend is unset (CDKTF then writes a local one), not s3',
    ]);
    expect(
      remoteBackendProblems('x', {
        terraform: { backend: { s3: { bucket: 'b', encrypt: false, dynamodb_table: 'locks' } } },
      }),
    ).toEqual([
      'x: s3 backend without use_lockfile',
      'x: s3 backend without encrypt',
      'x: s3 backend uses the deprecated dynamodb_table lock',
    ]);
  }, 30_000);
});
