import {
  FILE_SUMMARY_VERSION,
  type FileRef,
  type FileSummary,
  type FormatChoice,
  type LogFormat,
  type MalformedSample,
  type StatusClassCounts,
} from '@logflow/shared-types';
import { detachString } from '../detach.js';
import type { LogRecord } from '../record.js';
import { HeavyHitters } from '../sketches/heavy-hitters.js';
import { HyperLogLog } from '../sketches/hyperloglog.js';
import { QuantileSketch } from '../sketches/quantile.js';
import { TimelineBuilder } from '../sketches/timeline.js';
import { fitSummary } from './size.js';

/** Malformed lines kept as examples per file. */
export const MALFORMED_SAMPLE_LIMIT = 5;
/** Characters of a malformed line kept in a sample. */
export const MALFORMED_TEXT_LIMIT = 200;
/** Entries each top-k list keeps in a summary (before any size-driven shrinking). */
export const TOP_CAPACITY = { paths: 100, clients: 100, userAgents: 50, hosts: 50 } as const;
/** Distinct methods counted by name; further ones are counted as `OTHER` (the field is untrusted). */
export const METHOD_LIMIT = 32;
/** Longer method names are counted as `OTHER`. */
export const METHOD_MAX_CHARS = 24;

/** Timestamps outside what `Date` can represent are treated as missing. */
const MAX_TIME_MS = 8.64e15;

/** Requests dated outside `[fromMs, toMs]` are counted as out of range and left off the timeline. */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

export interface SummaryBuilderInit {
  file: FileRef;
  format: LogFormat;
  formatChoice?: FormatChoice;
  /** Requests dated outside it are `outOfRange`; none are without it. */
  timeWindow?: TimeWindow;
}

/**
 * Accumulates one file's `FileSummary` from parsed records. `add` runs once per line, so it
 * allocates nothing for values it has seen before: status codes count in a typed array, strings
 * count in maps, and a client is hashed into the HyperLogLog only the first time the client
 * counter meets it.
 */
export class SummaryBuilder {
  private readonly file: FileRef;
  private readonly format: LogFormat;
  private parsed = 0;
  private malformed = 0;
  private skipped = 0;
  private readonly samples: MalformedSample[] = [];
  private bytes = 0;
  /** Count per status code 0..999 (0 = none / unparseable). */
  private readonly statusCounts = new Float64Array(1000);
  private readonly methods = new Map<string, number>();
  private readonly latency = new QuantileSketch();
  private readonly responseBytes = new QuantileSketch();
  private readonly clients = new HyperLogLog();
  private readonly topPaths = new HeavyHitters();
  private readonly topClients = new HeavyHitters();
  private readonly topUserAgents = new HeavyHitters();
  private readonly topHosts = new HeavyHitters();
  private hosts = false;
  private readonly timeline = new TimelineBuilder();
  private firstMs = Infinity;
  private lastMs = -Infinity;
  private outOfRange = 0;
  private readonly fromMs: number;
  private readonly toMs: number;
  private readonly formatChoice: FormatChoice | undefined;
  private readonly warnings: string[] = [];

  constructor(init: SummaryBuilderInit) {
    this.file = init.file;
    this.format = init.format;
    this.formatChoice = init.formatChoice;
    this.fromMs = Math.max(-MAX_TIME_MS, init.timeWindow?.fromMs ?? -MAX_TIME_MS);
    this.toMs = Math.min(MAX_TIME_MS, init.timeWindow?.toMs ?? MAX_TIME_MS);
  }

  /** A condition that lost no data but belongs in the summary (kept once per text). */
  addWarning(text: string): void {
    if (!this.warnings.includes(text) && this.warnings.length < MALFORMED_SAMPLE_LIMIT)
      this.warnings.push(text);
  }

