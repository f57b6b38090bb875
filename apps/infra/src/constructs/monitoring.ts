import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import type { CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { FILE_METRIC_NAMES } from '@logflow/shared-types';
import type { PolicyDocument } from '../policies.js';

/** The share of 5xx responses in percent, over metric queries `errors` and `requests`. */
const FIVE_XX_RATE_EXPRESSION = 'IF(requests > 0, 100 * errors / requests, 0)';

export interface MonitoringProps {
  base: string;
  region: string;
  partition: string;
  accountId: string;
  stateMachineArn: string;
  stateMachineName: string;
  functionNames: { analyzer: string; reporter: string };
  metricNamespace: string;
  alarmEmail?: string;
  /** An existing topic to notify; the stack then creates no topic (and no key for one). */
  alarmTopicArn?: string;
  fiveXxRatePercent: number;
  lambdaErrors: number;
  lambdaThrottles: number;
  kmsKeyArn?: string;
}

/**
 * Key policy of the alarm topic's key: the account administers it (actions listed, no `kms:*`)
 * and CloudWatch may encrypt the notifications it publishes. In a key policy `*` means this key.
 */
export function alarmKeyPolicy(partition: string, accountId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountAdministersKey',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: [
          'kms:CancelKeyDeletion',
          'kms:CreateAlias',
          'kms:DeleteAlias',
          'kms:DescribeKey',
          'kms:DisableKey',
          'kms:DisableKeyRotation',
          'kms:EnableKey',
          'kms:EnableKeyRotation',
          'kms:GetKeyPolicy',
          'kms:GetKeyRotationStatus',
          'kms:ListResourceTags',
          'kms:PutKeyPolicy',
          'kms:ScheduleKeyDeletion',
          'kms:TagResource',
          'kms:UntagResource',
          'kms:UpdateAlias',
          'kms:UpdateKeyDescription',
          'kms:Decrypt',
          'kms:Encrypt',
          'kms:GenerateDataKey',
        ],
        Resource: ['*'],
      },
      {
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: ['*'],
        Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
      },
    ],
  };
}

/** Alias of the key the stack creates for its alarm topic. */
export function alarmKeyAlias(base: string): string {
  return `alias/${base}-alarms`;
}

