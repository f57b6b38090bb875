import {
  ANALYZER_VERSION,
  PUBLICATION_STATUS,
  RESULT_PREFIXES,
  type FormatOptions,
} from '@logflow/shared-types';
import { jsonata } from './asl.js';
import type { MapState, Retrier, State, StateMachineDefinition, TaskState } from './asl.js';
import { resolveDailyWorkflowConfig } from './config.js';
import type { DailyWorkflowConfig, ResolvedDailyWorkflowConfig } from './config.js';

/** State names show in execution histories, logs and the docs: one spelling for all of them. */
export const STATE_NAMES = {
  resolveRunInput: 'ResolveRunInput',
  processLogsUnderPrefix: 'ProcessLogsUnderPrefix',
  claimObjects: 'ClaimObjects',
  claimObject: 'ClaimObject',
  alreadyPublished: 'AlreadyPublished',
  claimFailed: 'ClaimFailed',
  analyzeLogData: 'AnalyzeLogData',
  analysisFailed: 'AnalysisFailed',
  hasSummary: 'HasSummary',
  storeSummary: 'StoreSummary',
  storeFailed: 'StoreFailed',
  hasMetrics: 'HasMetrics',
  readPublicationProgress: 'ReadPublicationProgress',
  publishMetricBatches: 'PublishMetricBatches',
  batchSent: 'BatchSent',
  skipSentBatch: 'SkipSentBatch',
  storeMetrics: 'StoreMetrics',
  recordProgress: 'RecordProgress',
  publishFailed: 'PublishFailed',
  markPublished: 'MarkPublished',
  markObjectPublished: 'MarkObjectPublished',
  supersededVersion: 'SupersededVersion',
  batchDone: 'BatchDone',
  claimDailyMetrics: 'ClaimDailyMetrics',
  generateDailySummary: 'GenerateDailySummary',
  dailyMetricsSent: 'DailyMetricsSent',
  markDailyMetricsPublished: 'MarkDailyMetricsPublished',
  reportWritten: 'ReportWritten',
} as const;

/** Service integrations of the workflow's Task states, ItemReader and ResultWriter. */
export const INTEGRATIONS = {
  lambdaInvoke: 'arn:aws:states:::lambda:invoke',
  s3ListObjectsV2: 'arn:aws:states:::s3:listObjectsV2',
  s3PutObject: 'arn:aws:states:::s3:putObject',
  dynamodbPutItem: 'arn:aws:states:::dynamodb:putItem',
  dynamodbGetItem: 'arn:aws:states:::dynamodb:getItem',
  dynamodbUpdateItem: 'arn:aws:states:::dynamodb:updateItem',
  cloudwatchPutMetricData: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
} as const;

/** The error the optimized DynamoDB integration reports for a condition that did not hold. */
export const CONDITIONAL_CHECK_FAILED = 'DynamoDB.ConditionalCheckFailedException';

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
export const FAILED_CAUSE_MAX_CHARS = 500;

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

/** JSONata for a FailedFileRecord of every object in `objects` (an expression), failed in `state`. */
function failedRecords(objects: string, state: string): string {
  return (
    `[${objects}.{'key': key, 'status': 'FAILED', 'state': ${state}, 'error': $states.errorOutput.Error, ` +
    `'cause': $substring($string($states.errorOutput.Cause), 0, ${FAILED_CAUSE_MAX_CHARS})}]`
  );
}

/** The child output (a `BatchOutcome`) when `failed` (an expression) are the batch's failures and nothing is merged. */
function failedBatchOutput(failed: string): string {
  return `{'summaryKey': null, 'analyzed': 0, 'failed': $append($claimFailed, ${failed})}`;
}

/**
 * The child workflow of ProcessLogsUnderPrefix, run once per batch of listed objects:
 *
 * 1. ClaimObjects: per object, a conditional PutItem of its version record (ETag, analyzer
 *    version, PENDING) that fails when that version is already PUBLISHED: those objects are
 *    analysed for the report but their metrics are not sent again.
 * 2. AnalyzeLogData: one invocation for the batch; per-object failures come back as records.
 * 3. StoreSummary: the batch summary record (named by the hash of its object versions).
 * 4. PublishMetricBatches: the merged metrics of the claimed objects, skipping the batches a
 *    publication record says were sent, and counting each one sent.
 * 5. MarkPublished: each claimed object version becomes PUBLISHED, unless a newer version was
 *    claimed meanwhile.
 *
 * A failure of StoreSummary or of the publication fails every object of the batch, naming the
 * state, so the report never merges numbers it does not count.
 */
