import { RESULT_PREFIXES, type FormatOptions } from '@logflow/shared-types';
import { jsonata } from './asl.js';
import type { MapState, Retrier, State, StateMachineDefinition, TaskState } from './asl.js';
import { resolveDailyWorkflowConfig } from './config.js';
import type { DailyWorkflowConfig, ResolvedDailyWorkflowConfig } from './config.js';

/** State names show in execution histories, logs and the docs: one spelling for all of them. */
export const STATE_NAMES = {
  resolveRunInput: 'ResolveRunInput',
  processLogsUnderPrefix: 'ProcessLogsUnderPrefix',
  analyzeBatch: 'AnalyzeBatch',
  analyzeLogData: 'AnalyzeLogData',
  recordFailedFile: 'RecordFailedFile',
  storeSummary: 'StoreSummary',
  publishMetricBatches: 'PublishMetricBatches',
  storeMetrics: 'StoreMetrics',
  generateDailySummary: 'GenerateDailySummary',
} as const;

/** Service integrations of the workflow's Task states, ItemReader and ResultWriter. */
export const INTEGRATIONS = {
  lambdaInvoke: 'arn:aws:states:::lambda:invoke',
  s3ListObjectsV2: 'arn:aws:states:::s3:listObjectsV2',
  s3PutObject: 'arn:aws:states:::s3:putObject',
  dynamodbPutItem: 'arn:aws:states:::dynamodb:putItem',
  cloudwatchPutMetricData: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
} as const;

/**
 * Input a schedule may send instead of a full `DailyRunInput`: the day before `scheduledTime`
 * (UTC) is processed, under the configured day layout. Any of `date` and `prefix` may be
 * given to override the derived value.
 */
export interface ScheduledRunInput {
  bucket: string;
  /** ISO-8601 time the run was scheduled for; the execution start time when absent. */
  scheduledTime?: string;
  date?: string;
  prefix?: string;
  /** How to read the logs; detected per file when absent. */
  format?: FormatOptions;
}

