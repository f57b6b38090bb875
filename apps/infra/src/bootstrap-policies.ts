/**
 * Policies of the two roles GitHub Actions assumes: `plan` reads the state and the stacks'
 * own resources, `deploy` manages them. Both are scoped to the names every environment stack
 * uses (`<prefix>-<env>-*`, see `resourceNames()`), never to the whole account.
 */
import type { PolicyDocument, PolicyStatement } from './policies.js';

export interface CiRoleScope {
  partition: string;
  accountId: string;
  region: string;
  namePrefix: string;
  /** The environments the roles plan and deploy, e.g. `['dev', 'prod']`. */
  environments: string[];
  stateBucket: string;
  /** Key prefix of every environment's state object (`logflow/` gives `logflow/<env>/terraform.tfstate`). */
  stateKeyPrefix: string;
  /** Customer managed keys environments use (`kmsKeyArn`). */
  kmsKeyArns: string[];
}

/** The GitHub OIDC token's `sub` values each role trusts. */
export interface CiSubjects {
  plan: string[];
  deploy: string[];
}

/** `repo:<owner>/<repo>:…` subjects: PRs and main may plan; each environment's jobs may deploy. */
export function ciSubjects(repository: string, environments: string[]): CiSubjects {
  return {
    plan: [`repo:${repository}:pull_request`, `repo:${repository}:ref:refs/heads/main`],
    deploy: environments.map((env) => `repo:${repository}:environment:${env}`),
  };
}

/** Trust policy for GitHub's OIDC provider, limited to this repository's subjects. */
export function githubTrustPolicy(oidcProviderArn: string, subjects: string[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'GitHubActions',
        Effect: 'Allow',
        Principal: { Federated: oidcProviderArn },
        Action: ['sts:AssumeRoleWithWebIdentity'],
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': subjects,
          },
        },
      },
    ],
  };
}

/** ARN patterns of one environment's resources, by kind. */
export function stackResourcePatterns(s: CiRoleScope, env: string) {
  const base = `${s.namePrefix}-${env}`;
  const { partition: p, region: r, accountId: a } = s;
  return {
    buckets: `arn:${p}:s3:::${base}-*`,
    objects: `arn:${p}:s3:::${base}-*/*`,
    table: `arn:${p}:dynamodb:${r}:${a}:table/${base}-*`,
    functions: `arn:${p}:lambda:${r}:${a}:function:${base}-*`,
    roles: `arn:${p}:iam::${a}:role/${base}-*`,
    stateMachines: `arn:${p}:states:${r}:${a}:stateMachine:${base}-*`,
    schedules: `arn:${p}:scheduler:${r}:${a}:schedule/default/${base}-*`,
    logGroups: [
      `arn:${p}:logs:${r}:${a}:log-group:/aws/lambda/${base}-*`,
      `arn:${p}:logs:${r}:${a}:log-group:/aws/vendedlogs/states/${base}-*`,
    ],
    alarms: `arn:${p}:cloudwatch:${r}:${a}:alarm:${base}-*`,
    dashboard: `arn:${p}:cloudwatch::${a}:dashboard/${base}`,
    topics: `arn:${p}:sns:${r}:${a}:${base}-*`,
  };
}

/** `alias/<prefix>-<env>-alarms` of every environment: see `alarmKeyAlias`. */
const alarmKeyAliases = (s: CiRoleScope) =>
  s.environments.map((env) => `alias/${s.namePrefix}-${env}-alarms`);

const across = (s: CiRoleScope, pick: (p: ReturnType<typeof stackResourcePatterns>) => string | string[]) =>
  s.environments.flatMap((env) => pick(stackResourcePatterns(s, env)));

/** Read calls Terraform makes to refresh each kind of resource of the stack. */
const READ = {
  s3: [
    's3:ListBucket',
    's3:GetBucketAcl',
    's3:GetBucketCORS',
    's3:GetBucketLogging',
    's3:GetBucketObjectLockConfiguration',
    's3:GetBucketOwnershipControls',
    's3:GetBucketPolicy',
    's3:GetBucketPublicAccessBlock',
    's3:GetBucketRequestPayment',
    's3:GetBucketTagging',
    's3:GetBucketVersioning',
    's3:GetBucketWebsite',
    's3:GetAccelerateConfiguration',
    's3:GetEncryptionConfiguration',
    's3:GetLifecycleConfiguration',
    's3:GetReplicationConfiguration',
  ],
  dynamodb: [
    'dynamodb:DescribeTable',
    'dynamodb:DescribeContinuousBackups',
    'dynamodb:DescribeTimeToLive',
    'dynamodb:ListTagsOfResource',
  ],
  lambda: [
    'lambda:GetFunction',
    'lambda:GetFunctionCodeSigningConfig',
    'lambda:GetFunctionConfiguration',
    'lambda:GetPolicy',
    'lambda:ListTags',
    'lambda:ListVersionsByFunction',
  ],
  iam: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'],
  states: ['states:DescribeStateMachine', 'states:ListStateMachineVersions', 'states:ListTagsForResource'],
  scheduler: ['scheduler:GetSchedule'],
  // logs:DescribeLogGroups takes no log group: see listWithoutResource.
  logs: ['logs:ListTagsForResource', 'logs:ListTagsLogGroup'],
  alarms: ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'],
  dashboard: ['cloudwatch:GetDashboard'],
  sns: ['sns:GetTopicAttributes', 'sns:ListTagsForResource'],
  kms: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'],
};

