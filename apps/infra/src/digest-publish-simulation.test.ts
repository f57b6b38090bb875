/** The reporter publishes the day's digest to the stack's topic and to no other. */
import { describe, expect, it } from 'vitest';
import { ACCOUNT, ALARM_KEY_ID, REGION, decide, roleNamed } from './test-support/iam.js';
import { TEST_KMS_KEY, synthStack } from './test-support/synth.js';

const withKey = synthStack({ kmsKeyArn: TEST_KMS_KEY, alarms: { email: 'ops@example.com' } }).tf;
const plain = synthStack({ environment: 'plain' }).tf;
const external = synthStack({
  environment: 'ext',
  alarms: { topicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:team-alerts` },
}).tf;
const topic = (env: string) => `arn:aws:sns:${REGION}:${ACCOUNT}:logflow-${env}-alarms`;
const publish = (resource: string) => ({ action: 'sns:Publish', resource });

describe('digest publication', () => {
  it('tells the reporter the topic through its environment', () => {
    const fn = Object.values(withKey.resource.aws_lambda_function ?? {}).find(
      (f) => f.function_name === 'logflow-test-generate-daily-summary',
    ) as { environment: { variables: Record<string, string> } };
    expect(fn.environment.variables.LOGFLOW_DIGEST_TOPIC_ARN).toContain(':sns:');
  });

  it('lets the reporter publish to the stack topic, and nobody else nor anywhere else', async () => {
    const reporter = roleNamed(withKey, 'logflow-test-generate-daily-summary-role');
    const analyzer = roleNamed(withKey, 'logflow-test-analyze-log-data-role');
    const stateMachine = roleNamed(withKey, 'logflow-test-daily-logs-role');
    expect(await decide(withKey, reporter, publish(topic('test')))).toBe('Allowed');
    expect(await decide(withKey, reporter, publish(topic('prod')))).not.toBe('Allowed');
    expect(await decide(withKey, reporter, { action: 'sns:Subscribe', resource: topic('test') })).not.toBe(
      'Allowed',
    );
    expect(await decide(withKey, analyzer, publish(topic('test')))).not.toBe('Allowed');
    expect(await decide(withKey, stateMachine, publish(topic('test')))).not.toBe('Allowed');
  });

  it('encrypts with the stack-created topic key, matched by its alias only', async () => {
    const reporter = roleNamed(plain, 'logflow-plain-generate-daily-summary-role');
    const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${ALARM_KEY_ID}`;
    const aliased = (alias: string) => ({
      action: 'kms:GenerateDataKey',
      resource: key,
      context: { 'kms:ResourceAliases': [alias] },
    });
    expect(await decide(plain, reporter, publish(topic('plain')))).toBe('Allowed');
    expect(await decide(plain, reporter, aliased('alias/logflow-plain-alarms'))).toBe('Allowed');
    expect(await decide(plain, reporter, aliased('alias/other'))).not.toBe('Allowed');
  });

  it('publishes to an existing topic when the environment names one', async () => {
    const reporter = roleNamed(external, 'logflow-ext-generate-daily-summary-role');
    expect(await decide(external, reporter, publish(`arn:aws:sns:${REGION}:${ACCOUNT}:team-alerts`))).toBe(
      'Allowed',
    );
    expect(await decide(external, reporter, publish(topic('ext')))).not.toBe('Allowed');
  });
});
