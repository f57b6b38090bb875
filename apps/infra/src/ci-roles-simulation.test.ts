/**
 * The bootstrap's plan and deploy roles evaluated with AWS's policy logic: the plan role reads
 * the state and the stacks' own resources (never their data), the deploy role manages them and
 * nothing else in the account.
 */
import { describe, expect, it } from 'vitest';
import { ACCOUNT, REGION, decide, roleNamed } from './test-support/iam.js';
import type { Call } from './test-support/iam.js';
import { synthBootstrap } from './test-support/synth.js';

const tf = synthBootstrap();
const plan = roleNamed(tf, 'logflow-github-plan');
const deploy = roleNamed(tf, 'logflow-github-deploy');

const state = 'arn:aws:s3:::acme-terraform-state';
const prodState = `${state}/logflow/prod/terraform.tfstate`;
const logs = `arn:aws:s3:::logflow-prod-logs-${ACCOUNT}-${REGION}`;
const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/logflow-prod-summaries`;
const fn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:logflow-prod-analyze-log-data`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const sm = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:logflow-prod-daily-logs`;
const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000001`;
/** The prod stack's alarm key as KMS describes it: its alias and the stack's default tags. */
const logflowKey = {
  'kms:ResourceAliases': ['alias/logflow-prod-alarms'],
  'aws:ResourceTag/Project': 'logflow',
  'aws:ResourceTag/Environment': 'prod',
};
const c = (action: string, resource: string, context?: Call['context']): Call => ({
  action,
  resource,
  ...(context ? { context } : {}),
});

const READS: Call[] = [
  c('s3:GetObject', prodState),
  c('s3:ListBucket', state, { 's3:prefix': 'logflow/prod/terraform.tfstate' }),
  c('s3:GetBucketPolicy', logs),
  c('s3:GetBucketVersioning', logs),
  c('s3:GetLifecycleConfiguration', logs),
  c('dynamodb:DescribeTable', table),
  c('dynamodb:DescribeContinuousBackups', table),
  c('lambda:GetFunction', fn),
  c('iam:GetRole', role('logflow-prod-analyze-log-data-role')),
  c('iam:GetRolePolicy', role('logflow-prod-analyze-log-data-role')),
  c('states:DescribeStateMachine', sm),
  c('scheduler:GetSchedule', `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/logflow-prod-daily`),
  c(
    'cloudwatch:DescribeAlarms',
    `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:logflow-prod-executions-failed`,
  ),
  c('cloudwatch:GetDashboard', `arn:aws:cloudwatch::${ACCOUNT}:dashboard/logflow-prod`),
  c('sns:GetTopicAttributes', `arn:aws:sns:${REGION}:${ACCOUNT}:logflow-prod-alarms`),
  c('logs:DescribeLogGroups', '*'),
  c('kms:DescribeKey', key, logflowKey),
];

const WRITES: Call[] = [
  c('s3:PutObject', prodState),
  c('s3:PutObject', `${prodState}.tflock`),
  c('s3:DeleteObject', `${prodState}.tflock`),
  c('s3:CreateBucket', logs),
  c('s3:PutBucketPolicy', logs),
  c('dynamodb:CreateTable', table),
  c('dynamodb:UpdateContinuousBackups', table),
  c('lambda:CreateFunction', fn),
  c('lambda:UpdateFunctionCode', fn),
  c('iam:CreateRole', role('logflow-prod-daily-logs-role')),
  c('iam:PutRolePolicy', role('logflow-prod-daily-logs-role')),
  c('iam:PassRole', role('logflow-prod-analyze-log-data-role'), {
    'iam:PassedToService': 'lambda.amazonaws.com',
  }),
  c('states:UpdateStateMachine', sm),
  c('scheduler:CreateSchedule', `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/logflow-prod-daily`),
  c(
    'logs:CreateLogGroup',
    `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/logflow-prod-analyze-log-data`,
  ),
  c('cloudwatch:PutMetricAlarm', `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:logflow-prod-daily-5xx-rate`),
  c('sns:CreateTopic', `arn:aws:sns:${REGION}:${ACCOUNT}:logflow-prod-alarms`),
  c('kms:CreateKey', '*', { 'aws:RequestTag/Project': 'logflow', 'aws:TagKeys': ['Project', 'Environment'] }),
  c('kms:TagResource', '*', {
    'aws:RequestTag/Project': 'logflow',
    'aws:TagKeys': ['Project', 'Environment'],
  }),
  c('kms:CreateAlias', `arn:aws:kms:${REGION}:${ACCOUNT}:alias/logflow-prod-alarms`),
  c('kms:CreateAlias', key, { 'aws:ResourceTag/Project': 'logflow' }),
  c('kms:EnableKeyRotation', key, logflowKey),
  c('kms:ScheduleKeyDeletion', key, logflowKey),
];

/** Nothing either role may do: read data, touch other state or resources, escalate. */
const NEITHER: Call[] = [
  c('s3:GetObject', `${logs}/logs/2026/11/22/access.log.gz`),
  c('s3:GetObject', `arn:aws:s3:::logflow-prod-results-${ACCOUNT}-${REGION}/reports/2026-11-22/summary.html`),
  c('s3:GetObject', `${state}/other-project/terraform.tfstate`),
  c('s3:PutObject', `${state}/logflow/bootstrap/terraform.tfstate`),
  c('s3:DeleteBucket', state),
  c('s3:PutBucketPolicy', state),
  c('s3:GetBucketPolicy', 'arn:aws:s3:::payroll-exports'),
  c('dynamodb:Scan', table),
  c('dynamodb:GetItem', table),
  c('dynamodb:DeleteTable', `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/payroll`),
  c('lambda:InvokeFunction', fn),
  c('states:StartExecution', sm),
  c('iam:CreateRole', role('admin')),
  c('iam:PassRole', role('admin'), { 'iam:PassedToService': 'lambda.amazonaws.com' }),
  c('iam:PassRole', role('logflow-prod-analyze-log-data-role'), {
    'iam:PassedToService': 'ec2.amazonaws.com',
  }),
  c('iam:AttachRolePolicy', role('logflow-prod-analyze-log-data-role')),
  c('iam:UpdateAssumeRolePolicy', role('logflow-github-deploy')),
  c('iam:PutRolePolicy', role('logflow-github-plan')),
  c('kms:Decrypt', key, logflowKey),
  c('kms:CreateKey', '*', { 'aws:RequestTag/Project': 'other' }),
  c('kms:ScheduleKeyDeletion', key, {
    'aws:ResourceTag/Project': 'payments',
    'aws:ResourceTag/Environment': 'prod',
  }),
  c('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-AbCdEf`),
];

const label = (x: Call) => `${x.action} ${x.resource.replace(ACCOUNT, '<account>')}`;

describe('the plan role', () => {
  it.each(READS.map((x) => [label(x), x] as const))('may %s', async (_l, x) => {
    expect(await decide(undefined, plan, x)).toBe('Allowed');
  });
  it.each([...WRITES, ...NEITHER].map((x) => [label(x), x] as const))('may not %s', async (_l, x) => {
    expect(await decide(undefined, plan, x)).not.toBe('Allowed');
  });
});

describe('the deploy role', () => {
  it.each([...READS, ...WRITES].map((x) => [label(x), x] as const))('may %s', async (_l, x) => {
    expect(await decide(undefined, deploy, x)).toBe('Allowed');
  });
  it.each(NEITHER.map((x) => [label(x), x] as const))('may not %s', async (_l, x) => {
    expect(await decide(undefined, deploy, x)).not.toBe('Allowed');
  });
});
