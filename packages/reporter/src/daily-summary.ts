/**
 * Merging a day's file summaries into the DailySummary. Pure and deterministic: the pure entry
 * point puts files in a canonical order first, so the same files give byte-identical reports
 * however DynamoDB or the Map run ordered them. The incremental builder folds summaries in
 * batches, so a day of many files never needs all of them in memory at once.
 */
import { mergeSummaries, type BatchSummary } from '@logflow/analyzer';
import type {
  DailyFileDetail,
  DailySummary,
  FailedFile,
  FileSummary,
  SummaryCore,
} from '@logflow/shared-types';
import { DAILY_SUMMARY_VERSION, isDay } from '@logflow/shared-types';
import { describeCause } from './cause.js';

export interface DailySummaryInput {
  /** The day, `YYYY-MM-DD`. */
  date: string;
  summaries: FileSummary[];
  failed: FailedFile[];
}

/** File summaries held before they are folded into the running merge. */
export const MERGE_BATCH_SIZE = 64;

/** Canonical identity of a file summary: `s3://bucket/key`, or the key for local files. */
function fileId(summary: FileSummary): string {
  return summary.file.bucket ? `s3://${summary.file.bucket}/${summary.file.key}` : summary.file.key;
}

/** Byte order of the UTF-8 encodings: the order DynamoDB returns sort keys in. */
function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Builds a DailySummary from summaries fed one at a time. Feeding the same summaries in the same
 * order gives the same result; `buildDailySummary` feeds them in canonical order.
 */
export class DailySummaryBuilder {
  private readonly details: DailyFileDetail[] = [];
  private pending: SummaryCore[] = [];
  private merged: SummaryCore | undefined;

  constructor(readonly date: string) {
    if (!isDay(date)) {
      throw new Error(`invalid date "${date}", expected YYYY-MM-DD`);
    }
  }

  add(summary: FileSummary): void {
    this.addBatch({
      core: summary,
      details: [
        {
          key: summary.file.key,
          format: summary.format,
          requests: summary.requests,
          bytes: summary.bytes,
          malformed: summary.lines.malformed,
          errors5xx: summary.statusClass['5xx'] ?? 0,
        },
      ],
    });
  }

  /** Adds a batch summary record: the merged numbers of its objects and their headlines. */
  addBatch(batch: BatchSummary): void {
    for (const detail of batch.details) this.details.push(detail);
    this.pending.push(batch.core);
    if (this.pending.length >= MERGE_BATCH_SIZE) this.fold();
  }

  private fold(): void {
    if (this.pending.length === 0) return;
    this.merged = mergeSummaries(this.merged ? [this.merged, ...this.pending] : this.pending);
    this.pending = [];
  }

  finish(failed: FailedFile[]): DailySummary {
    this.fold();
    const core = this.merged ?? mergeSummaries([]);
    return {
      version: DAILY_SUMMARY_VERSION,
      date: this.date,
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
        analyzed: this.details.length,
        failed: canonicalFailures(failed),
        details: [...this.details].sort((a, b) => byUtf8(a.key, b.key)),
      },
    };
  }
}

export function buildDailySummary({ date, summaries, failed }: DailySummaryInput): DailySummary {
  const builder = new DailySummaryBuilder(date);
  for (const summary of [...summaries].sort((a, b) => byUtf8(fileId(a), fileId(b)))) builder.add(summary);
  return builder.finish(failed);
}

/**
 * Failures sorted by key, one per key (the first reported wins). A Lambda error's cause is cut to
 * its message: the stack trace names deployment paths and line numbers that would make the same
 * failure read differently from one build to the next. `cause` is omitted when empty.
 */
export function canonicalFailures(failed: FailedFile[]): FailedFile[] {
  const byKey = new Map<string, FailedFile>();
  for (const f of failed) {
    if (byKey.has(f.key)) continue;
    const cause = describeCause(f.cause);
    byKey.set(f.key, {
      key: f.key,
      ...(f.state ? { state: f.state } : {}),
      error: f.error,
      ...(cause === '' ? {} : { cause }),
    });
  }
  return [...byKey.values()].sort((a, b) => byUtf8(a.key, b.key));
}
