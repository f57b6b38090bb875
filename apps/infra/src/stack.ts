import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Construct } from 'constructs';
import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule/index.js';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine/index.js';
import { HANDLER_ENV, RESULT_PREFIXES, SUMMARY_TABLE_KEYS, resourceNames } from '@logflow/shared-types';
import type { ResourceNames } from '@logflow/shared-types';
import { buildDailyWorkflowDefinition, toJson } from '@logflow/workflow';
import type { ScheduledRunInput } from '@logflow/workflow';
import { defaultStateKey, remoteStateBackend } from './backend.js';
import { stackWorkflowConfig } from './config.js';
import type { InfraConfig } from './config.js';
import { LogflowFunction } from './constructs/logflow-function.js';
import { Monitoring } from './constructs/monitoring.js';
import { SecureBucket } from './constructs/secure-bucket.js';
import {
  analyzerPolicy,
  assumeRolePolicy,
  reporterPolicy,
  schedulerPolicy,
  stateMachinePolicy,
} from './policies.js';

/** The repository root: relative bundle directories resolve from here. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Terraform outputs: every name a user or the CLI needs to address the deployment. */
export const OUTPUT_NAMES = [
  'region',
  'input_bucket',
  'result_bucket',
  'summary_table',
  'metric_namespace',
  'state_machine_arn',
  'state_machine_name',
  'analyzer_function',
  'reporter_function',
  'alarm_topic_arn',
  'dashboard_name',
  'schedule_name',
] as const;

export function stackName(config: Pick<InfraConfig, 'namePrefix' | 'environment'>): string {
  return `${config.namePrefix}-${config.environment}`;
}

/**
 * The stack's backend: S3 with S3-native locking, or (sandbox only) a local state file. Without
 * an explicit backend CDKTF writes a local one holding the synth machine's absolute path.
 */
function stateBackend(stack: TerraformStack, config: InfraConfig): void {
  if (config.sandbox) {
    // Relative to cdktf.out/stacks/<stack>/, where Terraform runs: apps/infra/, outside the
    // synth output that each synth may replace.
    new LocalBackend(stack, { path: `../../../terraform.${stackName(config)}.tfstate` });
    return;
  }
  const b = config.stateBackend;
  if (!b) throw new Error(`${stackName(config)}: no stateBackend and not a sandbox`);
  remoteStateBackend(stack, {
    bucket: b.bucket,
    key: b.key ?? defaultStateKey(config.environment),
    region: b.region ?? config.region,
  });
}

