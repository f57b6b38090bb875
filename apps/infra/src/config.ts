import { LOG_FORMATS, resourceNames, type FormatOptions } from '@logflow/shared-types';
import { resolveDailyWorkflowConfig } from '@logflow/workflow';
import type { ChildExecutionType, DailyWorkflowConfig } from '@logflow/workflow';

/** What one environment (one Terraform stack) of logflow looks like. */
export interface InfraConfig {
  /** Environment name, e.g. `dev`, `prod`: part of every resource name. */
  environment: string;
  /** AWS region, e.g. `eu-west-1`. */
  region: string;
  /** Lowercase name prefix of every resource. */
  namePrefix: string;
  /** Root of the day layout in the input bucket: logs of day D live under `<root>YYYY/MM/DD/`. */
  logPrefixRoot: string;
  /** Suffix bucket names with the account id and region so they are globally unique. */
  globallyUniqueBucketNames: boolean;
  schedule: {
    /** EventBridge Scheduler expression, e.g. `cron(15 2 * * ? *)`. */
    expression: string;
    /** IANA time zone the expression is read in. */
    timezone: string;
    enabled: boolean;
  };
  retention: {
    /** Days the ExportResults objects (`results/`) are kept. */
    resultsDays: number;
    /** Days the daily reports (`reports/`) are kept. */
    reportsDays: number;
    /** Days a per-file summary item lives before DynamoDB TTL removes it. */
    summaryTtlDays: number;
    /** CloudWatch Logs retention of every log group (an allowed CloudWatch value). */
    logGroupDays: number;
    /** Days overwritten or deleted object versions are kept. */
    noncurrentVersionDays: number;
    /** Days raw access logs are kept in the input bucket; absent keeps them. */
    inputLogsDays?: number;
  };
  alarms: {
    /** Address subscribed to the alarm topic (the subscription must be confirmed). */
    email?: string;
    /** An existing SNS topic the alarms notify instead of a topic of the stack. */
    topicArn?: string;
    /** Deploy the alarms with nobody notified: the explicit choice for a scratch environment. */
    optOut?: boolean;
    /** Alarm when the day's share of 5xx responses exceeds this percentage. */
    fiveXxRatePercent: number;
    /** Alarm when a function reports at least this many errors in 5 minutes. */
    lambdaErrors: number;
    /** Alarm when a function is throttled at least this many times in 5 minutes. */
    lambdaThrottles: number;
  };
  /** How the scheduled runs read the logs (preset, format string, JSON fields); detected per file when absent. */
  format?: FormatOptions;
  /** Customer managed KMS key for buckets, table, logs, topic and state machine; SSE-S3/AWS owned keys otherwise. */
  kmsKeyArn?: string;
  /**
   * Remote state in S3 with S3-native locking (`use_lockfile`). Required unless `sandbox` is set.
   * `key` defaults to `logflow/<environment>/terraform.tfstate`, `region` to the stack's region.
   */
  stateBackend?: StateBackend;
  /**
   * A personal scratch environment: state in `terraform.tfstate` beside the stack, no alarm
   * destination required. Never for an environment CI deploys.
   */
  sandbox: boolean;
  workflow: {
    maxConcurrency: number;
    toleratedFailurePercentage: number;
    childExecutionType: ChildExecutionType;
    itemBatcher?: { maxItemsPerBatch?: number; maxInputBytesPerBatch?: number };
  };
  functions: {
    analyzer: FunctionSettings;
    reporter: FunctionSettings;
  };
  tags: Record<string, string>;
}

export interface StateBackend {
  bucket: string;
  key?: string;
  region?: string;
}

export interface FunctionSettings {
  memoryMb: number;
  timeoutSeconds: number;
  /**
   * Concurrent executions reserved for the function, which are also its cap, so one day's Map
   * cannot take the account's whole concurrency from other functions. The analyzer's default is
   * the Map's `workflow.maxConcurrency` (one invocation per running child execution).
   */
  reservedConcurrency?: number;
  /** Directory holding the esbuild bundle (`index.cjs`); relative paths resolve from the repository root. */
  bundleDir: string;
}

