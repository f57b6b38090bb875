import { describe, expect, it } from 'vitest';
import { dailyReportKeys } from './report.js';

describe('dailyReportKeys', () => {
  it('lays a report out as reports/<date>/summary.{json,md,html}', () => {
    expect(dailyReportKeys('2026-11-22')).toEqual({
      json: 'reports/2026-11-22/summary.json',
      md: 'reports/2026-11-22/summary.md',
      html: 'reports/2026-11-22/summary.html',
    });
    expect(() => dailyReportKeys('2026/11/22')).toThrow(/invalid date "2026\/11\/22"/);
    expect(() => dailyReportKeys('2026-02-30')).toThrow(/invalid date "2026-02-30"/);
  });
});
