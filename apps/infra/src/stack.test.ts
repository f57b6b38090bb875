import { describe, expect, it } from 'vitest';
import { HANDLER_ENV, SUMMARY_TABLE_KEYS } from '@logflow/shared-types';
import { buildDailyWorkflowDefinition } from '@logflow/workflow';
import { Testing } from 'cdktf';
import { resolveInfraConfig, stackWorkflowConfig } from './config.js';
import { LogflowStack, OUTPUT_NAMES } from './stack.js';
import { TEST_KMS_KEY, TEST_STATE_BUCKET, only, resources, synthStack } from './test-support/synth.js';

const { config, tf } = synthStack({ alarms: { email: 'ops@example.com' } });
const kms = synthStack({
  environment: 'kms',
  kmsKeyArn: TEST_KMS_KEY,
  stateBackend: { bucket: 'tf-state-bucket', key: 'states/kms.tfstate', region: 'eu-central-1' },
});

/** Replaces string values holding a JSON object or array with the parsed value. */
function expandEmbeddedJson(value: unknown): unknown {
  if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
    try {
      return expandEmbeddedJson(JSON.parse(value));
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map(expandEmbeddedJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandEmbeddedJson(v)]));
  }
  return value;
}

const policyOf = (resource: Record<string, unknown>, field = 'policy') =>
  JSON.parse(resource[field] as string) as { Statement: Record<string, unknown>[] };