/** Alarms on the daily run and its functions, an encrypted topic they notify, and a dashboard. */
export class Monitoring extends Construct {
  /** The stack's own topic; absent when the alarms notify an existing one. */
  readonly topic?: SnsTopic;
  /** The topic every alarm notifies. */
  readonly topicArn: string;
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, p: MonitoringProps) {
    super(scope, id);
    if (p.alarmTopicArn) {
      this.topicArn = p.alarmTopicArn;
    } else {
      // CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key: use a customer key.
      let keyArn = p.kmsKeyArn;
      if (!keyArn) {
        const key = new KmsKey(this, 'alarm-topic-key', {
          description: `${p.base} alarm notifications`,
          enableKeyRotation: true,
          deletionWindowInDays: 30,
          policy: JSON.stringify(alarmKeyPolicy(p.partition, p.accountId)),
        });
        // The deploy and plan roles are granted this key by its alias (kms:ResourceAliases).
        new KmsAlias(this, 'alarm-topic-key-alias', { name: alarmKeyAlias(p.base), targetKeyId: key.keyId });
        keyArn = key.arn;
      }
      this.topic = new SnsTopic(this, 'alarm-topic', { name: `${p.base}-alarms`, kmsMasterKeyId: keyArn });
      const topicPolicy: PolicyDocument = {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'CloudWatchAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['sns:Publish'],
            Resource: [this.topic.arn],
            Condition: {
              ArnLike: {
                'aws:SourceArn': `arn:${p.partition}:cloudwatch:${p.region}:${p.accountId}:alarm:${p.base}-*`,
              },
            },
          },
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: ['sns:Publish'],
            Resource: [this.topic.arn],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      };
      new SnsTopicPolicy(this, 'alarm-topic-policy', {
        arn: this.topic.arn,
        policy: JSON.stringify(topicPolicy),
      });
      if (p.alarmEmail) {
        new SnsTopicSubscription(this, 'alarm-email', {
          topicArn: this.topic.arn,
          protocol: 'email',
          endpoint: p.alarmEmail,
        });
      }
      this.topicArn = this.topic.arn;
    }

    const notify = {
      alarmActions: [this.topicArn],
      okActions: [this.topicArn],
      treatMissingData: 'notBreaching',
    };
    const alarm = (alarmId: string, config: Omit<CloudwatchMetricAlarmConfig, keyof typeof notify>): void => {
      this.alarms.push(new CloudwatchMetricAlarm(this, alarmId, { ...notify, ...config }));
    };

    for (const [metric, slug] of [
      ['ExecutionsFailed', 'failed'],
      ['ExecutionsTimedOut', 'timed-out'],
      ['ExecutionsAborted', 'aborted'],
    ] as const) {
      alarm(`executions-${slug}`, {
        alarmName: `${p.base}-executions-${slug}`,
        alarmDescription: `A daily logflow run of ${p.stateMachineName} ended ${slug.replace('-', ' ')}.`,
        namespace: 'AWS/States',
        metricName: metric,
        dimensions: { StateMachineArn: p.stateMachineArn },
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
    for (const [role, functionName] of Object.entries(p.functionNames)) {
      for (const [metric, slug, threshold, happened] of [
        ['Errors', 'errors', p.lambdaErrors, 'reported errors'],
        ['Throttles', 'throttles', p.lambdaThrottles, 'was throttled'],
      ] as const) {
        alarm(`${role}-${slug}`, {
          alarmName: `${p.base}-${role}-${slug}`,
          alarmDescription: `${functionName} ${happened}.`,
          namespace: 'AWS/Lambda',
          metricName: metric,
          dimensions: { FunctionName: functionName },
          statistic: 'Sum',
          period: 300,
          evaluationPeriods: 1,
          threshold,
          comparisonOperator: 'GreaterThanOrEqualToThreshold',
        });
      }
    }
    // The day's 5xx share from the analyzer's dimensionless series (timestamped with the logs' own times).
    alarm('daily-5xx-rate', {
      alarmName: `${p.base}-daily-5xx-rate`,
      alarmDescription: `More than ${p.fiveXxRatePercent}% of the day's requests were answered with 5xx.`,
      evaluationPeriods: 1,
      threshold: p.fiveXxRatePercent,
      comparisonOperator: 'GreaterThanThreshold',
      metricQuery: [
        {
          id: 'errors',
          returnData: false,
          metric: {
            namespace: p.metricNamespace,
            metricName: FILE_METRIC_NAMES.errors5xx,
            stat: 'Sum',
            period: 86400,
          },
        },
        {
          id: 'requests',
          returnData: false,
          metric: {
            namespace: p.metricNamespace,
            metricName: FILE_METRIC_NAMES.requests,
            stat: 'Sum',
            period: 86400,
          },
        },
        {
          id: 'rate',
          label: '5xx rate (%)',
          returnData: true,
          expression: FIVE_XX_RATE_EXPRESSION,
        },
      ],
    });

    const widget = (title: string, metrics: unknown[], extra: Record<string, unknown> = {}) => ({
      type: 'metric',
      width: 12,
      height: 6,
      properties: {
        title,
        region: p.region,
        view: 'timeSeries',
        stat: 'Sum',
        period: 3600,
        metrics,
        ...extra,
      },
    });
    const sm = p.stateMachineArn;
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: p.base,
      dashboardBody: JSON.stringify({
        widgets: [
          widget('Daily runs', [
            ['AWS/States', 'ExecutionsStarted', 'StateMachineArn', sm],
            ['.', 'ExecutionsSucceeded', '.', '.'],
            ['.', 'ExecutionsFailed', '.', '.'],
            ['.', 'ExecutionsTimedOut', '.', '.'],
          ]),
          widget('Run duration (ms)', [['AWS/States', 'ExecutionTime', 'StateMachineArn', sm]], {
            stat: 'Maximum',
          }),
          widget(
            'Functions: errors and throttles',
            Object.values(p.functionNames).flatMap((name) => [
              ['AWS/Lambda', 'Errors', 'FunctionName', name],
              ['.', 'Throttles', '.', '.'],
            ]),
          ),
          widget(
            'Functions: duration p95 (ms)',
            Object.values(p.functionNames).map((name) => ['AWS/Lambda', 'Duration', 'FunctionName', name]),
            { stat: 'p95' },
          ),
          widget(
            'Requests and 5xx responses (from the logs)',
            [
              [p.metricNamespace, FILE_METRIC_NAMES.requests, { id: 'requests' }],
              ['.', FILE_METRIC_NAMES.errors5xx, { id: 'errors' }],
              [
                {
                  expression: FIVE_XX_RATE_EXPRESSION,
                  label: '5xx rate (%)',
                  id: 'rate',
                  yAxis: 'right',
                },
              ],
            ],
            { period: 86400 },
          ),
        ],
      }),
    });
  }
}