/** Create, update and delete calls, per kind, on top of the reads. */
const WRITE = {
  s3: [
    's3:CreateBucket',
    's3:DeleteBucket',
    's3:DeleteBucketPolicy',
    's3:PutBucketOwnershipControls',
    's3:PutBucketPolicy',
    's3:PutBucketPublicAccessBlock',
    's3:PutBucketTagging',
    's3:PutBucketVersioning',
    's3:PutEncryptionConfiguration',
    's3:PutLifecycleConfiguration',
  ],
  dynamodb: [
    'dynamodb:CreateTable',
    'dynamodb:DeleteTable',
    'dynamodb:TagResource',
    'dynamodb:UntagResource',
    'dynamodb:UpdateContinuousBackups',
    'dynamodb:UpdateTable',
    'dynamodb:UpdateTimeToLive',
  ],
  lambda: [
    'lambda:CreateFunction',
    'lambda:DeleteFunction',
    'lambda:TagResource',
    'lambda:UntagResource',
    'lambda:UpdateFunctionCode',
    'lambda:UpdateFunctionConfiguration',
  ],
  iam: [
    'iam:CreateRole',
    'iam:DeleteRole',
    'iam:DeleteRolePolicy',
    // Deleting a role lists what is attached to it first.
    'iam:ListInstanceProfilesForRole',
    'iam:PutRolePolicy',
    'iam:TagRole',
    'iam:UntagRole',
    'iam:UpdateAssumeRolePolicy',
    'iam:UpdateRole',
  ],
  states: [
    'states:CreateStateMachine',
    'states:DeleteStateMachine',
    'states:TagResource',
    'states:UntagResource',
    'states:UpdateStateMachine',
  ],
  scheduler: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:UpdateSchedule'],
  logs: [
    'logs:CreateLogGroup',
    'logs:DeleteLogGroup',
    'logs:PutRetentionPolicy',
    'logs:TagResource',
    'logs:UntagResource',
    'logs:TagLogGroup',
    'logs:UntagLogGroup',
    'logs:AssociateKmsKey',
    'logs:DisassociateKmsKey',
  ],
  alarms: [
    'cloudwatch:DeleteAlarms',
    'cloudwatch:PutMetricAlarm',
    'cloudwatch:TagResource',
    'cloudwatch:UntagResource',
  ],
  dashboard: ['cloudwatch:DeleteDashboards', 'cloudwatch:PutDashboard'],
  sns: [
    'sns:CreateTopic',
    'sns:DeleteTopic',
    'sns:SetTopicAttributes',
    'sns:Subscribe',
    'sns:Unsubscribe',
    'sns:GetSubscriptionAttributes',
    'sns:TagResource',
    'sns:UntagResource',
  ],
  kms: [
    'kms:EnableKeyRotation',
    'kms:PutKeyPolicy',
    'kms:ScheduleKeyDeletion',
    'kms:TagResource',
    'kms:UntagResource',
    'kms:UpdateKeyDescription',
  ],
};

type Kind = keyof typeof READ;

function statementsFor(
  s: CiRoleScope,
  actions: (kind: Kind) => string[],
  sidPrefix: string,
): PolicyStatement[] {
  const stmt = (kind: Kind, sid: string, resource: string[]): PolicyStatement => ({
    Sid: `${sidPrefix}${sid}`,
    Effect: 'Allow',
    Action: actions(kind),
    Resource: resource,
  });
  const statements: PolicyStatement[] = [
    stmt(
      's3',
      'Buckets',
      across(s, (p) => p.buckets),
    ),
    stmt(
      'dynamodb',
      'Table',
      across(s, (p) => p.table),
    ),
    stmt(
      'lambda',
      'Functions',
      across(s, (p) => p.functions),
    ),
    stmt(
      'iam',
      'Roles',
      across(s, (p) => p.roles),
    ),
    stmt(
      'states',
      'StateMachine',
      across(s, (p) => p.stateMachines),
    ),
    stmt(
      'scheduler',
      'Schedule',
      across(s, (p) => p.schedules),
    ),
    stmt(
      'logs',
      'LogGroups',
      across(s, (p) => p.logGroups),
    ),
    stmt(
      'alarms',
      'Alarms',
      across(s, (p) => p.alarms),
    ),
    stmt(
      'dashboard',
      'Dashboard',
      across(s, (p) => p.dashboard),
    ),
    stmt(
      'sns',
      'Topics',
      across(s, (p) => p.topics),
    ),
    {
      // The alarm topic's key has a random id: it is known by its alias.
      ...stmt('kms', 'AlarmKey', [`arn:${s.partition}:kms:${s.region}:${s.accountId}:key/*`]),
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alarmKeyAliases(s) } },
    },
  ];
  return statements;
}