/** A partial config as written in `environments.json`: anything left out takes its default. */
export type InfraConfigInput = Partial<
  Omit<InfraConfig, 'schedule' | 'retention' | 'alarms' | 'workflow' | 'functions'>
> & {
  environment: string;
  schedule?: Partial<InfraConfig['schedule']>;
  retention?: Partial<InfraConfig['retention']>;
  alarms?: Partial<InfraConfig['alarms']>;
  workflow?: Partial<InfraConfig['workflow']>;
  functions?: { analyzer?: Partial<FunctionSettings>; reporter?: Partial<FunctionSettings> };
};

/** Retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** An Express child execution ends after 5 minutes; the analyzer must finish (with a retry margin) before. */
export const EXPRESS_CHILD_ANALYZER_TIMEOUT_LIMIT = 240;

export const DEFAULT_INFRA_CONFIG: Omit<InfraConfig, 'environment'> = {
  region: 'eu-west-1',
  namePrefix: 'logflow',
  logPrefixRoot: 'logs/',
  globallyUniqueBucketNames: true,
  sandbox: false,
  // 02:15 UTC: yesterday (UTC) is complete and late log deliveries (ALB: 5 min, S3: hours) have mostly landed.
  schedule: { expression: 'cron(15 2 * * ? *)', timezone: 'UTC', enabled: true },
  retention: {
    resultsDays: 30,
    reportsDays: 400,
    summaryTtlDays: 90,
    logGroupDays: 30,
    noncurrentVersionDays: 7,
  },
  alarms: { fiveXxRatePercent: 5, lambdaErrors: 1, lambdaThrottles: 1 },
  workflow: { maxConcurrency: 50, toleratedFailurePercentage: 5, childExecutionType: 'EXPRESS' },
  functions: {
    // Streaming parse is CPU-bound: 1024 MB buys a proportional CPU share; 240 s keeps an Express child
    // (5 min) with room for one retry of a short read.
    analyzer: {
      memoryMb: 1024,
      timeoutSeconds: 240,
      bundleDir: 'packages/analyzer/dist/lambda/analyze-log-data',
    },
    // Merging a day's sketches and rendering three formats: memory for the merged sketches, 5 minutes.
    // One report at a time; a second reserved execution lets a retry run beside a stuck one.
    reporter: {
      reservedConcurrency: 2,
      memoryMb: 1024,
      timeoutSeconds: 300,
      bundleDir: 'packages/reporter/dist/lambda/generate-daily-summary',
    },
  },
  tags: {},
};

/** Raised for a configuration value that cannot work; names the environment and the field. */
export class InfraConfigError extends Error {
  constructor(environment: string, field: string, problem: string) {
    super(`infra config "${environment}": ${field} ${problem}`);
    this.name = 'InfraConfigError';
  }
}

/** Environment names: part of every resource name. */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,15}$/;
/** AWS region names: `eu-west-1`, `us-gov-west-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
/** S3 bucket names (lowercase letters, digits, dots and dashes; 3-63 characters). */
export const BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** KMS key ARNs (`arn:aws:kms:<region>:<account>:key/<id>`); aliases are not keys. */
export const KMS_KEY_ARN_PATTERN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