/** Transient Lambda service errors, retried as the Step Functions documentation recommends. */
const LAMBDA_RETRY: Retrier[] = [
  {
    ErrorEquals: [
      'Lambda.ClientExecutionTimeoutException',
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
    ],
    IntervalSeconds: 1,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
  {
    // Throttling clears when concurrency frees up: wait longer, try more often.
    ErrorEquals: ['Lambda.TooManyRequestsException'],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
];

/** The analyzer throws LogObjectReadError when reading the object failed part-way (S3 reset). */
const LOG_READ_RETRY: Retrier = {
  ErrorEquals: ['LogObjectReadError'],
  IntervalSeconds: 2,
  MaxAttempts: 2,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};

const DYNAMODB_THROTTLE_RETRY: Retrier = {
  ErrorEquals: [
    'DynamoDB.ProvisionedThroughputExceededException',
    'DynamoDB.RequestLimitExceeded',
    'DynamoDB.ThrottlingException',
    'DynamoDB.InternalServerErrorException',
  ],
  IntervalSeconds: 1,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 30,
  JitterStrategy: 'FULL',
};

const CLOUDWATCH_THROTTLE_RETRY: Retrier = {
  // The SDK integration reports PutMetricData throttling as the service's generic exception.
  ErrorEquals: ['CloudWatch.CloudWatchException', 'CloudWatch.LimitExceededException'],
  IntervalSeconds: 1,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 30,
  JitterStrategy: 'FULL',
};

/** Longest `cause` kept per failed file: Lambda causes carry whole stack traces. */
export const FAILED_CAUSE_MAX_CHARS = 1000;

/** ResolveRunInput: completes a scheduled or partial input into a `DailyRunInput`. */
function resolveRunInputExpression(logPrefixRoot: string): string {
  return [
    '(',
    '$startTime := $exists($states.input.scheduledTime) ? $states.input.scheduledTime : $states.context.Execution.StartTime;',
    "$day := $exists($states.input.date) ? $states.input.date : $fromMillis($toMillis($startTime) - 86400000, '[Y0001]-[M01]-[D01]');",
    // The round trip through $toMillis rejects days that do not exist, such as 2026-02-30.
    `$type($day) = 'string' and $contains($day, /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/) and $fromMillis($toMillis($day & 'T00:00:00Z'), '[Y0001]-[M01]-[D01]') = $day ? $day : $error('invalid run input: "date" must be YYYY-MM-DD, got ' & $string($day));`,
    `$type($states.input.bucket) = 'string' and $length($states.input.bucket) > 0 ? $states.input.bucket : $error('invalid run input: "bucket" must be a bucket name');`,
    `$merge([{'date': $day, 'bucket': $states.input.bucket, 'prefix': $exists($states.input.prefix) ? $states.input.prefix : '${logPrefixRoot}' & $replace($day, '-', '/') & '/'}, $exists($states.input.format) ? {'format': $states.input.format} : {}])`,
    ')',
  ].join(' ');
}

/** The per-file chain: analyse, store the summary, publish the metrics, return the headline. */
function fileStates(config: ResolvedDailyWorkflowConfig): Record<string, State> {
  const analyze: TaskState = {
    Type: 'Task',
    Comment: 'Analyses one log object; a file that cannot be analysed is recorded, never fatal for the day.',
    Resource: INTEGRATIONS.lambdaInvoke,
    Arguments: { FunctionName: config.analyzerFunction, Payload: jsonata('$states.input') },
    Assign: { headline: jsonata('$states.result.Payload.headline') },
    Output: jsonata('$states.result.Payload'),
    Retry: [...LAMBDA_RETRY, LOG_READ_RETRY],
    Catch: [
      {
        ErrorEquals: ['States.ALL'],
        Next: STATE_NAMES.recordFailedFile,
        Output: jsonata("$merge([{'key': $states.input.object.Key}, $states.errorOutput])"),
      },
    ],
    Next: STATE_NAMES.storeSummary,
  };
  const storeSummary: TaskState = {
    Type: 'Task',
    Comment: "Stores the file's summary item; passes the metric batches on.",
    Resource: INTEGRATIONS.dynamodbPutItem,
    Arguments: { TableName: config.summaryTable, Item: jsonata('$states.input.item') },
    Output: jsonata('$states.input.metricBatches'),
    Retry: [DYNAMODB_THROTTLE_RETRY],
    Next: STATE_NAMES.publishMetricBatches,
  };
  const storeMetrics: TaskState = {
    Type: 'Task',
    Comment: 'One PutMetricData request, sized by the analyzer within the API limits.',
    Resource: INTEGRATIONS.cloudwatchPutMetricData,
    Arguments: { Namespace: config.metricNamespace, MetricData: jsonata('$states.input') },
    Retry: [CLOUDWATCH_THROTTLE_RETRY],
    End: true,
  };
  const publishMetricBatches: MapState = {
    Type: 'Map',
    Comment: "Runs StoreMetrics once per metric batch; the iteration's result is the small headline.",
    Items: jsonata('$states.input'),
    // Sequential: the Distributed Map already bounds how many files publish at once.
    MaxConcurrency: 1,
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: STATE_NAMES.storeMetrics,
      States: { [STATE_NAMES.storeMetrics]: storeMetrics },
    },
    Output: jsonata('$headline'),
    End: true,
  };
  return {
    [STATE_NAMES.analyzeLogData]: analyze,
    [STATE_NAMES.recordFailedFile]: {
      Type: 'Pass',
      Comment: 'Turns the caught error into a FailedFileRecord for the daily report.',
      Output: jsonata(
        `{'key': $states.input.key, 'status': 'FAILED', 'error': $states.input.Error, 'cause': $substring($states.input.Cause, 0, ${FAILED_CAUSE_MAX_CHARS})}`,
      ),
      End: true,
    },
    [STATE_NAMES.storeSummary]: storeSummary,
    [STATE_NAMES.publishMetricBatches]: publishMetricBatches,
  };
}

/** The child workflow of ProcessLogsUnderPrefix: one file, or one batch of files. */
function itemProcessorStates(config: ResolvedDailyWorkflowConfig): {
  StartAt: string;
  States: Record<string, State>;
} {
  if (!config.itemBatcher) return { StartAt: STATE_NAMES.analyzeLogData, States: fileStates(config) };
  const analyzeBatch: MapState = {
    Type: 'Map',
    Comment: 'With ItemBatcher a child execution receives {Items: [...]}: each file runs the same chain.',
    Items: jsonata('$states.input.Items'),
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: STATE_NAMES.analyzeLogData,
      States: fileStates(config),
    },
    End: true,
  };
  return { StartAt: STATE_NAMES.analyzeBatch, States: { [STATE_NAMES.analyzeBatch]: analyzeBatch } };
}