describe('storage', () => {
  it('creates the input and result buckets with globally unique names', () => {
    const names = Object.values(resources(tf, 'aws_s3_bucket')).map((b) => b.bucket);
    expect(names.sort()).toEqual([
      'logflow-test-logs-${data.aws_caller_identity.account.account_id}-eu-west-1',
      'logflow-test-results-${data.aws_caller_identity.account.account_id}-eu-west-1',
    ]);
  });

  it('encrypts, versions and expires the result bucket per configuration', () => {
    const bucket = only(tf, 'aws_s3_bucket', (b) => String(b.bucket).startsWith('logflow-test-results'));
    const byBucket = (type: string) => only(tf, type, (r) => r.bucket === bucket.ref('id')).resource;
    expect(byBucket('aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
    ]);
    expect(byBucket('aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(byBucket('aws_s3_bucket_ownership_controls').rule).toEqual({
      object_ownership: 'BucketOwnerEnforced',
    });
    const rules = byBucket('aws_s3_bucket_lifecycle_configuration').rule as Record<string, unknown>[];
    expect(rules).toContainEqual(
      expect.objectContaining({
        filter: [{ prefix: 'results/' }],
        expiration: [{ days: config.retention.resultsDays }],
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({
        filter: [{ prefix: 'reports/' }],
        expiration: [{ days: config.retention.reportsDays }],
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({
        abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
        noncurrent_version_expiration: [{ noncurrent_days: config.retention.noncurrentVersionDays }],
      }),
    );
  });

  it('uses SSE-KMS with a bucket key when a key is configured', () => {
    for (const sse of Object.values(
      resources(kms.tf, 'aws_s3_bucket_server_side_encryption_configuration'),
    )) {
      expect(sse.rule).toEqual([
        {
          apply_server_side_encryption_by_default: {
            sse_algorithm: 'aws:kms',
            kms_master_key_id: TEST_KMS_KEY,
          },
          bucket_key_enabled: true,
        },
      ]);
    }
  });

  it('creates the on-demand summary table with PITR, encryption and TTL', () => {
    const { resource: table } = only(tf, 'aws_dynamodb_table');
    expect(table).toMatchObject({
      name: 'logflow-test-summaries',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: SUMMARY_TABLE_KEYS.partitionKey,
      range_key: SUMMARY_TABLE_KEYS.sortKey,
      attribute: [
        { name: 'pk', type: 'S' },
        { name: 'sk', type: 'S' },
      ],
      ttl: { attribute_name: 'expiresAt', enabled: true },
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
    });
    expect(only(kms.tf, 'aws_dynamodb_table').resource.server_side_encryption).toEqual({
      enabled: true,
      kms_key_arn: TEST_KMS_KEY,
    });
  });
});

describe('functions', () => {
  it('deploys both handlers as Node.js 22 arm64 bundles with the handler environment', () => {
    const fns = Object.values(resources(tf, 'aws_lambda_function'));
    expect(fns.map((f) => f.function_name).sort()).toEqual([
      'logflow-test-analyze-log-data',
      'logflow-test-generate-daily-summary',
    ]);
    for (const fn of fns) {
      expect(fn).toMatchObject({
        runtime: 'nodejs22.x',
        architectures: ['arm64'],
        handler: 'index.handler',
        tracing_config: { mode: 'Active' },
      });
      expect(String(fn.filename)).toMatch(/^assets\/.+\/archive\.zip$/);
      const variables = (fn.environment as { variables: Record<string, string> }).variables;
      expect(Object.keys(variables)).toEqual(expect.arrayContaining(Object.values(HANDLER_ENV)));
      expect(variables[HANDLER_ENV.summaryTtlDays]).toBe(String(config.retention.summaryTtlDays));
    }
    const analyzer = only(
      tf,
      'aws_lambda_function',
      (f) => f.function_name === 'logflow-test-analyze-log-data',
    ).resource;
    // reserved concurrency: the analyzer's is the Map's, so a day cannot starve other functions
    expect(analyzer).toMatchObject({
      memory_size: 1024,
      timeout: 240,
      reserved_concurrent_executions: config.workflow.maxConcurrency,
    });
    const reporter = only(
      tf,
      'aws_lambda_function',
      (f) => f.function_name === 'logflow-test-generate-daily-summary',
    ).resource;
    expect(reporter).toMatchObject({ memory_size: 1024, timeout: 300, reserved_concurrent_executions: 2 });
  });

  it('takes reserved concurrency per environment', () => {
    const { tf: custom } = synthStack({
      environment: 'busy',
      workflow: { maxConcurrency: 100 },
      functions: { analyzer: { reservedConcurrency: 120 }, reporter: { reservedConcurrency: 1 } },
    });
    const reserved = Object.values(resources(custom, 'aws_lambda_function')).map((f) => [
      f.function_name,
      f.reserved_concurrent_executions,
    ]);
    expect(reserved.sort()).toEqual([
      ['logflow-busy-analyze-log-data', 120],
      ['logflow-busy-generate-daily-summary', 1],
    ]);
  });

  it('refuses to synthesize without a bundle, naming the missing file', () => {
    const missing = resolveInfraConfig({
      environment: 'nobundle',
      sandbox: true,
      functions: { analyzer: { bundleDir: '/nonexistent/bundle' } },
    });
    expect(() => new LogflowStack(Testing.app(), 'nobundle', missing)).toThrow(
      'logflow-nobundle-analyze-log-data: bundle not found at /nonexistent/bundle/index.cjs; build it first (pnpm build)',
    );
  });
});

describe('state machine', () => {
  const sm = only(tf, 'aws_sfn_state_machine');

  it('deploys exactly the definition packages/workflow builds, with the stack ARNs', () => {
    const analyzer = only(
      tf,
      'aws_lambda_function',
      (f) => f.function_name === 'logflow-test-analyze-log-data',
    );
    const reporter = only(
      tf,
      'aws_lambda_function',
      (f) => f.function_name === 'logflow-test-generate-daily-summary',
    );
    const table = only(tf, 'aws_dynamodb_table');
    const results = only(tf, 'aws_s3_bucket', (b) => String(b.bucket).startsWith('logflow-test-results'));
    const expected = buildDailyWorkflowDefinition(
      stackWorkflowConfig(config, {
        analyzerFunction: analyzer.ref('arn'),
        reporterFunction: reporter.ref('arn'),
        summaryTable: table.ref('name'),
        resultBucket: results.ref('bucket'),
        metricNamespace: 'Logflow/test',
      }),
    );
    expect(JSON.parse(sm.resource.definition as string)).toEqual(expected);
  });

  it('holds no Terraform template sequence other than resource references', () => {
    const definition = sm.resource.definition as string;
    expect(definition).not.toContain('%{');
    const interpolations = definition.match(/\$\{[^}]*\}/g) ?? [];
    expect(interpolations.length).toBeGreaterThan(0);
    for (const ref of interpolations)
      expect(ref).toMatch(/^\$\{aws_[a-z0-9_]+\.[A-Za-z0-9_-]+\.(arn|name|bucket)\}$/);
  });

  it('logs every event without execution data to its own log group, traces with X-Ray', () => {
    const logGroup = only(
      tf,
      'aws_cloudwatch_log_group',
      (g) => g.name === '/aws/vendedlogs/states/logflow-test-daily-logs',
    );
    expect(sm.resource).toMatchObject({
      name: 'logflow-test-daily-logs',
      type: 'STANDARD',
      logging_configuration: {
        level: 'ALL',
        include_execution_data: false,
        log_destination: `${logGroup.ref('arn')}:*`,
      },
      tracing_configuration: { enabled: true },
    });
    expect(logGroup.resource.retention_in_days).toBe(config.retention.logGroupDays);
    expect(only(kms.tf, 'aws_sfn_state_machine').resource.encryption_configuration).toMatchObject({
      type: 'CUSTOMER_MANAGED_KMS_KEY',
      kms_key_id: TEST_KMS_KEY,
    });
  });

  it('is started daily by a schedule that sends the bucket and the scheduled time', () => {
    const { resource: schedule } = only(tf, 'aws_scheduler_schedule');
    expect(schedule).toMatchObject({
      schedule_expression: config.schedule.expression,
      schedule_expression_timezone: 'UTC',
      state: 'ENABLED',
      flexible_time_window: { mode: 'OFF' },
    });
    const target = schedule.target as { arn: string; input: string; role_arn: string };
    expect(target.arn).toBe(sm.ref('arn'));
    const input = only(tf, 'aws_s3_bucket', (b) => String(b.bucket).startsWith('logflow-test-logs'));
    expect(JSON.parse(target.input)).toEqual({
      bucket: input.ref('bucket'),
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
    const role = only(tf, 'aws_iam_role', (r) => r.name === 'logflow-test-daily-logs-schedule-role');
    expect(target.role_arn).toBe(role.ref('arn'));
    // An environment's format choice travels in the scheduled input to every file's analysis.
    const format = { format: 'ingress-nginx' as const, clientFromForwardedFor: true };
    const withFormat = synthStack({ format });
    const formatted = only(withFormat.tf, 'aws_scheduler_schedule').resource.target as { input: string };
    expect(JSON.parse(formatted.input)).toMatchObject({ format });
    expect(policyOf(role.resource, 'assume_role_policy').Statement[0]).toMatchObject({
      Principal: { Service: 'scheduler.amazonaws.com' },
    });
    const policy = only(tf, 'aws_iam_role_policy', (r) => r.role === role.ref('name')).resource;
    expect(policyOf(policy).Statement).toEqual([
      { Sid: 'StartDailyRun', Effect: 'Allow', Action: ['states:StartExecution'], Resource: [sm.ref('arn')] },
    ]);
  });
});

describe('monitoring', () => {
  const alarms = Object.values(resources(tf, 'aws_cloudwatch_metric_alarm'));
  const topic = only(tf, 'aws_sns_topic');

  it('alarms on failed, timed-out and aborted runs and on function errors and throttles', () => {
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual([
      'logflow-test-analyzer-errors',
      'logflow-test-analyzer-throttles',
      'logflow-test-daily-5xx-rate',
      'logflow-test-executions-aborted',
      'logflow-test-executions-failed',
      'logflow-test-executions-timed-out',
      'logflow-test-reporter-errors',
      'logflow-test-reporter-throttles',
    ]);
    for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([topic.ref('arn')]);
  });

  it("alarms on the day's 5xx rate with metric math over the logflow namespace", () => {
    const alarm = alarms.find((a) => a.alarm_name === 'logflow-test-daily-5xx-rate')!;
    expect(alarm.threshold).toBe(config.alarms.fiveXxRatePercent);
    const queries = alarm.metric_query as Record<string, unknown>[];
    expect(queries).toContainEqual(
      expect.objectContaining({
        metric: expect.objectContaining({
          namespace: 'Logflow/test',
          metric_name: '5xxErrors',
          period: 86400,
        }),
      }),
    );
    expect(queries).toContainEqual(
      expect.objectContaining({ metric: expect.objectContaining({ metric_name: 'Requests' }) }),
    );
    expect(queries).toContainEqual(
      expect.objectContaining({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        return_data: true,
      }),
    );
  });

  it('notifies an encrypted topic and the configured address', () => {
    const key = only(tf, 'aws_kms_key');
    expect(topic.resource.kms_master_key_id).toBe(key.ref('arn'));
    expect(key.resource.enable_key_rotation).toBe(true);
    // The CI roles are granted this key by its alias.
    expect(only(tf, 'aws_kms_alias').resource).toEqual({
      name: 'alias/logflow-test-alarms',
      target_key_id: key.ref('key_id'),
    });
    expect(only(tf, 'aws_sns_topic_subscription').resource).toMatchObject({
      protocol: 'email',
      endpoint: 'ops@example.com',
    });
    expect(resources(kms.tf, 'aws_kms_key')).toEqual({});
    expect(only(kms.tf, 'aws_sns_topic').resource.kms_master_key_id).toBe(TEST_KMS_KEY);
    expect(resources(kms.tf, 'aws_sns_topic_subscription')).toEqual({});
  });

  it('notifies an existing topic instead of creating one', () => {
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:ops-pager';
    const existing = synthStack({ environment: 'ext', alarms: { topicArn } }).tf;
    expect(resources(existing, 'aws_sns_topic')).toEqual({});
    expect(resources(existing, 'aws_kms_key')).toEqual({});
    const actions = Object.values(resources(existing, 'aws_cloudwatch_metric_alarm')).map(
      (a) => a.alarm_actions,
    );
    expect(actions).toHaveLength(8);
    for (const action of actions) expect(action).toEqual([topicArn]);
    expect(existing.output.alarm_topic_arn?.value).toBe(topicArn);
  });

  it('draws a dashboard of runs, functions and traffic', () => {
    const body = JSON.parse(only(tf, 'aws_cloudwatch_dashboard').resource.dashboard_body as string) as {
      widgets: { properties: { title: string } }[];
    };
    expect(body.widgets.map((w) => w.properties.title)).toContain(
      'Requests and 5xx responses (from the logs)',
    );
    expect(body.widgets.length).toBeGreaterThanOrEqual(4);
  });
});

describe('stack', () => {
  it('outputs every name a user needs', () => {
    expect(Object.keys(tf.output).sort()).toEqual([...OUTPUT_NAMES].sort());
    expect(tf.output.summary_table?.value).toBe('${aws_dynamodb_table.summary-table.name}');
    expect(tf.output.metric_namespace?.value).toBe('Logflow/test');
  });

  it('keeps state in the configured S3 backend, encrypted, with S3-native locking', () => {
    expect(tf.terraform.backend).toEqual({
      s3: {
        bucket: TEST_STATE_BUCKET,
        key: 'logflow/test/terraform.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(kms.tf.terraform.backend).toEqual({
      s3: {
        bucket: 'tf-state-bucket',
        key: 'states/kms.tfstate',
        region: 'eu-central-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it('keeps a sandbox state in a relative local file, never an absolute path of the synth machine', () => {
    const sandbox = synthStack({ environment: 'me', sandbox: true }).tf;
    expect(sandbox.terraform.backend).toEqual({ local: { path: '../../../terraform.logflow-me.tfstate' } });
  });

  it('pins the AWS provider and tags every resource', () => {
    expect(tf.terraform.required_providers).toEqual({ aws: { source: 'aws', version: '6.25.0' } });
    expect(tf.provider.aws?.[0]).toMatchObject({
      region: 'eu-west-1',
      default_tags: [{ tags: { Project: 'logflow', Environment: 'test' } }],
    });
  });

  it('matches the reviewed snapshot', async () => {
    // Embedded JSON (policies, the definition, the dashboard) is expanded so diffs read line by line.
    await expect(`${JSON.stringify(expandEmbeddedJson(tf), null, 2)}\n`).toMatchFileSnapshot(
      './__snapshots__/logflow-test.tf.json',
    );
  });

  it('policy documents are parseable JSON', () => {
    for (const policy of Object.values(resources(tf, 'aws_iam_role_policy')))
      expect(policyOf(policy).Statement.length).toBeGreaterThan(0);
  });
});