function isInteger(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Longest bucket-name suffix `-<12-digit account>-<region>` for the region. */
function bucketSuffixLength(region: string): number {
  return 1 + 12 + 1 + region.length;
}

/** Fills in defaults and checks every field, so that a bad value fails at synth, not at apply. */
export function resolveInfraConfig(input: InfraConfigInput): InfraConfig {
  const d = DEFAULT_INFRA_CONFIG;
  const env = typeof input.environment === 'string' ? input.environment : '<missing>';
  const fail = (field: string, problem: string): never => {
    throw new InfraConfigError(env, field, problem);
  };
  const config: InfraConfig = {
    environment: input.environment,
    region: input.region ?? d.region,
    namePrefix: input.namePrefix ?? d.namePrefix,
    logPrefixRoot: input.logPrefixRoot ?? d.logPrefixRoot,
    globallyUniqueBucketNames: input.globallyUniqueBucketNames ?? d.globallyUniqueBucketNames,
    sandbox: input.sandbox ?? d.sandbox,
    schedule: { ...d.schedule, ...input.schedule },
    retention: { ...d.retention, ...input.retention },
    alarms: { ...d.alarms, ...input.alarms },
    workflow: { ...d.workflow, ...input.workflow },
    functions: {
      analyzer: { ...d.functions.analyzer, ...input.functions?.analyzer },
      reporter: { ...d.functions.reporter, ...input.functions?.reporter },
    },
    tags: { ...d.tags, ...input.tags },
    ...(input.kmsKeyArn !== undefined ? { kmsKeyArn: input.kmsKeyArn } : {}),
    ...(input.format !== undefined ? { format: input.format } : {}),
    ...(input.stateBackend !== undefined ? { stateBackend: input.stateBackend } : {}),
  };

  if (typeof config.environment !== 'string' || !ENVIRONMENT_NAME_PATTERN.test(config.environment)) {
    fail('environment', 'must be 1-16 lowercase letters, digits or dashes, starting with a letter');
  }
  if (config.environment === 'bootstrap') fail('environment', '"bootstrap" names the bootstrap stack');
  if (!/^[a-z][a-z0-9-]{1,30}$/.test(config.namePrefix)) {
    fail('namePrefix', 'must be 2-31 lowercase letters, digits or dashes, starting with a letter');
  }
  if (!REGION_PATTERN.test(config.region)) fail('region', `"${config.region}" is not an AWS region name`);
  if (config.logPrefixRoot !== '' && !/^[A-Za-z0-9!_.*()/-]+\/$/.test(config.logPrefixRoot)) {
    fail('logPrefixRoot', `"${config.logPrefixRoot}" must be empty or a key prefix ending in "/"`);
  }
  // Longest bucket name: `<prefix>-<env>-results` plus the optional uniqueness suffix, at most 63 characters.
  const longest = `${config.namePrefix}-${config.environment}-results`.length;
  const suffix = config.globallyUniqueBucketNames ? bucketSuffixLength(config.region) : 0;
  if (longest + suffix > 63) {
    fail('namePrefix', `and environment make bucket names of ${longest + suffix} characters; S3 allows 63`);
  }

  // Longest IAM role name: `<prefix>-<env>-generate-daily-summary-role`, at most 64 characters.
  const longestRole = `${config.namePrefix}-${config.environment}-generate-daily-summary-role`.length;
  if (longestRole > 64) {
    fail('namePrefix', `and environment make IAM role names of ${longestRole} characters; IAM allows 64`);
  }

  const s = config.schedule;
  if (!/^(cron\(.+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\)|at\(.+\))$/.test(s.expression)) {
    fail('schedule.expression', `"${s.expression}" is not a cron(), rate() or at() expression`);
  }
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(s.timezone))
    fail('schedule.timezone', `"${s.timezone}" is not an IANA time zone`);
  if (typeof s.enabled !== 'boolean') fail('schedule.enabled', 'must be true or false');

  const r = config.retention;
  for (const field of ['resultsDays', 'reportsDays', 'summaryTtlDays', 'noncurrentVersionDays'] as const) {
    if (!isInteger(r[field], 1, 36_500))
      fail(`retention.${field}`, `must be a whole number of days from 1 to 36500, got ${String(r[field])}`);
  }
  if (r.inputLogsDays !== undefined && !isInteger(r.inputLogsDays, 1, 36_500)) {
    fail(
      'retention.inputLogsDays',
      `must be a whole number of days from 1 to 36500, got ${String(r.inputLogsDays)}`,
    );
  }
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(r.logGroupDays)) {
    fail(
      'retention.logGroupDays',
      `must be one of ${LOG_RETENTION_DAYS.join(', ')}, got ${String(r.logGroupDays)}`,
    );
  }

  const a = config.alarms;
  if (a.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(a.email))
    fail('alarms.email', `"${a.email}" is not an e-mail address`);
  if (
    a.topicArn !== undefined &&
    !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(a.topicArn)
  )
    fail(
      'alarms.topicArn',
      `"${a.topicArn}" is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`,
    );
  if (a.optOut !== undefined && typeof a.optOut !== 'boolean') fail('alarms.optOut', 'must be true or false');
  if (a.email !== undefined && a.topicArn !== undefined)
    fail('alarms', 'sets both email and topicArn; subscribe the address to the existing topic instead');
  const destinations = (a.email !== undefined ? 1 : 0) + (a.topicArn !== undefined ? 1 : 0);
  if (a.optOut === true && destinations > 0) fail('alarms.optOut', 'is true but a destination is set');
  // An alarm nobody receives is not monitoring: a deployed environment names its destination or opts out.
  if (!config.sandbox && destinations === 0 && a.optOut !== true) {
    fail('alarms', 'needs a destination: set alarms.email or alarms.topicArn, or alarms.optOut: true');
  }
  if (typeof a.fiveXxRatePercent !== 'number' || !(a.fiveXxRatePercent > 0 && a.fiveXxRatePercent <= 100)) {
    fail(
      'alarms.fiveXxRatePercent',
      `must be a percentage above 0 and at most 100, got ${String(a.fiveXxRatePercent)}`,
    );
  }
  if (!isInteger(a.lambdaErrors, 1, 1_000_000))
    fail('alarms.lambdaErrors', `must be a positive whole number, got ${String(a.lambdaErrors)}`);
  if (!isInteger(a.lambdaThrottles, 1, 1_000_000)) {
    fail('alarms.lambdaThrottles', `must be a positive whole number, got ${String(a.lambdaThrottles)}`);
  }

  if (config.kmsKeyArn !== undefined && !KMS_KEY_ARN_PATTERN.test(config.kmsKeyArn)) {
    fail('kmsKeyArn', `"${config.kmsKeyArn}" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`);
  }
  if (typeof config.sandbox !== 'boolean') fail('sandbox', 'must be true or false');
  const f = config.format;
  if (f !== undefined) {
    const given = [f.format, f.logFormat, f.apacheFormat].filter((v) => v !== undefined);
    if (given.length > 1) fail('format', 'takes only one of format, logFormat and apacheFormat');
    if (f.format !== undefined && !(LOG_FORMATS as readonly string[]).includes(f.format))
      fail('format.format', `"${String(f.format)}" is not a preset (${LOG_FORMATS.join(', ')})`);
    for (const key of ['logFormat', 'apacheFormat'] as const) {
      if (f[key] !== undefined && (typeof f[key] !== 'string' || f[key] === ''))
        fail(`format.${key}`, 'must be a non-empty format string');
    }
  }
  const b = config.stateBackend;
  if (b === undefined && !config.sandbox) {
    fail(
      'stateBackend.bucket',
      'is required (remote state); only a sandbox environment ("sandbox": true) keeps local state',
    );
  }
  if (b !== undefined) {
    if (config.sandbox) fail('stateBackend', 'is set on a sandbox environment, which keeps local state');
    if (typeof b.bucket !== 'string' || !BUCKET_NAME_PATTERN.test(b.bucket)) {
      fail('stateBackend.bucket', 'must be an S3 bucket name');
    }
    if ('lockTable' in b || 'dynamodbTable' in b) {
      fail('stateBackend.lockTable', 'is no longer used: state is locked with S3 lock files (use_lockfile)');
    }
    if (b.key !== undefined && (typeof b.key !== 'string' || !/^[^/].*[^/]$/.test(b.key)))
      fail('stateBackend.key', 'must be an object key not starting or ending with "/"');
    if (b.region !== undefined && !REGION_PATTERN.test(b.region))
      fail('stateBackend.region', `"${b.region}" is not an AWS region name`);
  }

  // The workflow settings are checked by the workflow builder itself.
  try {
    const names = resourceNames({ prefix: config.namePrefix, environment: config.environment });
    resolveDailyWorkflowConfig(stackWorkflowConfig(config, names));
  } catch (error) {
    const message = (error as Error).message;
    const field = /^workflow config: "([^"]+)" (.*)$/s.exec(message);
    if (field) fail(`workflow.${field[1]}`, field[2]!);
    fail('workflow', message);
  }
  const w = config.workflow;

  for (const name of ['analyzer', 'reporter'] as const) {
    const fn = config.functions[name];
    if (!isInteger(fn.memoryMb, 128, 10_240))
      fail(`functions.${name}.memoryMb`, `must be 128-10240, got ${String(fn.memoryMb)}`);
    if (!isInteger(fn.timeoutSeconds, 1, 900))
      fail(`functions.${name}.timeoutSeconds`, `must be 1-900, got ${String(fn.timeoutSeconds)}`);
    if (typeof fn.bundleDir !== 'string' || fn.bundleDir === '')
      fail(`functions.${name}.bundleDir`, 'must be a directory path');
    // AWS keeps 100 of an account's default 1,000 unreserved.
    if (fn.reservedConcurrency !== undefined && !isInteger(fn.reservedConcurrency, 1, 900))
      fail(`functions.${name}.reservedConcurrency`, `must be 1-900, got ${String(fn.reservedConcurrency)}`);
  }
  const analyzerReserved = config.functions.analyzer.reservedConcurrency;
  if (analyzerReserved !== undefined && analyzerReserved < w.maxConcurrency) {
    fail(
      'functions.analyzer.reservedConcurrency',
      `is ${analyzerReserved}, below workflow.maxConcurrency (${w.maxConcurrency}): the Map's child executions would be throttled`,
    );
  }
  if (
    w.childExecutionType === 'EXPRESS' &&
    config.functions.analyzer.timeoutSeconds > EXPRESS_CHILD_ANALYZER_TIMEOUT_LIMIT
  ) {
    fail(
      'functions.analyzer.timeoutSeconds',
      `is ${config.functions.analyzer.timeoutSeconds}; with EXPRESS child executions (5-minute limit) it must be at ` +
        `most ${EXPRESS_CHILD_ANALYZER_TIMEOUT_LIMIT}, or set workflow.childExecutionType to STANDARD`,
    );
  }
  for (const [key, value] of Object.entries(config.tags)) {
    if (typeof value !== 'string') fail(`tags.${key}`, 'must be a string');
  }
  return config;
}

/** The workflow config a stack deploys, given its resource references (ARNs or names). */
export function stackWorkflowConfig(
  config: InfraConfig,
  refs: Pick<
    DailyWorkflowConfig,
    'analyzerFunction' | 'reporterFunction' | 'summaryTable' | 'resultBucket' | 'metricNamespace'
  >,
): DailyWorkflowConfig {
  return {
    analyzerFunction: refs.analyzerFunction,
    reporterFunction: refs.reporterFunction,
    summaryTable: refs.summaryTable,
    resultBucket: refs.resultBucket,
    metricNamespace: refs.metricNamespace,
    maxConcurrency: config.workflow.maxConcurrency,
    toleratedFailurePercentage: config.workflow.toleratedFailurePercentage,
    childExecutionType: config.workflow.childExecutionType,
    logPrefixRoot: config.logPrefixRoot,
    summaryTtlDays: config.retention.summaryTtlDays,
    ...(config.workflow.itemBatcher ? { itemBatcher: config.workflow.itemBatcher } : {}),
  };
}
