/**
 * IAM policy documents of logflow as plain data: one function per role, each listing exactly the
 * actions its principal calls. Inputs are ARNs (Terraform references at synth time).
 */

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  /** Absent only in trust policies, whose resource is the role itself. */
  Resource?: string[];
  Principal?: '*' | { Service?: string; AWS?: string; Federated?: string };
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/**
 * Actions that accept no resource-level permissions and are therefore granted on `*`, each
 * with the reason. The policy test rejects `*` resources for any other action.
 */
export const UNSCOPED_RESOURCE_ACTIONS: Record<string, string> = {
  'cloudwatch:PutMetricData': 'no resource-level permissions; scoped by the cloudwatch:namespace condition',
  'logs:CreateLogDelivery': 'vended log delivery for state machine logging takes no resource ARN',
  'logs:GetLogDelivery': 'vended log delivery for state machine logging takes no resource ARN',
  'logs:UpdateLogDelivery': 'vended log delivery for state machine logging takes no resource ARN',
  'logs:DeleteLogDelivery': 'vended log delivery for state machine logging takes no resource ARN',
  'logs:ListLogDeliveries': 'vended log delivery for state machine logging takes no resource ARN',
  'logs:PutResourcePolicy': 'vended log delivery for state machine logging takes no resource ARN',
  'logs:DescribeResourcePolicies': 'vended log delivery for state machine logging takes no resource ARN',
  'logs:DescribeLogGroups': 'vended log delivery for state machine logging takes no resource ARN',
  'xray:PutTraceSegments': 'X-Ray APIs take no resource ARN',
  'xray:PutTelemetryRecords': 'X-Ray APIs take no resource ARN',
  'xray:GetSamplingRules': 'X-Ray APIs take no resource ARN',
  'xray:GetSamplingTargets': 'X-Ray APIs take no resource ARN',
  'kms:ListAliases': 'lists alias names of the account; Terraform reads an alias through it (CI roles only)',
};

const doc = (...statements: (PolicyStatement | false | undefined)[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements.filter((s): s is PolicyStatement => Boolean(s)),
});

/** Trust policy for a service principal; `sourceAccount` guards against the confused deputy. */
export function assumeRolePolicy(service: string, sourceAccount?: string): PolicyDocument {
  return doc({
    Sid: 'AssumeByService',
    Effect: 'Allow',
    Principal: { Service: service },
    Action: ['sts:AssumeRole'],
    ...(sourceAccount ? { Condition: { StringEquals: { 'aws:SourceAccount': sourceAccount } } } : {}),
  });
}

function putMetricData(namespace: string): PolicyStatement {
  return {
    Sid: 'PutMetricDataInNamespace',
    Effect: 'Allow',
    Action: ['cloudwatch:PutMetricData'],
    Resource: ['*'],
    Condition: { StringEquals: { 'cloudwatch:namespace': namespace } },
  };
}

const xray = (): PolicyStatement => ({
  Sid: 'XRayTracing',
  Effect: 'Allow',
  Action: [
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'xray:GetSamplingRules',
    'xray:GetSamplingTargets',
  ],
  Resource: ['*'],
});

function kms(kmsKeyArn: string | undefined, actions: string[]): PolicyStatement | undefined {
  return kmsKeyArn
    ? { Sid: 'UseDataKey', Effect: 'Allow', Action: actions, Resource: [kmsKeyArn] }
    : undefined;
}

/** `<bucketArn>/<prefix>*`, or the whole bucket's objects for an empty prefix. */
export function objectsUnder(bucketArn: string, prefix: string): string {
  return `${bucketArn}/${prefix}*`;
}

/** `s3:ListBucket` on a bucket, for listings under `prefix` only. */
function listBucketUnder(sid: string, bucketArn: string, prefix: string): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: ['s3:ListBucket'],
    Resource: [bucketArn],
    Condition: { StringLike: { 's3:prefix': [`${prefix}*`] } },
  };
}

export interface StateMachinePolicyInput {
  stateMachineArn: string;
  /** `arn:...:execution:<name>/*`: the Distributed Map's child executions. */
  executionArnPattern: string;
  analyzerArn: string;
  reporterArn: string;
  inputBucketArn: string;
  logPrefixRoot: string;
  resultBucketArn: string;
  resultPrefix: string;
  summaryTableArn: string;
  metricNamespace: string;
  kmsKeyArn?: string;
}

