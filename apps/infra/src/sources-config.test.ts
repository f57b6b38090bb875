import { describe, expect, it } from 'vitest';
import { resolveInfraConfig, stackSources } from './config.js';
import type { LogSourceConfig } from './config.js';

const deployable = { stateBackend: { bucket: 'acme-terraform-state' }, alarms: { optOut: true } };
const alb: LogSourceConfig = {
  name: 'edge',
  bucket: 'acme-alb-logs',
  layout: 'alb',
  parameters: { account: '123456789012', region: 'eu-west-1' },
};
const withSources = (...sources: unknown[]) =>
  resolveInfraConfig({ environment: 'dev', ...deployable, sources: sources as LogSourceConfig[] });

describe('log sources', () => {
  it('has none beside the input bucket by default', () => {
    const config = resolveInfraConfig({ environment: 'dev', ...deployable });
    expect(stackSources(config, 'logflow-dev-logs')).toEqual([
      {
        name: 'input',
        bucket: 'logflow-dev-logs',
        keyPrefix: 'logs/',
        layout: { layout: '{prefix}{yyyy}/{MM}/{dd}/', parameters: { prefix: 'logs/' } },
      },
    ]);
  });

  it('derives each source key prefix from its layout', () => {
    const config = withSources(alb, {
      name: 'cdn',
      bucket: 'acme-cdn',
      layout: 'cloudfront',
      prefix: 'cf/',
      parameters: { distribution: 'E1' },
    });
    expect(stackSources(config, 'in').map((s) => [s.name, s.keyPrefix])).toEqual([
      ['input', 'logs/'],
      ['edge', 'AWSLogs/123456789012/elasticloadbalancing/eu-west-1/'],
      ['cdn', 'cf/E1.'],
    ]);
  });

  it.each([
    [{ ...alb, name: 'bad name' }, 'sources[0].name must be 1-32 letters'],
    [{ ...alb, name: 'input' }, `sources[0].name "input" is the stack's own input bucket`],
    [{ ...alb, bucket: 'Not_A_Bucket' }, 'sources[0].bucket "Not_A_Bucket" is not an S3 bucket name'],
    [{ ...alb, kmsKeyArn: 'alias/logs' }, 'sources[0].kmsKeyArn "alias/logs" is not a KMS key ARN'],
    [
      { ...alb, layout: 'alb2/{yyyy}' },
      'sources[0].layout layout template "alb2/{yyyy}": needs the placeholder {MM}',
    ],
    [
      { ...alb, parameters: { account: '123456789012' } },
      'sources[0].layout layout "alb": placeholder {region} needs the parameter "region"',
    ],
    [
      { ...alb, parameters: { account: '42', region: 'eu-west-1' } },
      'sources[0].parameters.account layout parameter "account"',
    ],
    [{ ...alb, format: { format: 'nope' } }, 'sources[0].format.format "nope" is not a preset'],
    [{ ...alb, format: { logFormat: '$a', apacheFormat: '%h' } }, 'sources[0].format takes only one of'],
    [{ ...alb, bukket: 'x' }, 'sources[0].bukket is not a source field'],
  ])('rejects %j naming the field', (source, message) => {
    expect(() => withSources(source)).toThrow(message);
  });

  it('rejects a name used twice', () => {
    expect(() => withSources(alb, { ...alb, bucket: 'other-bucket' })).toThrow(
      'sources[1].name "edge" is used twice',
    );
  });
});
