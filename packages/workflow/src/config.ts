import type { ChildExecutionType } from './asl.js';

/**
 * What the daily workflow needs to know about its surroundings. Resources are given by name
 * or ARN so the same builder serves Terraform (real ARNs) and local runs (plain names).
 */
export interface DailyWorkflowConfig {
  /** Name or ARN of the AnalyzeLogData Lambda function. */
  analyzerFunction: string;
  /** Name or ARN of the GenerateDailySummary Lambda function. */
  reporterFunction: string;
  /** DynamoDB table StoreSummary writes per-file summaries to. */
  summaryTable: string;
  /** Bucket ExportResults (the Map's ResultWriter) writes the Map results to. */
  resultBucket: string;
  /** CloudWatch namespace StoreMetrics publishes to. */
  metricNamespace: string;
  /** Child executions running at once in ProcessLogsUnderPrefix. Default 50. */
  maxConcurrency?: number;
  /** Share of failed child executions (0-100) the day tolerates. Default 5. */
  toleratedFailurePercentage?: number;
  /**
   * How many listed objects each child execution (one AnalyzeLogData invocation) gets: at most
   * `maxItemsPerBatch` (1-100) objects and `maxInputBytesPerBatch` bytes of their listing JSON.
   * Default 50 objects. One object per batch is the unbatched workflow.
   */
  itemBatcher?: { maxItemsPerBatch?: number; maxInputBytesPerBatch?: number };
  /** Days the workflow's records in the summary table live (DynamoDB TTL). Default 90. */
  summaryTtlDays?: number;
  /**
   * Child workflow type. EXPRESS (default) is cheaper but caps a child at 5 minutes, which
   * bounds the analyzer's timeout; STANDARD allows long files.
   */
  childExecutionType?: ChildExecutionType;
  /** Root of the day layout `<root>YYYY/MM/DD/` used when the input has no prefix. Default `logs/`. */
  logPrefixRoot?: string;
  /** Limit for a whole run, after which it ends as TIMED_OUT. Default 6 hours. */
  timeoutSeconds?: number;
}

export type ResolvedDailyWorkflowConfig = Required<Omit<DailyWorkflowConfig, 'itemBatcher'>> & {
  itemBatcher: NonNullable<DailyWorkflowConfig['itemBatcher']>;
};

export const WORKFLOW_DEFAULTS = {
  maxConcurrency: 50,
  toleratedFailurePercentage: 5,
  childExecutionType: 'EXPRESS',
  logPrefixRoot: 'logs/',
  timeoutSeconds: 6 * 60 * 60,
  itemBatcher: { maxItemsPerBatch: 50 },
  summaryTtlDays: 90,
} as const;

function requireText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`workflow config: "${field}" must be a non-empty string`);
  }
  return value;
}

function requireInteger(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`workflow config: "${field}" must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Fills in defaults and rejects values Step Functions would reject, naming the field. */
export function resolveDailyWorkflowConfig(config: DailyWorkflowConfig): ResolvedDailyWorkflowConfig {
  const resolved: ResolvedDailyWorkflowConfig = {
    analyzerFunction: requireText('analyzerFunction', config.analyzerFunction),
    reporterFunction: requireText('reporterFunction', config.reporterFunction),
    summaryTable: requireText('summaryTable', config.summaryTable),
    resultBucket: requireText('resultBucket', config.resultBucket),
    metricNamespace: requireText('metricNamespace', config.metricNamespace),
    // Distributed Map runs at most 10,000 child executions at once.
    maxConcurrency: requireInteger(
      'maxConcurrency',
      config.maxConcurrency ?? WORKFLOW_DEFAULTS.maxConcurrency,
      1,
      10_000,
    ),
    toleratedFailurePercentage: requireInteger(
      'toleratedFailurePercentage',
      config.toleratedFailurePercentage ?? WORKFLOW_DEFAULTS.toleratedFailurePercentage,
      0,
      100,
    ),
    childExecutionType: config.childExecutionType ?? WORKFLOW_DEFAULTS.childExecutionType,
    logPrefixRoot: config.logPrefixRoot ?? WORKFLOW_DEFAULTS.logPrefixRoot,
    timeoutSeconds: requireInteger(
      'timeoutSeconds',
      config.timeoutSeconds ?? WORKFLOW_DEFAULTS.timeoutSeconds,
      60,
      31_536_000,
    ),
    itemBatcher: { ...WORKFLOW_DEFAULTS.itemBatcher },
    summaryTtlDays: requireInteger(
      'summaryTtlDays',
      config.summaryTtlDays ?? WORKFLOW_DEFAULTS.summaryTtlDays,
      1,
      36_500,
    ),
  };
  if (resolved.childExecutionType !== 'EXPRESS' && resolved.childExecutionType !== 'STANDARD') {
    throw new Error(
      `workflow config: "childExecutionType" must be EXPRESS or STANDARD, got ${String(resolved.childExecutionType)}`,
    );
  }
  if (resolved.logPrefixRoot !== '' && !resolved.logPrefixRoot.endsWith('/')) {
    throw new Error(
      `workflow config: "logPrefixRoot" must be empty or end with "/", got "${resolved.logPrefixRoot}"`,
    );
  }
  if (/['"\\]/.test(resolved.logPrefixRoot)) {
    throw new Error(`workflow config: "logPrefixRoot" must not contain quotes or backslashes`);
  }
  const batcher = config.itemBatcher;
  if (batcher) {
    if (batcher.maxItemsPerBatch === undefined && batcher.maxInputBytesPerBatch === undefined) {
      throw new Error('workflow config: "itemBatcher" needs maxItemsPerBatch or maxInputBytesPerBatch');
    }
    if (batcher.maxItemsPerBatch !== undefined) {
      // One invocation's result (outcomes, summary record, metrics) must fit a 256 KiB payload.
      requireInteger('itemBatcher.maxItemsPerBatch', batcher.maxItemsPerBatch, 1, 100);
    }
    if (batcher.maxInputBytesPerBatch !== undefined) {
      // A child execution's input is a state payload: 256 KiB at most.
      requireInteger('itemBatcher.maxInputBytesPerBatch', batcher.maxInputBytesPerBatch, 1, 262_144);
    }
    resolved.itemBatcher = { ...WORKFLOW_DEFAULTS.itemBatcher, ...batcher };
  }
  return resolved;
}
