/**
 * The synthesized policies evaluated with AWS's policy logic (@cloud-copilot/iam-simulate):
 * every call the workflow makes is allowed on its exact resource, and calls it must never make
 * are denied. References are resolved to the ARNs AWS would assign in one account.
 */
import { describe, expect, it } from 'vitest';
import { ACCOUNT, REGION, decide, roleNamed } from './test-support/iam.js';
import type { Call, ResolvedRole } from './test-support/iam.js';
import { TEST_KMS_KEY, synthStack } from './test-support/synth.js';

const { tf } = synthStack({ kmsKeyArn: TEST_KMS_KEY, alarms: { email: 'ops@example.com' } });
const plain = synthStack({ environment: 'plain' }).tf;

const arn = {
  inputBucket: `arn:aws:s3:::logflow-test-logs-${ACCOUNT}-${REGION}`,
  resultBucket: `arn:aws:s3:::logflow-test-results-${ACCOUNT}-${REGION}`,
  table: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/logflow-test-summaries`,
  analyzer: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:logflow-test-analyze-log-data`,
  reporter: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:logflow-test-generate-daily-summary`,
  stateMachine: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:logflow-test-daily-logs`,
  childExecution: `arn:aws:states:${REGION}:${ACCOUNT}:execution:logflow-test-daily-logs/ProcessLogsUnderPrefix:0f1e2d3c`,
  logGroup: (fn: string) =>
    `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/${fn}:log-stream:2026/11/22/[$LATEST]0a1b`,
};
const dayLog = `${arn.inputBucket}/logs/2026/11/22/access-1.log.gz`;
const manifest = `${arn.resultBucket}/results/2026-11-22/0a1b2c3d/manifest.json`;
const report = `${arn.resultBucket}/reports/2026-11-22/summary.html`;
const namespace = (ns: string) => ({ 'cloudwatch:namespace': ns });
const prefix = (p: string) => ({ 's3:prefix': p });

const roles = {
  stateMachine: roleNamed(tf, 'logflow-test-daily-logs-role'),
  analyzer: roleNamed(tf, 'logflow-test-analyze-log-data-role'),
  reporter: roleNamed(tf, 'logflow-test-generate-daily-summary-role'),
  schedule: roleNamed(tf, 'logflow-test-daily-logs-schedule-role'),
};
type Principal = keyof typeof roles;

const call = (action: string, resource: string, context?: Call['context']): Call => ({
  action,
  resource,
  ...(context ? { context } : {}),
});

