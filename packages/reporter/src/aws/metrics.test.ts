import { describe, expect, it } from 'vitest';
import { busyDay, emptyDay } from '../test-support/fixtures.js';
import { dailyMetricData } from './metrics.js';

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
