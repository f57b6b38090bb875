import { isDay } from './names.js';
import type { SummaryCore } from './summary.js';
import type { MetricDatumCounts } from './workflow-io.js';

export const DAILY_SUMMARY_VERSION = 1 as const;

/** A file the workflow could not analyse, as recorded by the state machine's Catch. */
export interface FailedFile {
  key: string;
  /** State the file failed in (`AnalyzeLogData`, `StoreSummary`, `StoreMetrics`, ...), when known. */
  state?: string;
  /** Error name, e.g. `UnrecognizedLogFormatError`, `LogObjectNotFoundError`, `States.Timeout`. */
  error: string;
  cause?: string;
}

/** Headline of one analysed file in the daily report. */
export interface DailyFileDetail {
  key: string;
  format: string;
  requests: number;
  bytes: number;
  malformed: number;
  /** Responses with a 5xx status. */
  errors5xx: number;
}

/** The day's merged report: the headline fields of `SummaryCore` at the top level. */
export interface DailySummary extends SummaryCore {
  version: typeof DAILY_SUMMARY_VERSION;
  /** The day, `YYYY-MM-DD` (UTC). */
  date: string;
  files: {
    analyzed: number;
    /** Sorted by key. */
    failed: FailedFile[];
    /** Per-file headline, sorted by key. */
    details: DailyFileDetail[];
  };
}

/** S3 keys of the three renderings of a daily report in the result bucket. */
export interface DailyReportKeys {
  json: string;
  md: string;
  html: string;
}

/** The keys a day's report is written under: `reports/<date>/summary.{json,md,html}`. */
export function dailyReportKeys(date: string, root = 'reports/'): DailyReportKeys {
  if (!isDay(date)) throw new Error(`invalid date "${date}", expected YYYY-MM-DD`);
  const base = `${root}${date}/summary`;
  return { json: `${base}.json`, md: `${base}.md`, html: `${base}.html` };
}

/** Result of the GenerateDailySummary Lambda. */
export interface GenerateDailySummaryResult {
  date: string;
  files: { analyzed: number; failed: number };
  requests: number;
  /** Keys of the report objects in the result bucket. */
  report: DailyReportKeys;
  /**
   * The day's CloudWatch datums published by this invocation, and left out as outside
   * CloudWatch's window; none are published when an earlier run already published the day's.
   */
  metrics: MetricDatumCounts;
}