  add(record: LogRecord): void {
    this.parsed++;
    const status = record.status;
    const statusIndex = status >= 100 && status <= 999 ? status | 0 : 0;
    this.statusCounts[statusIndex]!++;
    // Parsers refuse non-finite and negative values; the guards keep a summary finite regardless.
    const bytes = record.bytes;
    if (bytes > 0 && bytes <= Number.MAX_SAFE_INTEGER) {
      this.bytes += bytes;
      this.responseBytes.add(bytes);
    } else this.responseBytes.add(0);
    const latency = record.latencyMs;
    if (latency >= 0 && latency < Infinity) this.latency.add(latency);

    const method = record.method;
    if (method !== '') {
      const m = this.methods.get(method);
      if (m !== undefined) this.methods.set(method, m + 1);
      else if (this.methods.size < METHOD_LIMIT && method.length <= METHOD_MAX_CHARS)
        this.methods.set(detachString(method), 1);
      else this.methods.set('OTHER', (this.methods.get('OTHER') ?? 0) + 1);
    }
    if (record.path !== '') this.topPaths.offer(record.path);
    const client = record.client;
    if (client !== '' && this.topClients.offer(client)) this.clients.add(client);
    if (record.userAgent !== '') this.topUserAgents.offer(record.userAgent);
    if (record.host !== '') {
      this.hosts = true;
      this.topHosts.offer(record.host);
    }

    const ts = record.timestampMs;
    if (ts < this.fromMs || ts > this.toMs) this.outOfRange++;
    else if (ts >= -MAX_TIME_MS && ts <= MAX_TIME_MS) {
      if (ts < this.firstMs) this.firstMs = ts;
      if (ts > this.lastMs) this.lastMs = ts;
      this.timeline.add(ts, statusIndex >= 500 && statusIndex < 600);
    }
  }

  /** Count a line that did not parse; the first few are kept (truncated) as samples. */
  addMalformed(line: number, text: string, reason: string): void {
    this.malformed++;
    if (this.samples.length < MALFORMED_SAMPLE_LIMIT) {
      this.samples.push({
        line,
        text: detachString(text.length > MALFORMED_TEXT_LIMIT ? text.slice(0, MALFORMED_TEXT_LIMIT) : text),
        reason: detachString(
          reason.length > MALFORMED_TEXT_LIMIT ? reason.slice(0, MALFORMED_TEXT_LIMIT) : reason,
        ),
      });
    }
  }

  /** Count a blank line or a format comment/header. */
  addSkipped(): void {
    this.skipped++;
  }

  finish(): FileSummary {
    const status: Record<string, number> = {};
    const statusClass: StatusClassCounts & { other: number } = {
      '1xx': 0,
      '2xx': 0,
      '3xx': 0,
      '4xx': 0,
      '5xx': 0,
      other: 0,
    };
    for (let code = 0; code < this.statusCounts.length; code++) {
      const n = this.statusCounts[code]!;
      if (n === 0) continue;
      status[code === 0 ? '-' : String(code)] = n;
      const cls = STATUS_CLASS_BY_HUNDRED[Math.floor(code / 100)];
      if (cls) statusClass[cls] += n;
      else statusClass.other += n;
    }
    const methods: Record<string, number> = {};
    for (const k of [...this.methods.keys()].sort()) methods[k] = this.methods.get(k)!;

    const summary: FileSummary = {
      version: FILE_SUMMARY_VERSION,
      file: { ...this.file },
      format: this.format,
      lines: {
        total: this.parsed + this.malformed + this.skipped,
        parsed: this.parsed,
        malformed: this.malformed,
        skipped: this.skipped,
      },
      malformedSamples: this.samples.map((s) => ({ ...s })),
      requests: this.parsed,
      bytes: this.bytes,
      status,
      statusClass,
      methods,
      latencyMs: this.latency.toSummary(),
      responseBytes: this.responseBytes.toSummary(),
      uniqueClients: {
        estimate: this.clients.estimate(),
        relativeStandardError: this.clients.relativeStandardError,
        sketch: this.clients.serialize(),
      },
      topPaths: this.topPaths.toTopK(TOP_CAPACITY.paths),
      topClients: this.topClients.toTopK(TOP_CAPACITY.clients),
      topUserAgents: this.topUserAgents.toTopK(TOP_CAPACITY.userAgents),
      timeRange:
        this.firstMs <= this.lastMs
          ? { first: new Date(this.firstMs).toISOString(), last: new Date(this.lastMs).toISOString() }
          : null,
      timeline: this.timeline.finish(),
      outOfRange: this.outOfRange,
    };
    if (this.hosts) summary.topHosts = this.topHosts.toTopK(TOP_CAPACITY.hosts);
    if (this.formatChoice) summary.formatChoice = { ...this.formatChoice };
    if (this.warnings.length > 0) summary.warnings = [...this.warnings];
    return fitSummary(summary);
  }
}

const STATUS_CLASS_BY_HUNDRED: readonly ('1xx' | '2xx' | '3xx' | '4xx' | '5xx' | undefined)[] = [
  undefined,
  '1xx',
  '2xx',
  '3xx',
  '4xx',
  '5xx',
];
