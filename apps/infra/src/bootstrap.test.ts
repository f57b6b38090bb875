import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { remoteBackendProblems } from './backend.js';
import { loadBootstrapConfig } from './bootstrap.js';
import { scanBuckets, scanFunctionsAndRoles, scanPolicies } from './policy-scan.js';
import { BOOTSTRAP_FILE, BOOTSTRAP_VARIABLES, synthBootstrap } from './test-support/synth.js';

const committed = BOOTSTRAP_FILE;
const environmentsFile = fileURLToPath(new URL('../environments.json', import.meta.url));
const variables = BOOTSTRAP_VARIABLES;

describe('bootstrap config', () => {
  it('covers exactly the environments and customer keys of environments.json', () => {
    const envs = JSON.parse(readFileSync(environmentsFile, 'utf8')) as Record<string, { kmsKeyArn?: string }>;
    const bootstrap = loadBootstrapConfig(committed, variables);
    expect(bootstrap.environments).toEqual(Object.keys(envs));
    // The deploy role may use exactly the customer keys the environments name.
    const keys = Object.values(envs).flatMap((e) => (e.kmsKeyArn ? [e.kmsKeyArn] : []));
    expect([...bootstrap.kmsKeyArns].sort()).toEqual([...new Set(keys)].sort());
  });

  it('names the file, the field and the variable', () => {
    expect(() => loadBootstrapConfig(committed, { GITHUB_REPOSITORY: 'acme/logflow' })).toThrow(
      `${committed}: stateBucket reads \${env:LOGFLOW_STATE_BUCKET}, which is not set`,
    );
    const path = join(tmpdir(), `logflow-bootstrap-${process.pid}.json`);
    writeFileSync(
      path,
      JSON.stringify({ stateBucket: 'logflow-prod-state', repository: 'acme', environments: ['prod'] }),
    );
    expect(() => loadBootstrapConfig(path, {})).toThrow(`${path}: repository "acme" is not owner/repo`);
    writeFileSync(
      path,
      JSON.stringify({ stateBucket: 'logflow-prod-state', repository: 'a/b', environments: ['prod'] }),
    );
    expect(() => loadBootstrapConfig(path, {})).toThrow(
      `${path}: stateBucket "logflow-prod-state" falls under the prod stack's bucket names`,
    );
    writeFileSync(
      path,
      JSON.stringify({
        stateBucket: 'acme-state',
        repository: 'a/b',
        environments: ['prod'],
        kmsKeyArns: ['alias/x'],
      }),
    );
    expect(() => loadBootstrapConfig(path, {})).toThrow(
      `${path}: kmsKeyArns has "alias/x", which is not a KMS key ARN`,
    );
  });
});

describe('bootstrap stack', () => {
  const tf = synthBootstrap();

  it('keeps its own state in the bucket it creates, or locally on the first run only', () => {
    expect(remoteBackendProblems('logflow-bootstrap', tf)).toEqual([]);
    expect(tf.terraform.backend?.s3?.key).toBe('logflow/bootstrap/terraform.tfstate');
    expect(synthBootstrap({ localState: true }).terraform.backend).toEqual({
      local: { path: '../../../terraform.logflow-bootstrap.tfstate' },
    });
  });

  it('creates a private, encrypted, versioned, TLS-only state bucket', () => {
    const buckets = Object.values(tf.resource.aws_s3_bucket ?? {});
    expect(buckets.map((b) => b.bucket)).toEqual(['acme-terraform-state']);
    expect(scanBuckets(tf)).toEqual([]);
    expect(Object.values(tf.resource.aws_s3_bucket_versioning ?? {})[0]?.versioning_configuration).toEqual({
      status: 'Enabled',
    });
  });

  it("trusts only this repository's pull requests and main (plan) and its environments (deploy)", () => {
    const trust = (id: string) =>
      (
        JSON.parse(tf.resource.aws_iam_role![id]!.assume_role_policy as string) as {
          Statement: { Condition: { StringEquals: Record<string, unknown> } }[];
        }
      ).Statement[0]!.Condition.StringEquals;
    expect(trust('plan-role')).toEqual({
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': [
        'repo:acme/logflow:pull_request',
        'repo:acme/logflow:ref:refs/heads/main',
      ],
    });
    expect(trust('deploy-role')['token.actions.githubusercontent.com:sub']).toEqual([
      'repo:acme/logflow:environment:dev',
      'repo:acme/logflow:environment:prod',
    ]);
  });

  it('passes the policy scan: no wildcard action, `*` only for calls without resource-level permissions', () => {
    const { checked, problems } = scanPolicies(tf);
    expect(checked).toBe(5);
    expect(problems).toEqual([
      // kms:CreateKey names no key yet; its request must tag the key as a logflow key.
      'aws_iam_role_policy.deploy-policy statement CreateAlarmKey: "kms:CreateKey" on unscoped resource "*"',
      'aws_iam_role_policy.deploy-policy statement TagNewAlarmKey: "kms:TagResource" on unscoped resource "*"',
    ]);
    expect(scanFunctionsAndRoles(tf)).toEqual([]);
  });

  it('looks up an existing OIDC provider instead of creating a second one', () => {
    const existing = synthBootstrap({ createOidcProvider: false });
    expect(existing.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(existing.data.aws_iam_openid_connect_provider?.['github-oidc']).toEqual({
      url: 'https://token.actions.githubusercontent.com',
    });
  });
});
