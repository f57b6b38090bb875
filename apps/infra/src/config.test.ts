import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INFRA_CONFIG, resolveInfraConfig } from './config.js';
import type { InfraConfigInput } from './config.js';
import { loadEnvironments } from './environments.js';
import { CI_VARIABLES } from './test-support/synth.js';

/** The least a deployable environment says: where its state lives and who gets its alarms. */
const deployable = { stateBackend: { bucket: 'acme-terraform-state' }, alarms: { optOut: true } };

describe('resolveInfraConfig', () => {
  it('fills every field from the defaults', () => {
    const config = resolveInfraConfig({ environment: 'dev', ...deployable });
    expect(config).toEqual({
      ...DEFAULT_INFRA_CONFIG,
      environment: 'dev',
      stateBackend: deployable.stateBackend,
      alarms: { ...DEFAULT_INFRA_CONFIG.alarms, optOut: true },
    });
  });

  it('requires remote state unless the environment is an explicit sandbox', () => {
    expect(() => resolveInfraConfig({ environment: 'dev', alarms: { optOut: true } })).toThrow(
      'infra config "dev": stateBackend.bucket is required (remote state); only a sandbox environment ("sandbox": true) keeps local state',
    );
    expect(resolveInfraConfig({ environment: 'me', sandbox: true }).stateBackend).toBeUndefined();
    expect(() =>
      resolveInfraConfig({ environment: 'me', sandbox: true, stateBackend: { bucket: 'acme-state' } }),
    ).toThrow('infra config "me": stateBackend is set on a sandbox environment');
  });

  it('requires an alarm destination or an explicit opt-out', () => {
    const base = { environment: 'prod', stateBackend: deployable.stateBackend };
    expect(() => resolveInfraConfig(base)).toThrow(
      'infra config "prod": alarms needs a destination: set alarms.email or alarms.topicArn, or alarms.optOut: true',
    );
    expect(resolveInfraConfig({ ...base, alarms: { email: 'ops@example.com' } }).alarms.email).toBe(
      'ops@example.com',
    );
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:ops';
    expect(resolveInfraConfig({ ...base, alarms: { topicArn } }).alarms.topicArn).toBe(topicArn);
    expect(() => resolveInfraConfig({ ...base, alarms: { topicArn: 'ops' } })).toThrow(
      'alarms.topicArn "ops" is not an SNS topic ARN',
    );
    expect(() => resolveInfraConfig({ ...base, alarms: { optOut: true, email: 'ops@example.com' } })).toThrow(
      'alarms.optOut is true but a destination is set',
    );
  });

  it('merges nested sections field by field', () => {
    const config = resolveInfraConfig({
      environment: 'dev',
      ...deployable,
      retention: { resultsDays: 3 },
      functions: { reporter: { memoryMb: 2048 } },
    });
    expect(config.retention).toEqual({ ...DEFAULT_INFRA_CONFIG.retention, resultsDays: 3 });
    expect(config.functions.reporter).toEqual({ ...DEFAULT_INFRA_CONFIG.functions.reporter, memoryMb: 2048 });
  });

  it.each([
    [{ environment: 'dev', format: { format: 'nginx' as never } }, 'format.format "nginx" is not a preset'],
    [
      { environment: 'dev', format: { format: 'combined' as const, logFormat: '$status' } },
      'format takes only one of format, logFormat and apacheFormat',
    ],
    [
      { environment: 'dev', format: { apacheFormat: '' } },
      'format.apacheFormat must be a non-empty format string',
    ],
    [{ environment: 'Prod' }, 'infra config "Prod": environment must be'],
    [
      { environment: 'dev', region: 'europe' },
      'infra config "dev": region "europe" is not an AWS region name',
    ],
    [
      { environment: 'dev', logPrefixRoot: 'logs' },
      'logPrefixRoot "logs" must be empty or a key prefix ending in "/"',
    ],
    [
      { environment: 'dev', retention: { logGroupDays: 10 } },
      'retention.logGroupDays must be one of 1, 3, 5, 7, 14',
    ],
    [
      { environment: 'dev', retention: { resultsDays: 0 } },
      'retention.resultsDays must be a whole number of days',
    ],
    [{ environment: 'dev', alarms: { email: 'nobody' } }, 'alarms.email "nobody" is not an e-mail address'],
    [
      { environment: 'dev', alarms: { optOut: true, fiveXxRatePercent: 0 } },
      'alarms.fiveXxRatePercent must be a percentage',
    ],
    [
      { environment: 'dev', schedule: { expression: 'daily' } },
      'schedule.expression "daily" is not a cron(), rate() or at() expression',
    ],
    [{ environment: 'dev', kmsKeyArn: 'alias/mine' }, 'kmsKeyArn "alias/mine" is not a KMS key ARN'],
    [
      { environment: 'dev', stateBackend: { bucket: 'UPPER' } },
      'stateBackend.bucket must be an S3 bucket name',
    ],
    [
      { environment: 'dev', workflow: { maxConcurrency: 0 } },
      'infra config "dev": workflow.maxConcurrency must be an integer from 1 to 10000, got 0',
    ],
    [
      { environment: 'dev', workflow: { itemBatcher: {} } },
      'infra config "dev": workflow.itemBatcher needs maxItemsPerBatch or maxInputBytesPerBatch',
    ],
    [
      { environment: 'dev', functions: { analyzer: { timeoutSeconds: 900 } } },
      'functions.analyzer.timeoutSeconds is 900; with EXPRESS child executions',
    ],
    [
      { environment: 'dev', functions: { reporter: { reservedConcurrency: 0 } } },
      'functions.reporter.reservedConcurrency must be 1-900, got 0',
    ],
    [
      {
        environment: 'dev',
        workflow: { maxConcurrency: 40 },
        functions: { analyzer: { reservedConcurrency: 20 } },
      },
      "functions.analyzer.reservedConcurrency is 20, below workflow.maxConcurrency (40): the Map's child executions would be throttled",
    ],
    [
      { environment: 'dev', namePrefix: 'a-very-long-name-prefix-for-all' },
      'make bucket names of 66 characters; S3 allows 63',
    ],
    [
      { environment: 'dev', stateBackend: { bucket: 'acme-state', lockTable: 'locks' } },
      'stateBackend.lockTable is no longer used: state is locked with S3 lock files (use_lockfile)',
    ],
  ])('rejects %j naming the field', (input, message) => {
    expect(() => resolveInfraConfig({ ...deployable, ...input } as InfraConfigInput)).toThrow(message);
  });

  it('keeps IAM role names within 64 characters when bucket names are not suffixed', () => {
    const input = { environment: 'production-east', globallyUniqueBucketNames: false, ...deployable };
    expect(() => resolveInfraConfig({ ...input, namePrefix: 'acme-logs-analytics-platform' })).toThrow(
      'make IAM role names of 72 characters; IAM allows 64',
    );
    expect(resolveInfraConfig({ ...input, namePrefix: 'acme-logs' }).namePrefix).toBe('acme-logs');
  });

  it('allows a long analyzer timeout with STANDARD child executions', () => {
    const config = resolveInfraConfig({
      environment: 'dev',
      ...deployable,
      workflow: { childExecutionType: 'STANDARD' },
      functions: { analyzer: { timeoutSeconds: 900 } },
    });
    expect(config.functions.analyzer.timeoutSeconds).toBe(900);
  });
});