function batchStates(config: ResolvedDailyWorkflowConfig): {
  StartAt: string;
  States: Record<string, State>;
} {
  const table = config.summaryTable;
  const ttlSeconds = (config.summaryTtlDays + 1) * 86_400;
  const dayPk = "'DAY#' & $states.input.date";
  const objectSk = "'FILE#s3://' & $states.input.bucket & '/' & $states.input.object.Key";
  const etag = "$replace($states.input.object.Etag, '\"', '')";
  const claimObject: TaskState = {
    Type: 'Task',
    Comment:
      'Claims the object version for publication; fails with ConditionalCheckFailed when that version is already PUBLISHED.',
    Resource: INTEGRATIONS.dynamodbPutItem,
    Arguments: {
      TableName: table,
      Item: jsonata(
        `{'pk': {'S': ${dayPk}}, 'sk': {'S': ${objectSk}}, 'etag': {'S': ${etag}}, ` +
          `'analyzer': {'S': '${ANALYZER_VERSION}'}, 'status': {'S': '${PUBLICATION_STATUS.pending}'}, ` +
          `'expiresAt': {'N': $string($floor($toMillis($states.input.date & 'T00:00:00Z') / 1000) + ${ttlSeconds})}}`,
      ),
      ConditionExpression:
        'attribute_not_exists(#status) OR #status <> :published OR #etag <> :etag OR #analyzer <> :analyzer',
      ExpressionAttributeNames: { '#status': 'status', '#etag': 'etag', '#analyzer': 'analyzer' },
      ExpressionAttributeValues: {
        ':published': { S: PUBLICATION_STATUS.published },
        ':etag': { S: jsonata(etag) },
        ':analyzer': { S: ANALYZER_VERSION },
      },
    },
    Output: jsonata("$merge([$states.input, {'publish': true}])"),
    Retry: [DYNAMODB_THROTTLE_RETRY],
    Catch: [
      {
        ErrorEquals: [CONDITIONAL_CHECK_FAILED],
        Next: STATE_NAMES.alreadyPublished,
        Output: jsonata("$merge([$states.input, {'publish': false}])"),
      },
      {
        ErrorEquals: ['States.ALL'],
        Next: STATE_NAMES.claimFailed,
        Output: jsonata(
          `{'key': $states.input.object.Key, 'status': 'FAILED', 'state': '${STATE_NAMES.claimObject}', 'error': $states.errorOutput.Error, 'cause': $substring($string($states.errorOutput.Cause), 0, ${FAILED_CAUSE_MAX_CHARS})}`,
        ),
      },
    ],
    End: true,
  };
  const claimObjects: MapState = {
    Type: 'Map',
    Comment: "Claims each object of the batch; objects whose claim failed are the batch's first failures.",
    Items: jsonata('$states.input.Items'),
    MaxConcurrency: 10,
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: STATE_NAMES.claimObject,
      States: {
        [STATE_NAMES.claimObject]: claimObject,
        [STATE_NAMES.alreadyPublished]: {
          Type: 'Pass',
          Comment: "This version's metrics were published by an earlier run: analyse it for the report only.",
          End: true,
        },
        [STATE_NAMES.claimFailed]: { Type: 'Pass', End: true },
      },
    },
    Assign: {
      date: jsonata('$states.input.Items[0].date'),
      bucket: jsonata('$states.input.Items[0].bucket'),
      claimFailed: jsonata("[$states.result[status = 'FAILED']]"),
    },
    Output: jsonata("{'items': [$states.result[$exists(publish)]]}"),
    Next: STATE_NAMES.analyzeLogData,
  };
  const analyze: TaskState = {
    Type: 'Task',
    Comment:
      'Analyses the batch in one invocation: one merged summary record, merged metrics, one outcome per object.',
    Resource: INTEGRATIONS.lambdaInvoke,
    Arguments: { FunctionName: config.analyzerFunction, Payload: jsonata('$states.input') },
    Assign: {
      files: jsonata('$states.result.Payload.files'),
      summaryKey: jsonata('$states.result.Payload.summaryKey'),
      publication: jsonata('$states.result.Payload.publication'),
    },
    Output: jsonata('$states.result.Payload'),
    Retry: LAMBDA_RETRY,
    Catch: [
      {
        ErrorEquals: ['States.ALL'],
        Next: STATE_NAMES.analysisFailed,
        Output: jsonata(
          failedBatchOutput(
            failedRecords('$states.input.items.{"key": object.Key}', `'${STATE_NAMES.analyzeLogData}'`),
          ),
        ),
      },
    ],
    Next: STATE_NAMES.hasSummary,
  };
  const analyzedFiles = "$files[status = 'ANALYZED']";
  const batchFailures = "[$files[status = 'FAILED']]";
  const failAnalyzed = (state: string): string =>
    failedBatchOutput(`$append(${batchFailures}, ${failedRecords(analyzedFiles, state)})`);
  const storeSummary: TaskState = {
    Type: 'Task',
    Comment: 'Stores the batch summary record; its key goes to the Map results for the report.',
    Resource: INTEGRATIONS.dynamodbPutItem,
    Arguments: { TableName: table, Item: jsonata('$states.input.item') },
    Output: jsonata('$states.input.metricBatches'),
    Retry: [DYNAMODB_THROTTLE_RETRY],
    Catch: [
      {
        ErrorEquals: ['States.ALL'],
        Next: STATE_NAMES.storeFailed,
        Output: jsonata(failAnalyzed(`'${STATE_NAMES.storeSummary}'`)),
      },
    ],
    Next: STATE_NAMES.hasMetrics,
  };
  const pubKey = "{'pk': {'S': 'DAY#' & $date}, 'sk': {'S': 'PUB#' & $publication.id}}";
  const readProgress: TaskState = {
    Type: 'Task',
    Comment: "How many of this publication's metric batches an earlier attempt sent.",
    Resource: INTEGRATIONS.dynamodbGetItem,
    Arguments: { TableName: table, Key: jsonata(pubKey), ConsistentRead: true },
    Assign: {
      sent: jsonata('$exists($states.result.Item.done.N) ? $number($states.result.Item.done.N) : 0'),
    },
    Output: jsonata('$states.input'),
    Retry: [DYNAMODB_THROTTLE_RETRY],
    Catch: [
      {
        ErrorEquals: ['States.ALL'],
        Next: STATE_NAMES.publishFailed,
        Output: jsonata(failAnalyzed(`'${STATE_NAMES.readPublicationProgress}'`)),
      },
    ],
    Next: STATE_NAMES.publishMetricBatches,
  };
  const storeMetrics: TaskState = {
    Type: 'Task',
    Comment: 'One PutMetricData request, sized by the analyzer within the API limits.',
    Resource: INTEGRATIONS.cloudwatchPutMetricData,
    Arguments: { Namespace: config.metricNamespace, MetricData: jsonata('$states.input.data') },
    Output: jsonata('$states.input'),
    Retry: [CLOUDWATCH_THROTTLE_RETRY],
    Next: STATE_NAMES.recordProgress,
  };
  const recordProgress: TaskState = {
    Type: 'Task',
    Comment: 'Counts the batch as sent, so a rerun after a crash resumes after it.',
    Resource: INTEGRATIONS.dynamodbUpdateItem,
    Arguments: {
      TableName: table,
      Key: jsonata(pubKey),
      UpdateExpression: 'SET #done = :done, #expiresAt = :expiresAt',
      ExpressionAttributeNames: { '#done': 'done', '#expiresAt': 'expiresAt' },
      ExpressionAttributeValues: jsonata(
        `{':done': {'N': $string($states.input.index + 1)}, ':expiresAt': {'N': $string($floor($toMillis($date & 'T00:00:00Z') / 1000) + ${ttlSeconds})}}`,
      ),
    },
    Retry: [DYNAMODB_THROTTLE_RETRY],
    End: true,
  };
  const publishMetricBatches: MapState = {
    Type: 'Map',
    Comment: 'Sends the metric batches in order, after the ones an earlier attempt sent.',
    Items: jsonata('$states.input'),
    ItemSelector: {
      index: jsonata('$states.context.Map.Item.Index'),
      data: jsonata('$states.context.Map.Item.Value'),
    },
    // In order: the progress record counts a prefix of the batches.
    MaxConcurrency: 1,
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: STATE_NAMES.batchSent,
      States: {
        [STATE_NAMES.batchSent]: {
          Type: 'Choice',
          Choices: [{ Condition: jsonata('$states.input.index < $sent'), Next: STATE_NAMES.skipSentBatch }],
          Default: STATE_NAMES.storeMetrics,
        },
        [STATE_NAMES.skipSentBatch]: { Type: 'Pass', End: true },
        [STATE_NAMES.storeMetrics]: storeMetrics,
        [STATE_NAMES.recordProgress]: recordProgress,
      },
    },
    Catch: [
      {
        ErrorEquals: ['States.ALL'],
        Next: STATE_NAMES.publishFailed,
        Output: jsonata(
          failAnalyzed(
            `$contains($string($states.errorOutput.Error), /^CloudWatch\./) ? '${STATE_NAMES.storeMetrics}' : '${STATE_NAMES.recordProgress}'`,
          ),
        ),
      },
    ],
    Next: STATE_NAMES.markPublished,
  };
  const markObjectPublished: TaskState = {
    Type: 'Task',
    Comment: 'Every metric batch of this version is sent: a rerun will not send them again.',
    Resource: INTEGRATIONS.dynamodbUpdateItem,
    Arguments: {
      TableName: table,
      Key: jsonata(
        "{'pk': {'S': 'DAY#' & $date}, 'sk': {'S': 'FILE#s3://' & $bucket & '/' & $states.input.key}}",
      ),
      UpdateExpression: 'SET #status = :published',
      ConditionExpression: '#etag = :etag AND #analyzer = :analyzer',
      ExpressionAttributeNames: { '#status': 'status', '#etag': 'etag', '#analyzer': 'analyzer' },
      ExpressionAttributeValues: {
        ':published': { S: PUBLICATION_STATUS.published },
        ':etag': { S: jsonata('$states.input.etag') },
        ':analyzer': { S: ANALYZER_VERSION },
      },
    },
    Retry: [DYNAMODB_THROTTLE_RETRY],
    Catch: [{ ErrorEquals: [CONDITIONAL_CHECK_FAILED], Next: STATE_NAMES.supersededVersion }],
    End: true,
  };
  const markPublished: MapState = {
    Type: 'Map',
    Comment: 'Marks each claimed object version PUBLISHED.',
    Items: jsonata('$publication.objects'),
    MaxConcurrency: 10,
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: STATE_NAMES.markObjectPublished,
      States: {
        [STATE_NAMES.markObjectPublished]: markObjectPublished,
        [STATE_NAMES.supersededVersion]: {
          Type: 'Pass',
          Comment: 'A newer version of the object was claimed meanwhile; its own run publishes it.',
          End: true,
        },
      },
    },
    Catch: [
      {
        ErrorEquals: ['States.ALL'],
        Next: STATE_NAMES.publishFailed,
        Output: jsonata(failAnalyzed(`'${STATE_NAMES.markObjectPublished}'`)),
      },
    ],
    Next: STATE_NAMES.batchDone,
  };
  return {
    StartAt: STATE_NAMES.claimObjects,
    States: {
      [STATE_NAMES.claimObjects]: claimObjects,
      [STATE_NAMES.analyzeLogData]: analyze,
      [STATE_NAMES.analysisFailed]: { Type: 'Pass', End: true },
      [STATE_NAMES.hasSummary]: {
        Type: 'Choice',
        Comment: 'A batch in which no object could be analysed has nothing to store or publish.',
        Choices: [
          {
            Condition: jsonata('$exists($states.input.item) and $states.input.item != null'),
            Next: STATE_NAMES.storeSummary,
          },
        ],
        Default: STATE_NAMES.batchDone,
      },
      [STATE_NAMES.storeSummary]: storeSummary,
      [STATE_NAMES.storeFailed]: { Type: 'Pass', End: true },
      [STATE_NAMES.hasMetrics]: {
        Type: 'Choice',
        Comment: 'Datums CloudWatch would reject (too old) are left out: there may be none to send.',
        Choices: [
          { Condition: jsonata('$count($states.input) > 0'), Next: STATE_NAMES.readPublicationProgress },
        ],
        Default: STATE_NAMES.markPublished,
      },
      [STATE_NAMES.readPublicationProgress]: readProgress,
      [STATE_NAMES.publishMetricBatches]: publishMetricBatches,
      [STATE_NAMES.publishFailed]: { Type: 'Pass', End: true },
      [STATE_NAMES.markPublished]: markPublished,
      [STATE_NAMES.batchDone]: {
        Type: 'Pass',
        Comment: "The batch's outcome for the Map results: where its summary is, and every failure.",
        Output: jsonata(
          `{'summaryKey': $summaryKey, 'analyzed': $count(${analyzedFiles}), 'failed': $append($claimFailed, ${batchFailures})}`,
        ),
        End: true,
      },
    },
  };
}

