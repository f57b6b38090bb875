import { readFileSync } from 'node:fs';
import type { LogFormat } from '@logflow/shared-types';
import { emptyRecord, type LogRecord } from '../record.js';
import { createParser, type ParserOptions } from './index.js';

/** Absolute path of a file in `packages/analyzer/fixtures`. */
export function fixturePath(name: string): string {
  return new URL(`../../fixtures/${name}`, import.meta.url).pathname;
}

export type ParsedLine = { ok: true; record: LogRecord } | { ok: false; reason: string; header: boolean };

/** Parses every non-blank line of a fixture with a fresh parser (test helper). */
export function parseFixture(name: string, format: LogFormat, options: ParserOptions = {}): ParsedLine[] {
  const parser = createParser(format, options);
  const lines = readFileSync(fixturePath(name), 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  return lines.map((line) => {
    if (parser.header?.(line, 0, line.length)) return { ok: false, reason: 'header', header: true };
    const record = emptyRecord();
    return parser.parse(line, 0, line.length, record)
      ? { ok: true, record }
      : { ok: false, reason: parser.reason, header: false };
  });
}

/** The records of lines that parsed. */
export function records(lines: ParsedLine[]): LogRecord[] {
  return lines.flatMap((line) => (line.ok ? [line.record] : []));
}

export const iso = (ms: number): string => new Date(ms).toISOString();
