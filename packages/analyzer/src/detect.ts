/**
 * Format detection: every parser votes on a sample of the first non-blank lines of a file and
 * the format that parses the most lines wins, provided it parses at least half of them. Ties
 * go to the more specific format (combined before common).
 */
import type { LogFormat } from '@logflow/shared-types';
import type { ParserOptions } from './formats/index.js';
import { createParser } from './formats/index.js';
import { emptyRecord } from './record.js';

/** Formats in tie-break order. */
const CANDIDATES: readonly LogFormat[] = ['combined', 'common', 'alb', 'cloudfront', 's3', 'jsonl'];

/** How many non-blank, non-header lines the sample holds at most. */
export const DETECTION_SAMPLE_LINES = 16;

export type Detection =
  | { format: LogFormat; votes: number; sampled: number }
  /** No format won; `offending` is the index in the sample of the first line no format parsed. */
  | { format: null; offending: number };

/** Detects the format of `sample` (lines without terminators; blank lines are ignored). */
export function detectFormat(sample: readonly string[], options: ParserOptions = {}): Detection {
  const record = emptyRecord();
  const lines = sample.filter((line) => line.trim() !== '');
  const parsedBySome = new Array<boolean>(lines.length).fill(false);
  let best: LogFormat | null = null;
  let bestVotes = 0;
  let bestDataLines = 0;
  for (const format of CANDIDATES) {
    const parser = createParser(format, options);
    let votes = 0;
    let dataLines = 0;
    lines.forEach((line, index) => {
      if (parser.header?.(line, 0, line.length)) {
        votes++;
        parsedBySome[index] = true;
        return;
      }
      if (parser.parse(line, 0, line.length, record)) {
        votes++;
        dataLines++;
        parsedBySome[index] = true;
      }
    });
    // Header lines only count when the format also parsed a data line (or there are none).
    const fileHasData = dataLines > 0 || votes === lines.length;
    if (fileHasData && (votes > bestVotes || (votes === bestVotes && dataLines > bestDataLines))) {
      best = format;
      bestVotes = votes;
      bestDataLines = dataLines;
    }
  }
  if (best !== null && bestVotes * 2 >= lines.length && bestVotes > 0) {
    return { format: best, votes: bestVotes, sampled: lines.length };
  }
  const firstUnparsed = parsedBySome.indexOf(false);
  const offendingLine = lines[firstUnparsed === -1 ? 0 : firstUnparsed];
  return { format: null, offending: offendingLine === undefined ? -1 : sample.indexOf(offendingLine) };
}