/** One environment of logflow: storage, functions, the daily state machine, its schedule and alarms. */
export class LogflowStack extends TerraformStack {
  readonly names: ResourceNames;
  readonly stateMachine: SfnStateMachine;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id);
    const names = resourceNames({ prefix: config.namePrefix, environment: config.environment });
    this.names = names;
    const base = stackName(config);
    const region = config.region;
    const kmsKeyArn = config.kmsKeyArn;
    /** Spread into props that take an optional customer managed key. */
    const withKms = kmsKeyArn ? { kmsKeyArn } : {};

    new AwsProvider(this, 'aws', {
      region,
      defaultTags: [{ tags: { Project: 'logflow', Environment: config.environment, ...config.tags } }],
    });
    stateBackend(this, config);
    const accountId = new DataAwsCallerIdentity(this, 'account').accountId;
    const partition = new DataAwsPartition(this, 'partition').partition;
    const bucketName = (name: string): string =>
      config.globallyUniqueBucketNames ? `${name}-${accountId}-${region}` : name;

    // Storage.
    const inputBucket = new SecureBucket(this, 'input-bucket', {
      bucketName: bucketName(names.inputBucket),
      noncurrentVersionDays: config.retention.noncurrentVersionDays,
      expirations:
        config.retention.inputLogsDays !== undefined
          ? [{ id: 'expire-logs', prefix: config.logPrefixRoot, days: config.retention.inputLogsDays }]
          : [],
      ...withKms,
    }).bucket;
    const resultBucket = new SecureBucket(this, 'result-bucket', {
      bucketName: bucketName(names.resultBucket),
      noncurrentVersionDays: config.retention.noncurrentVersionDays,
      expirations: [
        { id: 'expire-results', prefix: RESULT_PREFIXES.results, days: config.retention.resultsDays },
        { id: 'expire-reports', prefix: RESULT_PREFIXES.reports, days: config.retention.reportsDays },
      ],
      ...withKms,
    }).bucket;
    const table = new DynamodbTable(this, 'summary-table', {
      name: names.summaryTable,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: SUMMARY_TABLE_KEYS.partitionKey,
      rangeKey: SUMMARY_TABLE_KEYS.sortKey,
      attribute: [
        { name: SUMMARY_TABLE_KEYS.partitionKey, type: 'S' },
        { name: SUMMARY_TABLE_KEYS.sortKey, type: 'S' },
      ],
      ttl: { attributeName: SUMMARY_TABLE_KEYS.ttlAttribute, enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: kmsKeyArn ? { enabled: true, kmsKeyArn } : { enabled: true },
      deletionProtectionEnabled: true,
    });

    // Functions.
    const handlerEnv: Record<string, string> = {
      [HANDLER_ENV.summaryTable]: table.name,
      [HANDLER_ENV.resultBucket]: resultBucket.bucket,
      [HANDLER_ENV.metricNamespace]: names.metricNamespace,
      [HANDLER_ENV.summaryTtlDays]: String(config.retention.summaryTtlDays),
      NODE_OPTIONS: '--enable-source-maps',
    };
    const bundle = (dir: string): string => (isAbsolute(dir) ? dir : resolve(REPO_ROOT, dir));
    const analyzer = new LogflowFunction(this, 'analyzer', {
      functionName: names.analyzerFunction,
      description: 'logflow AnalyzeLogData: streams one access-log object into a mergeable summary',
      bundleDir: bundle(config.functions.analyzer.bundleDir),
      memoryMb: config.functions.analyzer.memoryMb,
      timeoutSeconds: config.functions.analyzer.timeoutSeconds,
      reservedConcurrency: config.functions.analyzer.reservedConcurrency ?? config.workflow.maxConcurrency,
      environment: handlerEnv,
      logRetentionDays: config.retention.logGroupDays,
      ...withKms,
      policy: (logGroupArn) =>
        analyzerPolicy({
          logGroupArn,
          inputBucketArn: inputBucket.arn,
          logPrefixRoot: config.logPrefixRoot,
          ...withKms,
        }),
    }).function;
    const reporter = new LogflowFunction(this, 'reporter', {
      functionName: names.reporterFunction,
      description: "logflow GenerateDailySummary: merges the day's results and writes the report",
      bundleDir: bundle(config.functions.reporter.bundleDir),
      memoryMb: config.functions.reporter.memoryMb,
      timeoutSeconds: config.functions.reporter.timeoutSeconds,
      reservedConcurrency: config.functions.reporter.reservedConcurrency ?? 1,
      environment: handlerEnv,
      logRetentionDays: config.retention.logGroupDays,
      ...withKms,
      policy: (logGroupArn) =>
        reporterPolicy({
          logGroupArn,
          resultBucketArn: resultBucket.arn,
          resultPrefix: RESULT_PREFIXES.results,
          reportPrefix: RESULT_PREFIXES.reports,
          summaryTableArn: table.arn,
          metricNamespace: names.metricNamespace,
          ...withKms,
        }),
    }).function;

    // The state machine. Its own ARN is spelled out (not referenced) to keep role and machine acyclic.
    const stateMachineArn = `arn:${partition}:states:${region}:${accountId}:stateMachine:${names.stateMachine}`;
    const executionArnPattern = `arn:${partition}:states:${region}:${accountId}:execution:${names.stateMachine}/*`;
    const smLogGroup = new CloudwatchLogGroup(this, 'state-machine-log-group', {
      name: `/aws/vendedlogs/states/${names.stateMachine}`,
      retentionInDays: config.retention.logGroupDays,
      ...(kmsKeyArn ? { kmsKeyId: kmsKeyArn } : {}),
    });
    const smRole = new IamRole(this, 'state-machine-role', {
      name: `${names.stateMachine}-role`,
      assumeRolePolicy: JSON.stringify(assumeRolePolicy('states.amazonaws.com', accountId)),
    });
    const smPolicy = new IamRolePolicy(this, 'state-machine-policy', {
      name: `${names.stateMachine}-policy`,
      role: smRole.name,
      policy: JSON.stringify(
        stateMachinePolicy({
          stateMachineArn,
          executionArnPattern,
          analyzerArn: analyzer.arn,
          reporterArn: reporter.arn,
          inputBucketArn: inputBucket.arn,
          logPrefixRoot: config.logPrefixRoot,
          resultBucketArn: resultBucket.arn,
          resultPrefix: RESULT_PREFIXES.results,
          summaryTableArn: table.arn,
          metricNamespace: names.metricNamespace,
          ...withKms,
        }),
      ),
    });
    const definition = buildDailyWorkflowDefinition(
      stackWorkflowConfig(config, {
        analyzerFunction: analyzer.arn,
        reporterFunction: reporter.arn,
        summaryTable: table.name,
        resultBucket: resultBucket.bucket,
        metricNamespace: names.metricNamespace,
      }),
    );
    this.stateMachine = new SfnStateMachine(this, 'state-machine', {
      name: names.stateMachine,
      type: 'STANDARD',
      roleArn: smRole.arn,
      definition: toJson(definition),
      loggingConfiguration: {
        logDestination: `${smLogGroup.arn}:*`,
        level: 'ALL',
        includeExecutionData: false,
      },
      tracingConfiguration: { enabled: true },
      ...(kmsKeyArn
        ? {
            encryptionConfiguration: {
              type: 'CUSTOMER_MANAGED_KMS_KEY',
              kmsKeyId: kmsKeyArn,
              kmsDataKeyReusePeriodSeconds: 300,
            },
          }
        : {}),
      // The role must hold its policy before Step Functions validates the definition and logging.
      dependsOn: [smPolicy],
    });

    // The daily schedule: the state machine derives the day from the scheduled time.
    const scheduleRole = new IamRole(this, 'schedule-role', {
      name: `${names.stateMachine}-schedule-role`,
      assumeRolePolicy: JSON.stringify(assumeRolePolicy('scheduler.amazonaws.com', accountId)),
    });
    new IamRolePolicy(this, 'schedule-policy', {
      name: `${names.stateMachine}-schedule-policy`,
      role: scheduleRole.name,
      policy: JSON.stringify(schedulerPolicy(this.stateMachine.arn, kmsKeyArn)),
    });
    const scheduledInput: ScheduledRunInput = {
      bucket: inputBucket.bucket,
      scheduledTime: '<aws.scheduler.scheduled-time>',
      ...(config.format ? { format: config.format } : {}),
    };
    const schedule = new SchedulerSchedule(this, 'daily-schedule', {
      name: `${base}-daily`,
      description: 'Starts the daily logflow run for the previous UTC day',
      scheduleExpression: config.schedule.expression,
      scheduleExpressionTimezone: config.schedule.timezone,
      state: config.schedule.enabled ? 'ENABLED' : 'DISABLED',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.stateMachine.arn,
        roleArn: scheduleRole.arn,
        input: JSON.stringify(scheduledInput),
        retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 2 },
      },
      ...withKms,
    });

    const monitoring = new Monitoring(this, 'monitoring', {
      base,
      region,
      partition,
      accountId,
      stateMachineArn: this.stateMachine.arn,
      stateMachineName: names.stateMachine,
      functionNames: { analyzer: names.analyzerFunction, reporter: names.reporterFunction },
      metricNamespace: names.metricNamespace,
      fiveXxRatePercent: config.alarms.fiveXxRatePercent,
      lambdaErrors: config.alarms.lambdaErrors,
      lambdaThrottles: config.alarms.lambdaThrottles,
      ...(config.alarms.email ? { alarmEmail: config.alarms.email } : {}),
      ...(config.alarms.topicArn ? { alarmTopicArn: config.alarms.topicArn } : {}),
      ...withKms,
    });

    const outputs: Record<(typeof OUTPUT_NAMES)[number], [string, string]> = {
      region: [region, 'AWS region of the deployment'],
      input_bucket: [
        inputBucket.bucket,
        `Bucket to upload access logs to, under ${config.logPrefixRoot}YYYY/MM/DD/`,
      ],
      result_bucket: [
        resultBucket.bucket,
        'Bucket holding exported results (results/) and daily reports (reports/)',
      ],
      summary_table: [table.name, 'DynamoDB table of per-file summaries'],
      metric_namespace: [names.metricNamespace, 'CloudWatch namespace of the traffic metrics'],
      state_machine_arn: [
        this.stateMachine.arn,
        'ARN of the daily state machine (aws stepfunctions start-execution)',
      ],
      state_machine_name: [this.stateMachine.name, 'Name of the daily state machine'],
      analyzer_function: [analyzer.functionName, 'AnalyzeLogData Lambda function'],
      reporter_function: [reporter.functionName, 'GenerateDailySummary Lambda function'],
      alarm_topic_arn: [monitoring.topicArn, 'SNS topic the alarms notify'],
      dashboard_name: [monitoring.dashboard.dashboardName, 'CloudWatch dashboard'],
      schedule_name: [schedule.name, 'EventBridge Scheduler schedule of the daily run'],
    };
    for (const [name, [value, description]] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value, description });
    }
  }
}
