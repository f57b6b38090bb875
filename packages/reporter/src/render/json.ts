import type { DailySummary } from '@logflow/shared-types';

/** The report as pretty-printed JSON with a trailing newline; key order follows the summary. */
export function renderJson(daily: DailySummary): string {
  return `${JSON.stringify(daily, null, 2)}\n`;
}
