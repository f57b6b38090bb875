import type { LogFormat } from '@logflow/shared-types';
import type { LogRecord } from '../record.js';

/**
 * A parser for one log format. It reads a line as `text[start, end)` (line terminator already
 * removed) so a whole block of lines can share one decoded string, fills a reused record in
 * place and reports success. Parsers keep per-file state (CloudFront's `#Fields:` layout), so
 * create one per file.
 */
export interface LineParser {
  readonly format: LogFormat;
  /** Why the last `parse` returned false (a constant string; no allocation per failure). */
  reason: string;
  /** Fills every field of `record`; returns false (and sets `reason`) when the line does not parse. */
  parse(text: string, start: number, end: number, record: LogRecord): boolean;
  /**
   * Whether the line is a header or comment of the format (consumed, counted as skipped);
   * formats without header lines omit this.
   */
  header?(text: string, start: number, end: number): boolean;
  /**
   * Fields the last parsed line filled, for formats whose lines fill a varying number (format
   * strings with optional parts, JSON). Detection prefers the format that reads the most.
   */
  readonly matched?: number;
  /** Fields the format declares; among formats that read as much, the smaller one fits better. */
  readonly declared?: number;
}