/** The state machine's role: one statement per state (or per platform feature) it uses. */
export function stateMachinePolicy(p: StateMachinePolicyInput): PolicyDocument {
  return doc(
    {
      // ProcessLogsUnderPrefix (Distributed Map) starts child executions of this state machine.
      Sid: 'DistributedMapStartChildren',
      Effect: 'Allow',
      Action: ['states:StartExecution'],
      Resource: [p.stateMachineArn],
    },
    {
      Sid: 'DistributedMapManageChildren',
      Effect: 'Allow',
      Action: ['states:DescribeExecution', 'states:StopExecution'],
      Resource: [p.executionArnPattern],
    },
    {
      // AnalyzeLogData and GenerateDailySummary; `:*` covers versions and aliases.
      Sid: 'InvokeFunctions',
      Effect: 'Allow',
      Action: ['lambda:InvokeFunction'],
      Resource: [p.analyzerArn, `${p.analyzerArn}:*`, p.reporterArn, `${p.reporterArn}:*`],
    },
    // ItemReader s3:listObjectsV2, only under the log layout's root.
    listBucketUnder('ListLogObjects', p.inputBucketArn, p.logPrefixRoot),
    {
      // ExportResults (ResultWriter) writes the manifest and result files with multipart uploads.
      Sid: 'ExportResults',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      Resource: [objectsUnder(p.resultBucketArn, p.resultPrefix)],
    },
    {
      // ClaimObject/StoreSummary/ClaimDailyMetrics (PutItem), ReadPublicationProgress (GetItem),
      // RecordProgress/MarkObjectPublished/MarkDailyMetricsPublished (UpdateItem).
      Sid: 'StoreSummary',
      Effect: 'Allow',
      Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
      Resource: [p.summaryTableArn],
    },
    { ...putMetricData(p.metricNamespace), Sid: 'StoreMetrics' },
    {
      Sid: 'ExecutionLogDelivery',
      Effect: 'Allow',
      Action: [
        'logs:CreateLogDelivery',
        'logs:GetLogDelivery',
        'logs:UpdateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:DescribeResourcePolicies',
        'logs:DescribeLogGroups',
      ],
      Resource: ['*'],
    },
    xray(),
    kms(p.kmsKeyArn, ['kms:Decrypt', 'kms:GenerateDataKey']),
  );
}

export interface FunctionPolicyInput {
  logGroupArn: string;
  kmsKeyArn?: string;
}

const writeOwnLogs = (logGroupArn: string): PolicyStatement => ({
  Sid: 'WriteOwnLogs',
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: [`${logGroupArn}:*`],
});

/** AnalyzeLogData streams one object of the day's prefix; everything else it returns to the workflow. */
export function analyzerPolicy(
  p: FunctionPolicyInput & { inputBucketArn: string; logPrefixRoot: string },
): PolicyDocument {
  return doc(
    writeOwnLogs(p.logGroupArn),
    {
      Sid: 'ReadLogObjects',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: [objectsUnder(p.inputBucketArn, p.logPrefixRoot)],
    },
    xray(),
    kms(p.kmsKeyArn, ['kms:Decrypt']),
  );
}

/** GenerateDailySummary reads the exported results and the batch summaries they name, writes the report. */
export function reporterPolicy(
  p: FunctionPolicyInput & {
    resultBucketArn: string;
    resultPrefix: string;
    reportPrefix: string;
    summaryTableArn: string;
    metricNamespace: string;
  },
): PolicyDocument {
  return doc(
    writeOwnLogs(p.logGroupArn),
    {
      // The batch summary records the day's Map results name.
      Sid: 'ReadBatchSummaries',
      Effect: 'Allow',
      Action: ['dynamodb:BatchGetItem'],
      Resource: [p.summaryTableArn],
    },
    {
      // The ResultWriter manifest and results files; the report objects are written, never read.
      Sid: 'ReadResults',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: [objectsUnder(p.resultBucketArn, p.resultPrefix)],
    },
    // Finds the newest ExportResults manifest of a day when the event does not name it.
    listBucketUnder('ListResults', p.resultBucketArn, p.resultPrefix),
    {
      Sid: 'WriteReports',
      Effect: 'Allow',
      Action: ['s3:PutObject'],
      Resource: [objectsUnder(p.resultBucketArn, p.reportPrefix)],
    },
    putMetricData(p.metricNamespace),
    xray(),
    kms(p.kmsKeyArn, ['kms:Decrypt', 'kms:GenerateDataKey']),
  );
}

/**
 * The schedule may start the daily state machine and nothing else. With a customer key the
 * schedule's target input is encrypted with it and so is the state machine's execution data.
 */
export function schedulerPolicy(stateMachineArn: string, kmsKeyArn?: string): PolicyDocument {
  return doc(
    {
      Sid: 'StartDailyRun',
      Effect: 'Allow',
      Action: ['states:StartExecution'],
      Resource: [stateMachineArn],
    },
    kms(kmsKeyArn, ['kms:Decrypt', 'kms:GenerateDataKey']),
  );
}

/** Bucket policy: refuse every request that does not use TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return doc({
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    // A Deny on every action is the documented TLS-only pattern; it grants nothing.
    Action: ['s3:*'],
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });
}
