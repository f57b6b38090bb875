import { describe, expect, it } from 'vitest';
import { StatesError } from '../integrations.js';
import { AwsClients, QUIET_SDK_LOGGER, loadSdkModule, sdkPackageName } from './aws-clients.js';

describe('sdkPackageName', () => {
  it('maps Step Functions service names to SDK v3 packages', () => {
    expect(sdkPackageName('s3')).toBe('@aws-sdk/client-s3');
    expect(sdkPackageName('cloudwatch')).toBe('@aws-sdk/client-cloudwatch');
    expect(sdkPackageName('cloudwatchlogs')).toBe('@aws-sdk/client-cloudwatch-logs');
    expect(sdkPackageName('secretsmanager')).toBe('@aws-sdk/client-secrets-manager');
  });
});

describe('AwsClients', () => {
  it('creates one client per service and region with the merged configuration', async () => {
    const clients = new AwsClients({
      clientConfig: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:1' },
      serviceConfig: { s3: { forcePathStyle: true } },
    });
    try {
      const a = await clients.client('s3');
      expect(await clients.client('s3')).toBe(a);
      expect(await clients.client('s3', 'us-east-2')).not.toBe(a);
      expect(clients.configFor('s3')).toEqual({
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:1',
        forcePathStyle: true,
      });
      expect(clients.configFor('dynamodb', 'us-east-2')).toEqual({
        region: 'us-east-2',
        endpoint: 'http://127.0.0.1:1',
      });
      expect(a.constructor.name).toBe('S3Client');
    } finally {
      await clients.destroy();
    }
  });

  it('gives clients a logger without info unless one is configured', async () => {
    const logged: unknown[] = [];
    const logger = { ...QUIET_SDK_LOGGER, info: (entry: unknown) => logged.push(entry) };
    const quiet = new AwsClients({ clientConfig: { region: 'eu-west-1' } });
    const configured = new AwsClients({ clientConfig: { region: 'eu-west-1', logger } });
    try {
      const quietLogger = ((await quiet.client('s3')) as unknown as { config: { logger: object } }).config
        .logger;
      expect(quietLogger).toBe(QUIET_SDK_LOGGER);
      expect('info' in quietLogger).toBe(false);
      const kept = ((await configured.client('s3')) as unknown as { config: { logger: object } }).config
        .logger;
      expect(kept).toBe(logger);
    } finally {
      await quiet.destroy();
      await configured.destroy();
    }
  });

  it('names the missing package of a service that is not installed', async () => {
    const error = await loadSdkModule('kinesisvideo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StatesError);
    expect((error as StatesError).error).toBe('States.Runtime');
    expect((error as StatesError).cause).toBe(
      'AWS SDK service "kinesisvideo" is not available: package @aws-sdk/client-kinesisvideo is not installed; add it to @logflow/asl-runtime to call this service',
    );
  });
});
