import { PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import type { DailySummary } from '@logflow/shared-types';
import { publishDigest } from './aws/publish-digest.js';
import { formatDailyDigest } from './digest.js';
import { busyDay, emptyDay } from './test-support/fixtures.js';

const where = { bucket: 'logflow-prod-results', keys: { html: 'reports/2026-11-22/summary.html' } };

describe('formatDailyDigest', () => {
  it('gives the day, requests, 5xx rate, p99, failed files and where the report is', () => {
    const day = busyDay();
    const { subject, text } = formatDailyDigest(day, where);
    const fiveXx = day.statusClass['5xx'];
    expect(subject).toMatch(
      /^\[logflow ALERT\] 2026-11-22: [\d,]+ requests, 5xx [\d.]+%, p99 [\d.]+ ?m?s, 1 failed$/,
    );
    expect(subject.length).toBeLessThan(100);
    expect(text).toContain(`Requests:     ${day.requests.toLocaleString('en-US')}`);
    expect(text).toContain(`(${fiveXx.toLocaleString('en-US')} responses)`);
    expect(text).toContain('Files:        3 analysed, 1 failed');
    expect(text).toContain('UnrecognizedLogFormatError');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'Report: s3://logflow-prod-results/reports/2026-11-22/summary.html',
    );
  });

  it('says n/a for latency and OK-or-WARN health on an empty day', () => {
    const { subject, text } = formatDailyDigest(emptyDay(), where);
    expect(subject).toBe('[logflow WARN] 2026-11-23: 0 requests, 5xx 0%, p99 n/a');
    expect(text).toContain('p99 latency:  n/a');
    expect(text).not.toContain('Failed files');
  });

  it('keeps log-derived text on its own line: no control characters from file keys or errors', () => {
    const day: DailySummary = {
      ...busyDay(),
      files: {
        ...busyDay().files,
        failed: [{ key: 'logs/a\nReport: s3://evil/x\r\u001b[2J', error: 'Boom\nSubject: forged' }],
      },
    };
    const { text } = formatDailyDigest(day, where);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(text.split('\n').filter((l) => l.startsWith('Report:'))).toHaveLength(1);
    expect(text).not.toMatch(/^Subject:/m);
  });

  it('lists five failed files and counts the rest', () => {
    const failed = Array.from({ length: 8 }, (_, i) => ({ key: `logs/${i}.gz`, error: 'E' }));
    const { text } = formatDailyDigest({ ...busyDay(), files: { ...busyDay().files, failed } }, where);
    expect(text).toContain('logs/4.gz');
    expect(text).not.toContain('logs/5.gz');
    expect(text).toContain('… and 3 more');
  });

  it('shortens long keys', () => {
    const key = `logs/${'x'.repeat(500)}.gz`;
    const { text } = formatDailyDigest(
      { ...busyDay(), files: { ...busyDay().files, failed: [{ key, error: 'E' }] } },
      where,
    );
    expect(text).not.toContain(key);
    expect(text).toContain('…');
  });
});

// No SNS endpoint runs here (local-aws serves S3, DynamoDB and CloudWatch): the publish call is
// checked against a stubbed client that records the command the real SDK would send.
describe('publishDigest (stubbed SNS client)', () => {
  const digest = formatDailyDigest(busyDay(), where);
  const recorder = () => {
    const sent: PublishCommand[] = [];
    return { sent, client: { send: async (c: PublishCommand) => (sent.push(c), { MessageId: 'm-1' }) } };
  };

  it('publishes subject and text to the topic', async () => {
    const { sent, client } = recorder();
    const id = await publishDigest(
      client as never,
      'arn:aws:sns:eu-west-1:123456789012:logflow-prod-alarms',
      '2026-11-22',
      digest,
    );
    expect(id).toBe('m-1');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(PublishCommand);
    expect(sent[0]!.input).toEqual({
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:logflow-prod-alarms',
      Subject: digest.subject,
      Message: digest.text,
    });
  });

  it('deduplicates by day on a FIFO topic', async () => {
    const { sent, client } = recorder();
    await publishDigest(
      client as never,
      'arn:aws:sns:eu-west-1:123456789012:digest.fifo',
      '2026-11-22',
      digest,
    );
    expect(sent[0]!.input).toMatchObject({
      MessageGroupId: 'logflow-daily',
      MessageDeduplicationId: 'daily-2026-11-22',
    });
  });
});
