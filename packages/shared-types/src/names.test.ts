import { describe, expect, it } from 'vitest';
import { dayPrefix, isDay, resourceNames, summaryItemKey, summaryItemObject } from './names.js';

describe('resourceNames', () => {
  it('derives every name from prefix and environment', () => {
    const names = resourceNames({ prefix: 'acme', environment: 'prod' });
    expect(names.inputBucket).toBe('acme-prod-logs');
    expect(names.summaryTable).toBe('acme-prod-summaries');
    expect(names.metricNamespace).toBe('Logflow/prod');
  });

  it('rejects names AWS would reject', () => {
    expect(() => resourceNames({ prefix: 'Acme' })).toThrow(/invalid name prefix "Acme"/);
    expect(() => resourceNames({ environment: 'prod_1' })).toThrow(/invalid environment/);
  });
});

describe('dayPrefix', () => {
  it('lays a day out as logs/YYYY/MM/DD/', () => {
    expect(dayPrefix('2026-11-22')).toBe('logs/2026/11/22/');
    expect(() => dayPrefix('22/11/2026')).toThrow(/invalid date "22\/11\/2026"/);
  });
});

describe('isDay', () => {
  it('accepts calendar days only', () => {
    for (const day of ['2026-11-22', '2024-02-29', '2026-12-31']) expect(isDay(day)).toBe(true);
    for (const bad of [
      '2026-02-30',
      '2025-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-1-01',
      20261122,
    ]) {
      expect(isDay(bad)).toBe(false);
    }
    expect(() => dayPrefix('2026-02-30')).toThrow(/invalid date "2026-02-30"/);
  });
});

describe('summaryItemKey', () => {
  it('keys a file by day and object, and the sort key gives the object back', () => {
    const { pk, sk } = summaryItemKey('2026-11-22', 'logs-bucket', 'logs/2026/11/22/a b#c.log');
    expect(pk).toBe('DAY#2026-11-22');
    expect(sk).toBe('FILE#s3://logs-bucket/logs/2026/11/22/a b#c.log');
    expect(summaryItemObject(sk)).toEqual({ bucket: 'logs-bucket', key: 'logs/2026/11/22/a b#c.log' });
    expect(summaryItemObject(summaryItemKey('2026-11-22', 'b', 'line\nbreak').sk)?.key).toBe('line\nbreak');
    expect(summaryItemObject('DAY#2026-11-22')).toBeUndefined();
  });
});
