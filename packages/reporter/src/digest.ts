/**
 * The day's digest: a few plain-text lines for an e-mail or chat subscription, pointing at the
 * full report. Pure; log-derived text (file keys, error names) is stripped of control
 * characters and shortened, so a log line cannot forge lines of the message.
 */
import type { DailySummary } from '@logflow/shared-types';
import { stripControl, truncate } from './render/escape.js';
import { formatInt, formatMs, formatPercent } from './render/format.js';
import { dayHealth } from './render/view.js';

/** Failed files listed by name; the rest are counted. */
const MAX_FAILED_LISTED = 5;
const MAX_KEY_CHARS = 120;
/** SNS e-mail subjects must stay under 100 characters. */
const MAX_SUBJECT_CHARS = 99;

export interface DailyDigest {
  /** One line, ASCII-safe for an e-mail subject. */
  subject: string;
  /** Plain text, a dozen lines at most. */
  text: string;
}

/** Where the day's report objects are, e.g. `s3://bucket/reports/2026-11-22/summary.html`. */
export interface DigestLocation {
  bucket: string;
  /** Keys of the renderings; `html` is the one a person opens. */
  keys: { html: string; md?: string; json?: string };
}

const clean = (value: string, max: number): string => truncate(stripControl(value), max);

const HEALTH_WORD = { ok: 'OK', warn: 'WARN', bad: 'ALERT' } as const;

/** The digest of a day's report. */
export function formatDailyDigest(daily: DailySummary, where: DigestLocation): DailyDigest {
  const { health, reasons } = dayHealth(daily);
  const fiveXx = daily.statusClass['5xx'] ?? 0;
  const p99 = daily.latencyMs && daily.latencyMs.count > 0 ? formatMs(daily.latencyMs.p99) : 'n/a';
  const failed = daily.files.failed;
  const subject = truncate(
    `[logflow ${HEALTH_WORD[health]}] ${daily.date}: ${formatInt(daily.requests)} requests, ` +
      `5xx ${formatPercent(fiveXx, daily.requests)}, p99 ${p99}${failed.length > 0 ? `, ${failed.length} failed` : ''}`,
    MAX_SUBJECT_CHARS,
  );
  const lines = [
    `logflow daily report for ${daily.date} (UTC): ${HEALTH_WORD[health]}${reasons.length > 0 ? ` (${reasons.join('; ')})` : ''}`,
    '',
    `Requests:     ${formatInt(daily.requests)}`,
    `5xx rate:     ${formatPercent(fiveXx, daily.requests)} (${formatInt(fiveXx)} responses)`,
    `p99 latency:  ${p99}`,
    `Files:        ${formatInt(daily.files.analyzed)} analysed, ${formatInt(failed.length)} failed`,
  ];
  if (failed.length > 0) {
    lines.push('', 'Failed files:');
    for (const f of failed.slice(0, MAX_FAILED_LISTED)) {
      lines.push(`  - ${clean(f.key, MAX_KEY_CHARS)}: ${clean(f.error, 80)}`);
    }
    if (failed.length > MAX_FAILED_LISTED) lines.push(`  … and ${failed.length - MAX_FAILED_LISTED} more`);
  }
  lines.push('', `Report: s3://${where.bucket}/${where.keys.html}`);
  return { subject, text: `${lines.join('\n')}\n` };
}