describe('loadEnvironments', () => {
  const committed = fileURLToPath(new URL('../environments.json', import.meta.url));

  it('reads the committed dev and prod environments, account values from the environment', () => {
    const envs = loadEnvironments(committed, undefined, CI_VARIABLES);
    expect(envs.map((e) => e.environment)).toEqual(['dev', 'prod']);
    expect(envs[0]?.schedule.enabled).toBe(false);
    expect(envs.map((e) => e.stateBackend?.bucket)).toEqual(['acme-terraform-state', 'acme-terraform-state']);
    expect(envs[1]?.alarms.email).toBe('ops@example.com');
    expect(loadEnvironments(committed, ['prod'], CI_VARIABLES).map((e) => e.environment)).toEqual(['prod']);
  });

  it('names the environment, the field and the variable when a ${env:} value is not set', () => {
    expect(() =>
      loadEnvironments(committed, ['prod'], { LOGFLOW_STATE_BUCKET: 'acme-terraform-state' }),
    ).toThrow(
      `${committed}: infra config "prod": alarms.email reads \${env:LOGFLOW_ALARM_EMAIL}, which is not set`,
    );
    expect(() => loadEnvironments(committed, ['dev'], {})).toThrow(
      `${committed}: infra config "dev": stateBackend.bucket reads \${env:LOGFLOW_STATE_BUCKET}, which is not set`,
    );
    // dev opts out of alarm notifications, so it does not need the address.
    expect(loadEnvironments(committed, ['dev'], { LOGFLOW_STATE_BUCKET: 'b-1' })[0]?.alarms.optOut).toBe(
      true,
    );
  });

  it('names the file and the environment in errors', () => {
    const path = join(tmpdir(), `logflow-envs-${process.pid}.json`);
    writeFileSync(path, JSON.stringify({ qa: { ...deployable, retention: { logGroupDays: 2 } } }));
    expect(() => loadEnvironments(path)).toThrow(
      `${path}: infra config "qa": retention.logGroupDays must be one of`,
    );
    expect(() => loadEnvironments(committed, ['staging'])).toThrow('no environment named staging');
    writeFileSync(path, '{ not json');
    expect(() => loadEnvironments(path)).toThrow(`${path}: cannot read environments`);
  });
});
