/**
 * Merging a day's file summaries into the DailySummary. Pure and deterministic: inputs are put
 * in a canonical order first, so the same files give byte-identical reports however DynamoDB
 * or the Map run ordered them.
 */
import { mergeSummaries } from '@logflow/analyzer';
import type { DailySummary, FailedFile, FileSummary, SummaryCore } from '@logflow/shared-types';
import { DAILY_SUMMARY_VERSION } from '@logflow/shared-types';

export interface DailySummaryInput {
  /** The day, `YYYY-MM-DD`. */
  date: string;
  summaries: FileSummary[];
  failed: FailedFile[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Canonical identity of a file summary: `s3://bucket/key`, or the key for local files. */
function fileId(summary: FileSummary): string {
  return summary.file.bucket ? `s3://${summary.file.bucket}/${summary.file.key}` : summary.file.key;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function buildDailySummary({ date, summaries, failed }: DailySummaryInput): DailySummary {
  if (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new Error(`invalid date "${date}", expected YYYY-MM-DD`);
  }
  const ordered = [...summaries].sort((a, b) => byString(fileId(a), fileId(b)));
  const core: SummaryCore = mergeSummaries(ordered);
  return {
    version: DAILY_SUMMARY_VERSION,
    date,
    requests: core.requests,
    bytes: core.bytes,
    lines: core.lines,
    status: core.status,
    statusClass: core.statusClass,
    methods: core.methods,
    latencyMs: core.latencyMs,
    responseBytes: core.responseBytes,
    uniqueClients: core.uniqueClients,
    topPaths: core.topPaths,
    topClients: core.topClients,
    topUserAgents: core.topUserAgents,
    timeRange: core.timeRange,
    timeline: core.timeline,
    malformedSamples: core.malformedSamples,
    files: {
      analyzed: ordered.length,
      failed: canonicalFailures(failed),
      details: ordered.map((s) => ({
        key: s.file.key,
        format: s.format,
        requests: s.requests,
        bytes: s.bytes,
        malformed: s.lines.malformed,
        errors5xx: s.statusClass['5xx'] ?? 0,
      })),
    },
  };
}

/** Failures sorted by key, one per key (the first reported wins), `cause` omitted when absent. */
export function canonicalFailures(failed: FailedFile[]): FailedFile[] {
  const byKey = new Map<string, FailedFile>();
  for (const f of failed) {
    if (byKey.has(f.key)) continue;
    byKey.set(
      f.key,
      f.cause === undefined ? { key: f.key, error: f.error } : { key: f.key, error: f.error, cause: f.cause },
    );
  }
  return [...byKey.values()].sort((a, b) => byString(a.key, b.key));
}
