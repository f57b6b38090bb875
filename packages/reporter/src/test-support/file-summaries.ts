/** Real FileSummaries built with the analyzer's SummaryBuilder, for merge and handler tests. */
import { emptyRecord, SummaryBuilder } from '@logflow/analyzer';
import type { FileSummary, LogFormat } from '@logflow/shared-types';

export interface RequestSpec {
  /** ISO timestamp. */
  at: string;
  path: string;
  status: number;
  client?: string;
  latencyMs?: number;
  bytes?: number;
  userAgent?: string;
  method?: string;
}

export function fileSummary(
  key: string,
  requests: RequestSpec[],
  options: { bucket?: string; format?: LogFormat; malformed?: { line: number; text: string }[] } = {},
): FileSummary {
  const builder = new SummaryBuilder({
    file: { key, gzip: false, ...(options.bucket ? { bucket: options.bucket } : {}) },
    format: options.format ?? 'combined',
  });
  for (const r of requests) {
    const record = emptyRecord();
    record.timestampMs = Date.parse(r.at);
    record.method = r.method ?? 'GET';
    record.path = r.path;
    record.status = r.status;
    record.bytes = r.bytes ?? 100;
    record.latencyMs = r.latencyMs ?? Number.NaN;
    record.client = r.client ?? '192.0.2.1';
    record.userAgent = r.userAgent ?? 'curl/8.5.0';
    builder.add(record);
  }
  for (const m of options.malformed ?? []) builder.addMalformed(m.line, m.text, 'unrecognised line');
  return builder.finish();
}

/** `count` requests spread over one hour starting at `hourIso`, every tenth a 503. */
export function hourOfRequests(hourIso: string, count: number, path = '/api'): RequestSpec[] {
  const start = Date.parse(hourIso);
  return Array.from({ length: count }, (_, i) => ({
    at: new Date(start + Math.floor((i * 3_600_000) / count)).toISOString(),
    path,
    status: i % 10 === 9 ? 503 : 200,
    client: `198.51.100.${i % 50}`,
    latencyMs: 5 + (i % 100),
  }));
}