/** Builds the Amazon States Language definition of the daily log workflow. */
export function buildDailyWorkflowDefinition(config: DailyWorkflowConfig): StateMachineDefinition {
  const resolved = resolveDailyWorkflowConfig(config);
  const batcher = resolved.itemBatcher;
  const processLogs: MapState = {
    Type: 'Map',
    Comment:
      'Analyses every object under the prefix in batches, one child execution each. ExportResults: the ' +
      'ResultWriter writes the Map results (one BatchOutcome per batch) to the result bucket.',
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
    ItemBatcher: {
      ...(batcher.maxItemsPerBatch !== undefined ? { MaxItemsPerBatch: batcher.maxItemsPerBatch } : {}),
      ...(batcher.maxInputBytesPerBatch !== undefined
        ? { MaxInputBytesPerBatch: batcher.maxInputBytesPerBatch }
        : {}),
    },
    ItemProcessor: {
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: resolved.childExecutionType },
      ...batchStates(resolved),
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
    Next: STATE_NAMES.claimDailyMetrics,
  };
  const dailyKey = "{'pk': {'S': 'DAY#' & $states.input.date}, 'sk': {'S': 'METRICS#DAY'}}";
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
      [STATE_NAMES.claimDailyMetrics]: {
        Type: 'Task',
        Comment:
          "Claims the day's own metrics for publication; fails with ConditionalCheckFailed when an earlier run published them.",
        Resource: INTEGRATIONS.dynamodbPutItem,
        Arguments: {
          TableName: resolved.summaryTable,
          Item: jsonata(
            `$merge([${dailyKey}, {'status': {'S': '${PUBLICATION_STATUS.pending}'}, 'expiresAt': {'N': $string($floor($toMillis($states.input.date & 'T00:00:00Z') / 1000) + ${(resolved.summaryTtlDays + 1) * 86_400})}}])`,
          ),
          ConditionExpression: 'attribute_not_exists(#status) OR #status <> :published',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':published': { S: PUBLICATION_STATUS.published } },
        },
        Output: jsonata("$merge([$states.input, {'publishMetrics': true}])"),
        Retry: [DYNAMODB_THROTTLE_RETRY],
        Catch: [
          {
            ErrorEquals: [CONDITIONAL_CHECK_FAILED],
            Next: STATE_NAMES.generateDailySummary,
            Output: jsonata("$merge([$states.input, {'publishMetrics': false}])"),
          },
        ],
        Next: STATE_NAMES.generateDailySummary,
      },
      [STATE_NAMES.generateDailySummary]: {
        Type: 'Task',
        Comment: "Merges the day's results, writes the report, and publishes the day's metrics when claimed.",
        Resource: INTEGRATIONS.lambdaInvoke,
        Arguments: {
          FunctionName: resolved.reporterFunction,
          Payload: {
            date: jsonata('$states.input.date'),
            resultWriterDetails: jsonata('$states.input.resultWriterDetails'),
            publishMetrics: jsonata('$states.input.publishMetrics'),
          },
        },
        Assign: { report: jsonata('$states.result.Payload') },
        Output: jsonata(
          "{'date': $states.input.date, 'sent': $states.input.publishMetrics and $states.result.Payload.metrics.datums > 0}",
        ),
        Retry: LAMBDA_RETRY,
        Next: STATE_NAMES.dailyMetricsSent,
      },
      [STATE_NAMES.dailyMetricsSent]: {
        Type: 'Choice',
        Choices: [{ Condition: jsonata('$states.input.sent'), Next: STATE_NAMES.markDailyMetricsPublished }],
        Default: STATE_NAMES.reportWritten,
      },
      [STATE_NAMES.markDailyMetricsPublished]: {
        Type: 'Task',
        Comment: "The day's metrics are sent: a rerun will not send them again.",
        Resource: INTEGRATIONS.dynamodbUpdateItem,
        Arguments: {
          TableName: resolved.summaryTable,
          Key: jsonata(dailyKey),
          UpdateExpression: 'SET #status = :published',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':published': { S: PUBLICATION_STATUS.published } },
        },
        Retry: [DYNAMODB_THROTTLE_RETRY],
        Next: STATE_NAMES.reportWritten,
      },
      [STATE_NAMES.reportWritten]: {
        Type: 'Pass',
        Comment: "The run's output: GenerateDailySummary's result.",
        Output: jsonata('$report'),
        End: true,
      },
    },
  };
}
