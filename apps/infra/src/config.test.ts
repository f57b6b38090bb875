import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INFRA_CONFIG, resolveInfraConfig } from './config.js';
import { loadEnvironments } from './environments.js';

describe('resolveInfraConfig', () => {
  it('fills every field from the defaults', () => {
    const config = resolveInfraConfig({ environment: 'dev' });
    expect(config).toEqual({ ...DEFAULT_INFRA_CONFIG, environment: 'dev' });
  });

  it('merges nested sections field by field', () => {
    const config = resolveInfraConfig({
      environment: 'dev',
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
      { environment: 'dev', alarms: { fiveXxRatePercent: 0 } },
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
      { environment: 'dev', namePrefix: 'a-very-long-name-prefix-for-all' },
      'make bucket names of 66 characters; S3 allows 63',
    ],
  ])('rejects %j naming the field', (input, message) => {
    expect(() => resolveInfraConfig(input)).toThrow(message);
  });

  it('keeps IAM role names within 64 characters when bucket names are not suffixed', () => {
    const input = { environment: 'production-east', globallyUniqueBucketNames: false };
    expect(() => resolveInfraConfig({ ...input, namePrefix: 'acme-logs-analytics-platform' })).toThrow(
      'make IAM role names of 72 characters; IAM allows 64',
    );
    expect(resolveInfraConfig({ ...input, namePrefix: 'acme-logs' }).namePrefix).toBe('acme-logs');
  });

  it('allows a long analyzer timeout with STANDARD child executions', () => {
    const config = resolveInfraConfig({
      environment: 'dev',
      workflow: { childExecutionType: 'STANDARD' },
      functions: { analyzer: { timeoutSeconds: 900 } },
    });
    expect(config.functions.analyzer.timeoutSeconds).toBe(900);
  });
});

describe('loadEnvironments', () => {
  const committed = fileURLToPath(new URL('../environments.json', import.meta.url));

  it('reads the committed dev and prod environments', () => {
    const envs = loadEnvironments(committed);
    expect(envs.map((e) => e.environment)).toEqual(['dev', 'prod']);
    expect(envs[0]?.schedule.enabled).toBe(false);
    expect(envs[1]?.stateBackend?.bucket).toBeTruthy();
    expect(loadEnvironments(committed, ['prod']).map((e) => e.environment)).toEqual(['prod']);
  });

  it('names the file and the environment in errors', () => {
    const path = join(tmpdir(), `logflow-envs-${process.pid}.json`);
    writeFileSync(path, JSON.stringify({ qa: { retention: { logGroupDays: 2 } } }));
    expect(() => loadEnvironments(path)).toThrow(
      `${path}: infra config "qa": retention.logGroupDays must be one of`,
    );
    expect(() => loadEnvironments(committed, ['staging'])).toThrow('no environment named staging');
    writeFileSync(path, '{ not json');
    expect(() => loadEnvironments(path)).toThrow(`${path}: cannot read environments`);
  });
});