/** Every call each principal makes in a daily run, on the resource it makes it on. */
const NEEDED: [Principal, Call][] = [
  ['stateMachine', call('states:StartExecution', arn.stateMachine)],
  ['stateMachine', call('states:DescribeExecution', arn.childExecution)],
  ['stateMachine', call('states:StopExecution', arn.childExecution)],
  ['stateMachine', call('lambda:InvokeFunction', arn.analyzer)],
  ['stateMachine', call('lambda:InvokeFunction', `${arn.analyzer}:$LATEST`)],
  ['stateMachine', call('lambda:InvokeFunction', arn.reporter)],
  ['stateMachine', call('s3:ListBucket', arn.inputBucket, prefix('logs/2026/11/22/'))],
  ['stateMachine', call('s3:PutObject', manifest)],
  ['stateMachine', call('s3:GetObject', manifest)],
  ['stateMachine', call('s3:ListMultipartUploadParts', manifest)],
  ['stateMachine', call('s3:AbortMultipartUpload', manifest)],
  ['stateMachine', call('dynamodb:PutItem', arn.table)],
  ['stateMachine', call('dynamodb:GetItem', arn.table)],
  ['stateMachine', call('dynamodb:UpdateItem', arn.table)],
  ['stateMachine', call('cloudwatch:PutMetricData', '*', namespace('Logflow/test'))],
  ['stateMachine', call('logs:CreateLogDelivery', '*')],
  ['stateMachine', call('logs:GetLogDelivery', '*')],
  ['stateMachine', call('logs:UpdateLogDelivery', '*')],
  ['stateMachine', call('logs:DeleteLogDelivery', '*')],
  ['stateMachine', call('logs:ListLogDeliveries', '*')],
  ['stateMachine', call('logs:PutResourcePolicy', '*')],
  ['stateMachine', call('logs:DescribeResourcePolicies', '*')],
  ['stateMachine', call('logs:DescribeLogGroups', '*')],
  ['stateMachine', call('xray:PutTraceSegments', '*')],
  ['stateMachine', call('xray:GetSamplingTargets', '*')],
  ['stateMachine', call('kms:Decrypt', TEST_KMS_KEY)],
  ['stateMachine', call('kms:GenerateDataKey', TEST_KMS_KEY)],
  ['analyzer', call('s3:GetObject', dayLog)],
  ['analyzer', call('logs:CreateLogStream', arn.logGroup('logflow-test-analyze-log-data'))],
  ['analyzer', call('logs:PutLogEvents', arn.logGroup('logflow-test-analyze-log-data'))],
  ['analyzer', call('xray:PutTraceSegments', '*')],
  ['analyzer', call('xray:PutTelemetryRecords', '*')],
  ['analyzer', call('kms:Decrypt', TEST_KMS_KEY)],
  ['reporter', call('dynamodb:BatchGetItem', arn.table)],
  ['reporter', call('s3:GetObject', manifest)],
  ['reporter', call('s3:ListBucket', arn.resultBucket, prefix('results/2026-11-22/'))],
  ['reporter', call('s3:PutObject', report)],
  ['reporter', call('cloudwatch:PutMetricData', '*', namespace('Logflow/test'))],
  ['reporter', call('logs:CreateLogStream', arn.logGroup('logflow-test-generate-daily-summary'))],
  ['reporter', call('logs:PutLogEvents', arn.logGroup('logflow-test-generate-daily-summary'))],
  ['reporter', call('xray:PutTraceSegments', '*')],
  ['reporter', call('kms:Decrypt', TEST_KMS_KEY)],
  ['reporter', call('kms:GenerateDataKey', TEST_KMS_KEY)],
  ['schedule', call('states:StartExecution', arn.stateMachine)],
  ['schedule', call('kms:Decrypt', TEST_KMS_KEY)],
  ['schedule', call('kms:GenerateDataKey', TEST_KMS_KEY)],
];

