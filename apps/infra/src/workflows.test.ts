import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const workflowsDir = fileURLToPath(new URL('../../../.github/workflows/', import.meta.url));
const validator = fileURLToPath(new URL('../node_modules/.bin/action-validator', import.meta.url));
const files = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f));

interface Step {
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  strategy?: { matrix?: unknown; 'fail-fast'?: boolean };
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const text = (file: string) => readFileSync(join(workflowsDir, file), 'utf8');
const workflow = (file: string) => parse(text(file)) as Workflow;
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');
const validate = (path: string) => spawnSync(validator, [path], { encoding: 'utf8' });

describe('GitHub workflows', () => {
  it('are the deploy and pull-request workflows', () => {
    expect(files.sort()).toEqual(['deploy.yml', 'pull-request.yml']);
  });

  it.each(files)('%s passes action-validator', (file) => {
    const result = validate(join(workflowsDir, file));
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('action-validator rejects a broken workflow', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'logflow-wf-')), 'broken.yml');
    writeFileSync(path, text('deploy.yml').replace('runs-on: ubuntu-latest', 'runs-on: [ubuntu-latest'));
    expect(validate(path).status).not.toBe(0);
    writeFileSync(path, text('deploy.yml').replace('needs: test', 'needz: test'));
    expect(validate(path).status).not.toBe(0);
  });

  it.each(files)('%s pins every action by full commit SHA with its tag in a comment', (file) => {
    const uses = text(file)
      .split('\n')
      .filter((line) => /^\s*(-\s+)?uses:/.test(line));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('deploys dev, then prod in a job of its own that needs dev and waits for the prod environment', () => {
    const { jobs, on } = workflow('deploy.yml');
    expect(Object.keys(on)).toContain('push');
    expect(Object.values(jobs).some((j) => j.strategy?.matrix)).toBe(false);
    const dev = jobs['deploy-dev']!;
    const plan = jobs['plan-prod']!;
    const prod = jobs['deploy-prod']!;
    expect(dev.environment).toBe('dev');
    expect(prod.environment).toBe('prod');
    expect(prod.needs).toEqual(['deploy-dev', 'plan-prod']);
    expect(runs(dev)).toContain('pnpm --filter @logflow/infra run deploy dev --auto-approve');
    expect(runs(prod)).toContain('pnpm --filter @logflow/infra run deploy prod --auto-approve');
    // The plan reviewers read: prod's diff, in the run summary, from a job that has no environment gate.
    expect(plan.environment).toBeUndefined();
    expect(runs(plan)).toContain('pnpm --filter @logflow/infra run diff prod');
    expect(runs(plan)).toContain('GITHUB_STEP_SUMMARY');
    expect(text('deploy.yml')).not.toMatch(/terraform (apply|plan)/);
  });

  it('runs at most one deployment per environment at a time, never cancelling one', () => {
    const { jobs } = workflow('deploy.yml');
    expect(jobs['deploy-dev']!.concurrency).toEqual({
      group: 'logflow-deploy-dev',
      'cancel-in-progress': false,
    });
    expect(jobs['deploy-prod']!.concurrency).toEqual({
      group: 'logflow-deploy-prod',
      'cancel-in-progress': false,
    });
  });

  it('assumes the deploy role only in environment jobs and the plan role elsewhere', () => {
    for (const file of files) {
      for (const [name, job] of Object.entries(workflow(file).jobs)) {
        const role = job.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))
          ?.with?.['role-to-assume'];
        if (role === undefined) {
          expect(job.permissions?.['id-token'], `${file} ${name}`).toBeUndefined();
          continue;
        }
        expect(job.permissions?.['id-token'], `${file} ${name}`).toBe('write');
        expect(role, `${file} ${name}`).toBe(
          job.environment ? '${{ vars.AWS_DEPLOY_ROLE_ARN }}' : '${{ vars.AWS_PLAN_ROLE_ARN }}',
        );
      }
    }
  });

  it('plans pull requests per environment, only for branches of this repository, with the read-only role', () => {
    const { jobs } = workflow('pull-request.yml');
    const plan = jobs.plan!;
    expect(plan.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    expect(plan.strategy).toEqual({ 'fail-fast': false, matrix: { environment: ['dev', 'prod'] } });
    expect(plan.environment).toBeUndefined();
    expect(runs(plan)).toContain('pnpm --filter @logflow/infra run diff "$ENVIRONMENT"');
    const diff = plan.steps.find((s) => s.run?.includes('run diff'))!;
    expect(diff.env?.TF_CLI_ARGS_plan).toBe('-lock=false');
  });

  it('pass the account values environments.json reads', () => {
    const envs = readFileSync(fileURLToPath(new URL('../environments.json', import.meta.url)), 'utf8');
    const variables = [...new Set([...envs.matchAll(/\$\{env:([A-Z_]+)\}/g)].map((m) => m[1]!))].sort();
    expect(variables).toEqual(['LOGFLOW_ALARM_EMAIL', 'LOGFLOW_STATE_BUCKET']);
    for (const file of files) {
      for (const name of variables) expect(workflow(file).env?.[name]).toBe(`\${{ vars.${name} }}`);
    }
  });
});
