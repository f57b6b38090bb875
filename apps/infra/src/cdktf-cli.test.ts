import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { remoteBackendProblems } from './backend.js';
import type { BackendBlock } from './backend.js';
import { cdktfInvocation } from './cdktf-command.js';
import { CI_VARIABLES, placeholderBundles } from './test-support/synth.js';

const infraDir = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(infraDir, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};
const cdktfJson = JSON.parse(readFileSync(join(infraDir, 'cdktf.json'), 'utf8')) as {
  app: string;
  output: string;
};

/** environments.json as committed, with the placeholder bundles so no Lambda build is needed. */
function configWithPlaceholderBundles(): string {
  const dirs = placeholderBundles();
  const envs = JSON.parse(readFileSync(join(infraDir, 'environments.json'), 'utf8')) as Record<
    string,
    object
  >;
  const functions = { analyzer: { bundleDir: dirs.analyzer }, reporter: { bundleDir: dirs.reporter } };
  const path = join(mkdtempSync(join(tmpdir(), 'logflow-cli-')), 'environments.json');
  writeFileSync(
    path,
    JSON.stringify(Object.fromEntries(Object.entries(envs).map(([k, v]) => [k, { ...v, functions }]))),
  );
  return path;
}

function stacksIn(outdir: string): Record<string, unknown> {
  const stacks = join(outdir, 'stacks');
  return Object.fromEntries(
    readdirSync(stacks).map((name) => [
      name,
      JSON.parse(readFileSync(join(stacks, name, 'cdk.tf.json'), 'utf8')),
    ]),
  );
}

describe('cdktf-cli', () => {
  it('is pinned exactly as a devDependency', () => {
    expect(pkg.devDependencies['cdktf-cli']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('`pnpm synth` and `cdktf synth` run the same app and write the same stacks, each with a remote backend', () => {
    // The synth script is the cdktf.json app with telemetry off.
    expect(pkg.scripts.synth).toBe(`CHECKPOINT_DISABLE=1 ${cdktfJson.app}`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...CI_VARIABLES,
      LOGFLOW_INFRA_CONFIG: configWithPlaceholderBundles(),
      CHECKPOINT_DISABLE: '1',
    };
    delete env.LOGFLOW_ENVIRONMENTS;
    const viaScript = mkdtempSync(join(tmpdir(), 'logflow-synth-'));
    const script = spawnSync('sh', ['-c', pkg.scripts.synth!], {
      cwd: infraDir,
      env: { ...env, CDKTF_OUTDIR: viaScript },
      encoding: 'utf8',
    });
    expect(script.status, script.stdout + script.stderr).toBe(0);
    const viaCli = mkdtempSync(join(tmpdir(), 'logflow-cdktf-'));
    const cli = spawnSync(join(infraDir, 'node_modules/.bin/cdktf'), ['synth', '--output', viaCli], {
      cwd: infraDir,
      env,
      encoding: 'utf8',
    });
    expect(cli.status, cli.stdout + cli.stderr).toBe(0);
    const fromScript = stacksIn(viaScript);
    expect(Object.keys(fromScript).sort()).toEqual(['logflow-dev', 'logflow-prod']);
    expect(stacksIn(viaCli)).toEqual(fromScript);
    for (const [name, tf] of Object.entries(fromScript))
      expect(remoteBackendProblems(name, tf as BackendBlock)).toEqual([]);
  }, 120_000);
});

describe('deploy and diff scripts', () => {
  it('run cdktf on one environment stack, passing cdktf options through', () => {
    expect(cdktfInvocation(infraDir, ['deploy', 'dev', '--auto-approve'], CI_VARIABLES)).toEqual({
      args: ['deploy', 'logflow-dev', '--auto-approve'],
      env: { CHECKPOINT_DISABLE: '1', LOGFLOW_ENVIRONMENTS: 'dev' },
    });
    expect(cdktfInvocation(infraDir, ['--', 'diff', 'prod', '--', '--no-color'], CI_VARIABLES).args).toEqual([
      'diff',
      'logflow-prod',
      '--no-color',
    ]);
    expect(
      cdktfInvocation(infraDir, ['deploy', 'bootstrap'], {
        LOGFLOW_STATE_BUCKET: 's-1',
        GITHUB_REPOSITORY: 'a/b',
      }),
    ).toEqual({
      args: ['deploy', 'logflow-bootstrap'],
      env: { CHECKPOINT_DISABLE: '1', LOGFLOW_BOOTSTRAP: '1' },
    });
  });

  it('refuse an unknown command or environment, or a missing account value, before Terraform starts', () => {
    expect(() => cdktfInvocation(infraDir, ['apply', 'dev'], CI_VARIABLES)).toThrow(
      'usage: <deploy|diff|synth|output>',
    );
    expect(() => cdktfInvocation(infraDir, ['deploy'], CI_VARIABLES)).toThrow('deploy: name the environment');
    expect(() => cdktfInvocation(infraDir, ['deploy', 'staging'], CI_VARIABLES)).toThrow(
      'no environment named staging',
    );
    expect(() => cdktfInvocation(infraDir, ['diff', 'prod'], { LOGFLOW_STATE_BUCKET: 's-1' })).toThrow(
      'alarms.email reads ${env:LOGFLOW_ALARM_EMAIL}, which is not set',
    );
  });
});
