import { describe, expect, it } from 'vitest';
import { dayPrefix, resourceNames } from './names.js';

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