/** Reading the state objects of every environment (the key prefix only) and listing it. */
function stateStatements(s: CiRoleScope, write: boolean): PolicyStatement[] {
  const bucketArn = `arn:${s.partition}:s3:::${s.stateBucket}`;
  return [
    {
      Sid: 'ListState',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [bucketArn],
      Condition: { StringLike: { 's3:prefix': [`${s.stateKeyPrefix}*`] } },
    },
    {
      // use_lockfile writes and deletes `<key>.tflock` beside each state object.
      Sid: write ? 'ReadWriteState' : 'ReadState',
      Effect: 'Allow',
      Action: write ? ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] : ['s3:GetObject'],
      Resource: s.environments.map((env) => `${bucketArn}/${s.stateKeyPrefix}${env}/*`),
    },
  ];
}

/** Terraform finds log groups and key aliases with list calls IAM checks on the whole account. */
const listWithoutResource: PolicyStatement = {
  Sid: 'ListWithoutResource',
  Effect: 'Allow',
  Action: ['logs:DescribeLogGroups', 'kms:ListAliases'],
  Resource: ['*'],
};

/**
 * The PR plan role: the state objects (read) and Terraform's refresh reads on the stacks' own
 * resources. No object of a data bucket, no item of the table, nothing outside the stacks.
 */
export function planRolePolicy(s: CiRoleScope): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      ...stateStatements(s, false),
      ...statementsFor(s, (k) => READ[k], 'Read'),
      listWithoutResource,
    ],
  };
}

/** The deploy role: state read/write and create/update/delete of the stacks' own resources. */
export function deployRolePolicy(s: CiRoleScope): PolicyDocument {
  const statements: PolicyStatement[] = [
    ...stateStatements(s, true),
    ...statementsFor(s, (k) => [...READ[k], ...WRITE[k]], 'Manage'),
    {
      // The functions, the state machine and the schedule run as the stack's roles.
      Sid: 'PassStackRoles',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: across(s, (p) => p.roles),
      Condition: {
        StringEquals: {
          'iam:PassedToService': ['lambda.amazonaws.com', 'states.amazonaws.com', 'scheduler.amazonaws.com'],
        },
      },
    },
    {
      // kms:CreateKey names no key yet; the request must tag it as a logflow key.
      Sid: 'CreateAlarmKey',
      Effect: 'Allow',
      Action: ['kms:CreateKey'],
      Resource: ['*'],
      Condition: { StringEquals: { 'aws:RequestTag/Project': 'logflow' } },
    },
    {
      // Tags sent with CreateKey; a key that already carries a Project tag cannot be retagged here.
      Sid: 'TagNewAlarmKey',
      Effect: 'Allow',
      Action: ['kms:TagResource'],
      Resource: ['*'],
      Condition: {
        StringEquals: { 'aws:RequestTag/Project': 'logflow' },
        Null: { 'aws:ResourceTag/Project': 'true' },
      },
    },
    {
      // The alias that then identifies the key: the alias by name, the key by its logflow tag.
      Sid: 'NameAlarmKey',
      Effect: 'Allow',
      Action: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'],
      Resource: alarmKeyAliases(s).map((a) => `arn:${s.partition}:kms:${s.region}:${s.accountId}:${a}`),
    },
    {
      Sid: 'AliasLogflowKeys',
      Effect: 'Allow',
      Action: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'],
      Resource: [`arn:${s.partition}:kms:${s.region}:${s.accountId}:key/*`],
      Condition: { StringEquals: { 'aws:ResourceTag/Project': 'logflow' } },
    },
    listWithoutResource,
  ];
  if (s.kmsKeyArns.length > 0) {
    statements.push({
      // Buckets, table, functions, log groups and the state machine are created with the customer key.
      Sid: 'UseCustomerKeys',
      Effect: 'Allow',
      Action: ['kms:DescribeKey', 'kms:CreateGrant', 'kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: s.kmsKeyArns,
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}