/** Builds the Amazon States Language definition of the daily log workflow. */
export function buildDailyWorkflowDefinition(config: DailyWorkflowConfig): StateMachineDefinition {
  const resolved = resolveDailyWorkflowConfig(config);
  const batcher = resolved.itemBatcher;
  const processLogs: MapState = {
    Type: 'Map',
    Comment:
      'Analyses every object under the prefix in child executions. ExportResults: the ResultWriter ' +
      'writes the Map results (one headline or FailedFileRecord per object) to the result bucket.',
    ItemReader: {
      Resource: INTEGRATIONS.s3ListObjectsV2,
      Arguments: { Bucket: jsonata('$states.input.bucket'), Prefix: jsonata('$states.input.prefix') },
    },
    ItemSelector: {
      bucket: jsonata('$states.input.bucket'),
      date: jsonata('$states.input.date'),
      object: jsonata('$states.context.Map.Item.Value'),
      // How to read the prefix's logs (FormatOptions), or null to detect per file.
      format: jsonata('$exists($states.input.format) ? $states.input.format : null'),
    },
    ...(batcher
      ? {
          ItemBatcher: {
            ...(batcher.maxItemsPerBatch !== undefined ? { MaxItemsPerBatch: batcher.maxItemsPerBatch } : {}),
            ...(batcher.maxInputBytesPerBatch !== undefined
              ? { MaxInputBytesPerBatch: batcher.maxInputBytesPerBatch }
              : {}),
          },
        }
      : {}),
    ItemProcessor: {
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: resolved.childExecutionType },
      ...itemProcessorStates(resolved),
    },
    MaxConcurrency: resolved.maxConcurrency,
    ToleratedFailurePercentage: resolved.toleratedFailurePercentage,
    ResultWriter: {
      Resource: INTEGRATIONS.s3PutObject,
      Arguments: {
        Bucket: resolved.resultBucket,
        Prefix: jsonata(`'${RESULT_PREFIXES.results}' & $states.input.date`),
      },
    },
    Output: {
      date: jsonata('$states.input.date'),
      resultWriterDetails: jsonata('$states.result.ResultWriterDetails'),
    },
    Next: STATE_NAMES.generateDailySummary,
  };
  return {
    Comment: 'logflow: analyse one day of access logs, store summaries and metrics, write the daily report.',
    QueryLanguage: 'JSONata',
    StartAt: STATE_NAMES.resolveRunInput,
    TimeoutSeconds: resolved.timeoutSeconds,
    States: {
      [STATE_NAMES.resolveRunInput]: {
        Type: 'Pass',
        Comment:
          'Completes the input to {date, bucket, prefix}: a schedule sends {bucket, scheduledTime} and the ' +
          'day before scheduledTime (UTC) is processed under the day layout.',
        Output: jsonata(resolveRunInputExpression(resolved.logPrefixRoot)),
        Next: STATE_NAMES.processLogsUnderPrefix,
      },
      [STATE_NAMES.processLogsUnderPrefix]: processLogs,
      [STATE_NAMES.generateDailySummary]: {
        Type: 'Task',
        Comment: "Merges the day's results and writes the report.",
        Resource: INTEGRATIONS.lambdaInvoke,
        Arguments: {
          FunctionName: resolved.reporterFunction,
          Payload: {
            date: jsonata('$states.input.date'),
            resultWriterDetails: jsonata('$states.input.resultWriterDetails'),
          },
        },
        Output: jsonata('$states.result.Payload'),
        Retry: LAMBDA_RETRY,
        End: true,
      },
    },
  };
}