const otherKey = `arn:aws:kms:${REGION}:${ACCOUNT}:key/ffffffff-ffff-4fff-8fff-ffffffffffff`;
const otherTable = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/logflow-prod-summaries`;
const everyone = Object.keys(roles) as Principal[];
const forAll = (c: Call): [Principal, Call][] => everyone.map((p) => [p, c]);

/** Calls nobody in the stack may make, and calls outside each principal's job. */
const FORBIDDEN: [Principal, Call][] = [
  ...forAll(call('s3:DeleteBucket', arn.inputBucket)),
  ...forAll(call('s3:DeleteBucket', arn.resultBucket)),
  ...forAll(call('s3:PutBucketPolicy', arn.resultBucket)),
  ...forAll(call('dynamodb:DeleteTable', arn.table)),
  ...forAll(call('dynamodb:Scan', arn.table)),
  ...forAll(call('dynamodb:PutItem', otherTable)),
  ...forAll(call('dynamodb:Query', otherTable)),
  ...forAll(call('dynamodb:BatchGetItem', otherTable)),
  ...forAll(call('dynamodb:UpdateItem', otherTable)),
  ...forAll(call('cloudwatch:PutMetricData', '*', namespace('Logflow/prod'))),
  ...forAll(call('cloudwatch:PutMetricData', '*', namespace('AWS/Lambda'))),
  ...forAll(call('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/logflow-test-daily-logs-role`)),
  ...forAll(call('iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/escalate`)),
  ...forAll(call('iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/logflow-test-analyze-log-data-role`)),
  ...forAll(call('iam:AttachRolePolicy', `arn:aws:iam::${ACCOUNT}:role/logflow-test-daily-logs-role`)),
  ...forAll(call('kms:Decrypt', otherKey)),
  ...forAll(call('kms:ScheduleKeyDeletion', TEST_KMS_KEY)),
  ...forAll(call('s3:DeleteObject', dayLog)),
  // The analyzer only reads the day's logs: it writes nothing, anywhere.
  ['analyzer', call('s3:PutObject', dayLog)],
  ['analyzer', call('s3:PutObject', `${arn.inputBucket}/logs/2026/11/23/forged.log`)],
  ['analyzer', call('s3:PutObject', manifest)],
  ['analyzer', call('s3:PutObject', report)],
  ['analyzer', call('s3:GetObject', `${arn.inputBucket}/private/credentials.csv`)],
  ['analyzer', call('s3:GetObject', manifest)],
  ['analyzer', call('s3:ListBucket', arn.inputBucket, prefix('logs/'))],
  ['analyzer', call('dynamodb:PutItem', arn.table)],
  ['analyzer', call('dynamodb:GetItem', arn.table)],
  ['analyzer', call('cloudwatch:PutMetricData', '*', namespace('Logflow/test'))],
  ['analyzer', call('logs:PutLogEvents', arn.logGroup('logflow-test-generate-daily-summary'))],
  ['analyzer', call('kms:GenerateDataKey', TEST_KMS_KEY)],
  // The reporter writes reports only, and reads no logs.
  ['reporter', call('s3:PutObject', manifest)],
  ['reporter', call('s3:PutObject', dayLog)],
  ['reporter', call('s3:GetObject', dayLog)],
  ['reporter', call('s3:ListBucket', arn.resultBucket, prefix('reports/'))],
  ['reporter', call('dynamodb:PutItem', arn.table)],
  ['reporter', call('dynamodb:UpdateItem', arn.table)],
  ['reporter', call('lambda:InvokeFunction', arn.analyzer)],
  // The state machine lists the logs but never reads, writes or reports them.
  ['stateMachine', call('s3:GetObject', dayLog)],
  ['stateMachine', call('s3:PutObject', dayLog)],
  ['stateMachine', call('s3:PutObject', report)],
  ['stateMachine', call('s3:ListBucket', arn.inputBucket, prefix('private/'))],
  ['stateMachine', call('dynamodb:DeleteItem', arn.table)],
  [
    'stateMachine',
    call(
      'lambda:InvokeFunction',
      `arn:aws:lambda:${REGION}:${ACCOUNT}:function:logflow-prod-analyze-log-data`,
    ),
  ],
  [
    'stateMachine',
    call('states:StartExecution', `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:logflow-prod-daily-logs`),
  ],
  // The schedule starts the daily run and nothing else.
  ['schedule', call('states:StartExecution', `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:other`)],
  ['schedule', call('states:StopExecution', arn.childExecution)],
  ['schedule', call('lambda:InvokeFunction', arn.analyzer)],
  ['schedule', call('s3:GetObject', dayLog)],
];

const label = ([principal, c]: [Principal, Call]) =>
  `${principal} ${c.action} ${c.resource.replace(`${ACCOUNT}`, '<account>')}${c.context ? ` ${JSON.stringify(c.context)}` : ''}`;

describe('IAM policy simulation of the synthesized stack', () => {
  it.each(NEEDED.map((c) => [label(c), c] as const))('allows %s', async (_label, [principal, c]) => {
    expect(await decide(tf, roles[principal], c)).toBe('Allowed');
  });

  it.each(FORBIDDEN.map((c) => [label(c), c] as const))('denies %s', async (_label, [principal, c]) => {
    expect(await decide(tf, roles[principal], c)).not.toBe('Allowed');
  });

  it('denies every S3 call without TLS explicitly, whatever the identity policy allows', async () => {
    const insecure = { 'aws:SecureTransport': 'false' };
    expect(await decide(tf, roles.analyzer, call('s3:GetObject', dayLog, insecure))).toBe('ExplicitlyDenied');
    expect(await decide(tf, roles.reporter, call('s3:PutObject', report, insecure))).toBe('ExplicitlyDenied');
  });

  it('grants no KMS call when the stack uses AWS owned keys', async () => {
    const schedule: ResolvedRole = roleNamed(plain, 'logflow-plain-daily-logs-schedule-role');
    expect(schedule.policy.Statement.flatMap((s) => s.Action)).toEqual(['states:StartExecution']);
    expect(await decide(plain, schedule, call('kms:Decrypt', TEST_KMS_KEY))).toBe('ImplicitlyDenied');
  });
});
