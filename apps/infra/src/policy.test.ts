import { describe, expect, it } from 'vitest';
import { scanBuckets, scanFunctionsAndRoles, scanPolicies } from './policy-scan.js';
import { TEST_KMS_KEY, resources, synthStack } from './test-support/synth.js';
import type { TerraformJson } from './test-support/synth.js';

const variants: [string, TerraformJson][] = [
  ['default', synthStack().tf],
  [
    'kms + e-mail + batching',
    synthStack({
      environment: 'kms',
      kmsKeyArn: TEST_KMS_KEY,
      alarms: { email: 'a@b.co' },
      workflow: { itemBatcher: { maxItemsPerBatch: 5 } },
    }).tf,
  ],
];

type Statement = { Sid: string; Action: string[]; Resource: string[]; Condition?: unknown };
const statementsOf = (tf: TerraformJson, roleName: string): Statement[] => {
  const role = Object.entries(resources(tf, 'aws_iam_role')).find(([, r]) => r.name === roleName);
  if (!role) throw new Error(`no role ${roleName}`);
  const policy = Object.values(resources(tf, 'aws_iam_role_policy')).find(
    (p) => p.role === `\${aws_iam_role.${role[0]}.name}`,
  );
  return (JSON.parse(policy!.policy as string) as { Statement: Statement[] }).Statement;
};

describe.each(variants)('security scan (%s)', (_name, tf) => {
  it('finds no wildcard action, no unscoped resource outside the allow-list, no open principal', () => {
    const { checked, problems } = scanPolicies(tf);
    expect(problems).toEqual([]);
    // 4 roles x (trust + policy) + 2 bucket policies + topic policy (+ alarm key policy).
    expect(checked).toBeGreaterThanOrEqual(11);
  });

  it('every bucket blocks public access, encrypts by default and refuses plain HTTP', () => {
    expect(Object.keys(resources(tf, 'aws_s3_bucket'))).toHaveLength(2);
    expect(scanBuckets(tf)).toEqual([]);
  });

  it('every function logs to its own log group with retention; every role has exactly one policy', () => {
    expect(Object.keys(resources(tf, 'aws_lambda_function'))).toHaveLength(2);
    expect(scanFunctionsAndRoles(tf)).toEqual([]);
  });
});

describe('the scan itself', () => {
  const tf = variants[0]![1];
  const withResource = (type: string, id: string, resource: Record<string, unknown>): TerraformJson => ({
    ...tf,
    resource: { ...tf.resource, [type]: { ...tf.resource[type], [id]: resource } },
  });
  const policy = (statement: Record<string, unknown>) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

  it('flags wildcard actions, unscoped resources and namespace-less PutMetricData', () => {
    const bad = withResource('aws_iam_role_policy', 'bad', {
      role: 'x',
      policy: policy({
        Sid: 'Bad',
        Effect: 'Allow',
        Action: ['s3:Get*', 'dynamodb:PutItem', 'cloudwatch:PutMetricData'],
        Resource: ['*'],
      }),
    });
    expect(scanPolicies(bad).problems).toEqual([
      'aws_iam_role_policy.bad statement Bad: wildcard action "s3:Get*"',
      'aws_iam_role_policy.bad statement Bad: "s3:Get*" on unscoped resource "*"',
      'aws_iam_role_policy.bad statement Bad: "dynamodb:PutItem" on unscoped resource "*"',
      'aws_iam_role_policy.bad statement Bad: cloudwatch:PutMetricData without a cloudwatch:namespace condition',
    ]);
  });

  it('flags a bucket without protections and a function without its log group', () => {
    const bare = withResource('aws_s3_bucket', 'bare', { bucket: 'bare' });
    expect(scanBuckets(bare)).toEqual([
      'aws_s3_bucket.bare: public access not fully blocked',
      'aws_s3_bucket.bare: no default encryption',
      'aws_s3_bucket.bare: no TLS-only bucket policy',
    ]);
    const loose = withResource('aws_lambda_function', 'loose', { function_name: 'loose' });
    expect(scanFunctionsAndRoles(loose)).toEqual([
      'aws_lambda_function.loose: does not log to a log group of the stack',
    ]);
  });
});

describe('least privilege per role', () => {
  const tf = variants[0]![1];

  it('the state machine role lists exactly the actions its states use', () => {
    const actions = statementsOf(tf, 'logflow-test-daily-logs-role')
      .flatMap((s) => s.Action)
      .sort();
    expect(actions).toEqual(
      [
        'cloudwatch:PutMetricData',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'lambda:InvokeFunction',
        'logs:CreateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:DescribeLogGroups',
        'logs:DescribeResourcePolicies',
        'logs:GetLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:UpdateLogDelivery',
        's3:AbortMultipartUpload',
        's3:GetObject',
        's3:ListBucket',
        's3:ListMultipartUploadParts',
        's3:PutObject',
        'states:DescribeExecution',
        'states:StartExecution',
        'states:StopExecution',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    const list = statementsOf(tf, 'logflow-test-daily-logs-role').find((s) => s.Sid === 'ListLogObjects');
    expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': ['logs/*'] } });
    const exportResults = statementsOf(tf, 'logflow-test-daily-logs-role').find(
      (s) => s.Sid === 'ExportResults',
    );
    expect(exportResults?.Resource).toEqual([
      expect.stringMatching(/^\$\{aws_s3_bucket\.result-bucket_[A-Z0-9]+\.arn\}\/results\/\*$/),
    ]);
  });

  it('the analyzer reads log objects only; the reporter reads batch summaries and writes reports', () => {
    const analyzer = statementsOf(tf, 'logflow-test-analyze-log-data-role');
    expect(
      analyzer
        .flatMap((s) => s.Action)
        .filter((a) => !a.startsWith('xray:'))
        .sort(),
    ).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 's3:GetObject']);
    expect(analyzer.find((s) => s.Sid === 'ReadLogObjects')?.Resource).toEqual([
      expect.stringMatching(/input-bucket.*\.arn\}\/logs\/\*$/),
    ]);
    const reporter = statementsOf(tf, 'logflow-test-generate-daily-summary-role');
    expect(
      reporter
        .flatMap((s) => s.Action)
        .filter((a) => !a.startsWith('xray:'))
        .sort(),
    ).toEqual([
      'cloudwatch:PutMetricData',
      'dynamodb:BatchGetItem',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
    expect(reporter.find((s) => s.Sid === 'ReadResults')?.Resource).toEqual([
      expect.stringMatching(/^\$\{aws_s3_bucket\.result-bucket_[A-Z0-9]+\.arn\}\/results\/\*$/),
    ]);
    expect(reporter.find((s) => s.Sid === 'WriteReports')?.Resource).toEqual([
      expect.stringMatching(/^\$\{aws_s3_bucket\.result-bucket_[A-Z0-9]+\.arn\}\/reports\/\*$/),
    ]);
    expect(reporter.find((s) => s.Sid === 'ListResults')?.Condition).toEqual({
      StringLike: { 's3:prefix': ['results/*'] },
    });
  });

  it('adds KMS data-key actions on the configured key only', () => {
    const kmsTf = variants[1]![1];
    const kmsStatements = statementsOf(kmsTf, 'logflow-kms-daily-logs-role').filter((s) =>
      s.Action.some((a) => a.startsWith('kms:')),
    );
    expect(kmsStatements).toEqual([
      {
        Sid: 'UseDataKey',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: [TEST_KMS_KEY],
      },
    ]);
  });
});
