import { describe, expect, it } from 'vitest';
import { dayPrefix, isDay, resourceNames } from './names.js';

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
