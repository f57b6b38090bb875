import type { SummaryCore } from './summary.js';

export const DAILY_SUMMARY_VERSION = 1 as const;

/** A file the workflow could not analyse, as recorded by the state machine's Catch. */
export interface FailedFile {
  key: string;
  /** Error name, e.g. `UnrecognizedLogFormatError`, `LogObjectNotFoundError`, `States.Timeout`. */
  error: string;
  cause?: string;
}

/** The day's merged report: the headline fields of `SummaryCore` at the top level. */
export interface DailySummary extends SummaryCore {
  version: typeof DAILY_SUMMARY_VERSION;
  /** The day, `YYYY-MM-DD` (UTC). */
  date: string;
  files: {
    analyzed: number;
    failed: FailedFile[];
    /** Per-file headline, sorted by key. */
    details: { key: string; format: string; requests: number; bytes: number; malformed: number }[];
  };
}
