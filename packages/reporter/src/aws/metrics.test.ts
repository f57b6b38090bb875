import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { busyDay, emptyDay } from '../test-support/fixtures.js';
import { dailyMetricData, publishDailyMetrics } from './metrics.js';

describe('dailyMetricData', () => {
  it('stamps the headline figures with the start of the day', () => {
    const day = busyDay();
    const data = dailyMetricData(day);
    const byName = Object.fromEntries(data.map((d) => [d.MetricName, d]));
    expect(byName.DailyRequests?.Value).toBe(day.requests);
    expect(byName.Daily5xxErrors?.Value).toBe(day.statusClass['5xx']);
    expect(byName.DailyP99LatencyMs).toMatchObject({ Value: 512.7, Unit: 'Milliseconds' });
    expect(byName.FailedFiles?.Value).toBe(1);
    for (const d of data) expect(d.Timestamp?.toISOString()).toBe('2026-11-22T00:00:00.000Z');
  });

  it('leaves latency out when the logs carry none', () => {
    const names = dailyMetricData(emptyDay()).map((d) => d.MetricName);
    expect(names).not.toContain('DailyP99LatencyMs');
    expect(names).toContain('DailyRequests');
  });
});

describe('publishDailyMetrics', () => {
  /** Records the PutMetricData requests instead of sending them. */
  function recordingClient(): { client: CloudWatchClient; sent: unknown[] } {
    const sent: unknown[] = [];
    const client = { send: async (command: { input: unknown }) => sent.push(command.input) };
    return { client: client as unknown as CloudWatchClient, sent };
  }

  it('publishes a recent day and skips days CloudWatch would reject', async () => {
    const day = busyDay(); // 2026-11-22
    const recent = recordingClient();
    const count = await publishDailyMetrics(
      recent.client,
      'Logflow/test',
      day,
      new Date('2026-11-23T02:15:00Z'),
    );
    expect(count).toEqual({ datums: dailyMetricData(day).length, outsideWindow: 0 });
    expect(recent.sent).toHaveLength(1);

    for (const now of ['2026-12-06T12:00:00Z', '2026-11-21T12:00:00Z']) {
      const { client, sent } = recordingClient();
      expect(await publishDailyMetrics(client, 'Logflow/test', day, new Date(now))).toEqual({
        datums: 0,
        outsideWindow: dailyMetricData(day).length,
      });
      expect(sent).toEqual([]);
    }
  });
});
