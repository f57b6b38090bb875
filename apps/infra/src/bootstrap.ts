/**
 * The one-time, per-account bootstrap: the state bucket every environment's S3 backend uses,
 * GitHub's OIDC provider, and the plan and deploy roles the workflows assume.
 */
import { readFileSync } from 'node:fs';
import type { Construct } from 'constructs';
import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsIamOpenidConnectProvider } from '@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider/index.js';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { STATE_KEY_PREFIX, defaultStateKey, remoteStateBackend } from './backend.js';
import { ciSubjects, deployRolePolicy, githubTrustPolicy, planRolePolicy } from './bootstrap-policies.js';
import {
  BUCKET_NAME_PATTERN,
  ENVIRONMENT_NAME_PATTERN,
  KMS_KEY_ARN_PATTERN,
  REGION_PATTERN,
} from './config.js';
import { expandEnvReferences } from './environments.js';
import { SecureBucket } from './constructs/secure-bucket.js';

/** GitHub Actions' OIDC issuer. */
export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';

export interface BootstrapConfig {
  region: string;
  namePrefix: string;
  /** The state bucket to create; every environment's `stateBackend.bucket`. */
  stateBucket: string;
  /** `owner/repo` whose workflows may assume the roles. */
  repository: string;
  /** Environments the roles plan and deploy (the keys of environments.json). */
  environments: string[];
  /** Create GitHub's OIDC provider (one per account); false looks up the existing one. */
  createOidcProvider: boolean;
  /** Customer managed keys the environments use (`kmsKeyArn`), for the deploy role. */
  kmsKeyArns: string[];
  /** First run only: keep the bootstrap's own state in a local file until the bucket exists. */
  localState: boolean;
}

/** Reads and checks `bootstrap.json` (with `${env:NAME}` values); errors name the file and field. */
export function loadBootstrapConfig(
  path: string,
  env: Record<string, string | undefined> = process.env,
): BootstrapConfig {
  const fail = (field: string, problem: string): never => {
    throw new Error(`${path}: ${field} ${problem}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: cannot read the bootstrap config: ${(error as Error).message}`);
  }
  const c = expandEnvReferences(raw, env, fail) as Partial<BootstrapConfig>;
  const config: BootstrapConfig = {
    region: c.region ?? 'eu-west-1',
    namePrefix: c.namePrefix ?? 'logflow',
    stateBucket: c.stateBucket ?? fail('stateBucket', 'is required'),
    repository: c.repository ?? fail('repository', 'is required (owner/repo)'),
    environments: c.environments ?? fail('environments', 'is required'),
    createOidcProvider: c.createOidcProvider ?? true,
    kmsKeyArns: c.kmsKeyArns ?? [],
    localState: env.LOGFLOW_BOOTSTRAP_STATE === 'local',
  };
  if (!REGION_PATTERN.test(config.region)) fail('region', `"${config.region}" is not an AWS region name`);
  if (!BUCKET_NAME_PATTERN.test(config.stateBucket)) fail('stateBucket', 'must be an S3 bucket name');
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(config.repository))
    fail('repository', `"${config.repository}" is not owner/repo`);
  if (!Array.isArray(config.environments) || config.environments.length === 0)
    fail('environments', 'must list at least one environment');
  for (const name of config.environments) {
    if (typeof name !== 'string' || !ENVIRONMENT_NAME_PATTERN.test(name))
      fail('environments', `has an invalid name "${String(name)}"`);
    // The deploy role manages `<prefix>-<env>-*` buckets: the state bucket must not be one of them.
    if (config.stateBucket.startsWith(`${config.namePrefix}-${name}-`))
      fail(
        'stateBucket',
        `"${config.stateBucket}" falls under the ${name} stack's bucket names; choose another name`,
      );
  }
  if (typeof config.createOidcProvider !== 'boolean') fail('createOidcProvider', 'must be true or false');
  if (!Array.isArray(config.kmsKeyArns)) fail('kmsKeyArns', 'must be a list of KMS key ARNs');
  for (const arn of config.kmsKeyArns) {
    if (typeof arn !== 'string' || !KMS_KEY_ARN_PATTERN.test(arn))
      fail('kmsKeyArns', `has "${String(arn)}", which is not a KMS key ARN`);
  }
  return config;
}

/** The bootstrap stack's name. */
export function bootstrapStackName(config: Pick<BootstrapConfig, 'namePrefix'>): string {
  return `${config.namePrefix}-bootstrap`;
}

export class BootstrapStack extends TerraformStack {
  constructor(scope: Construct, id: string, config: BootstrapConfig) {
    super(scope, id);
    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: { Project: 'logflow', Component: 'bootstrap' } }],
    });
    if (config.localState) {
      // apps/infra/terraform.<stack>.tfstate, outside the synth output (see the environment stacks).
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    } else {
      remoteStateBackend(this, {
        bucket: config.stateBucket,
        key: defaultStateKey('bootstrap'),
        region: config.region,
      });
    }
    const accountId = new DataAwsCallerIdentity(this, 'account').accountId;
    const partition = new DataAwsPartition(this, 'partition').partition;

    const state = new SecureBucket(this, 'state-bucket', {
      bucketName: config.stateBucket,
      // Every apply writes a new version: keep 90 days of them to roll a state back.
      noncurrentVersionDays: 90,
      expirations: [],
    }).bucket;

    const oidcProviderArn = config.createOidcProvider
      ? new IamOpenidConnectProvider(this, 'github-oidc', {
          url: GITHUB_OIDC_URL,
          clientIdList: ['sts.amazonaws.com'],
        }).arn
      : new DataAwsIamOpenidConnectProvider(this, 'github-oidc', { url: GITHUB_OIDC_URL }).arn;

    const roleScope = {
      partition,
      accountId,
      region: config.region,
      namePrefix: config.namePrefix,
      environments: config.environments,
      stateBucket: config.stateBucket,
      stateKeyPrefix: STATE_KEY_PREFIX,
      kmsKeyArns: config.kmsKeyArns,
    };
    const subjects = ciSubjects(config.repository, config.environments);
    const role = (name: string, subjectList: string[], policy: object): IamRole => {
      const r = new IamRole(this, `${name}-role`, {
        name: `${config.namePrefix}-github-${name}`,
        description: `GitHub Actions of ${config.repository}: logflow ${name}`,
        assumeRolePolicy: JSON.stringify(githubTrustPolicy(oidcProviderArn, subjectList)),
        maxSessionDuration: 3600,
      });
      new IamRolePolicy(this, `${name}-policy`, {
        name: `${config.namePrefix}-github-${name}`,
        role: r.name,
        policy: JSON.stringify(policy),
      });
      return r;
    };
    const plan = role('plan', subjects.plan, planRolePolicy(roleScope));
    const deploy = role('deploy', subjects.deploy, deployRolePolicy(roleScope));

    new TerraformOutput(this, 'state_bucket', { value: state.bucket, description: 'LOGFLOW_STATE_BUCKET' });
    new TerraformOutput(this, 'plan_role_arn', { value: plan.arn, description: 'AWS_PLAN_ROLE_ARN' });
    new TerraformOutput(this, 'deploy_role_arn', { value: deploy.arn, description: 'AWS_DEPLOY_ROLE_ARN' });
  }
}
