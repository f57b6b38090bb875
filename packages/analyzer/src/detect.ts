/**
 * Format detection: every preset parses a sample of the file's data lines (blank and `#` comment
 * lines are not data). The preset that parses the most lines wins; among those that parse as
 * many, the one that reads the most fields (ingress-nginx over combined, combined over common
 * on combined lines), then the one that declares the fewest (common over combined on common
 * lines). The winner must parse at least half of the sampled data lines.
 */
import type { LogFormat } from '@logflow/shared-types';
import type { ParserOptions } from './formats/index.js';
import { PRESETS } from './formats/presets.js';
import type { LineParser } from './formats/types.js';
import { emptyRecord } from './record.js';

/** How many data lines the sample holds at most. */
export const DETECTION_SAMPLE_LINES = 16;

/** Fields a hand-written parser reads from every line it parses (its score per line). */
const FIXED_PARSER_FIELDS = 9;

export interface DetectionCandidate {
  format: LogFormat;
  /** Sampled data lines it parsed. */
  parsed: number;
  /** Share of the sampled data lines it parsed, 0–1. */
  confidence: number;
}

export type Detection =
  | {
      format: LogFormat;
      /** Data lines in the sample. */
      sampled: number;
      confidence: number;
      runnerUp?: DetectionCandidate;
      /** Median timestamp of the sampled lines the winner parsed; NaN when none had one. */
      medianMs: number;
    }
  | {
      format: null;
      sampled: number;
      /** The two best candidates (fewer when fewer parsed anything). */
      candidates: DetectionCandidate[];
      /** Index in the sample of the first data line the best candidate did not parse; -1 when none. */
      offending: number;
    };

/** Whether a line is a comment or header (`#…`), never data in any supported format. */
export function isCommentLine(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i < end && text.charCodeAt(i) === 35;
}

function isBlankLine(line: string): boolean {
  return line.trim() === '';
}

interface Tally {
  format: LogFormat;
  order: number;
  parsed: number;
  score: number;
  declared: number;
  times: number[];
  firstUnparsed: number;
}

function tally(parser: LineParser, order: number, sample: readonly string[]): Tally {
  const record = emptyRecord();
  const t: Tally = {
    format: parser.format,
    order,
    parsed: 0,
    score: 0,
    declared: parser.declared ?? FIXED_PARSER_FIELDS,
    times: [],
    firstUnparsed: -1,
  };
  sample.forEach((line, index) => {
    if (isBlankLine(line)) return;
    if (isCommentLine(line, 0, line.length)) {
      parser.header?.(line, 0, line.length);
      return;
    }
    if (parser.parse(line, 0, line.length, record)) {
      t.parsed++;
      t.score += parser.matched ?? FIXED_PARSER_FIELDS;
      if (record.timestampMs === record.timestampMs) t.times.push(record.timestampMs);
    } else if (t.firstUnparsed < 0) t.firstUnparsed = index;
  });
  return t;
}

function better(a: Tally, b: Tally): boolean {
  if (a.parsed !== b.parsed) return a.parsed > b.parsed;
  if (a.score !== b.score) return a.score > b.score;
  if (a.declared !== b.declared) return a.declared < b.declared;
  return a.order < b.order;
}

/** Median of the sampled timestamps of `parser` on `sample` (the time reference of a file). */
export function sampleMedianMs(parser: LineParser, sample: readonly string[]): number {
  return median(tally(parser, 0, sample).times);
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Detects the format of `sample` (lines without terminators; blank and `#` lines are not data). */
export function detectFormat(sample: readonly string[], options: ParserOptions = {}): Detection {
  const data = sample.filter((line) => !isBlankLine(line) && !isCommentLine(line, 0, line.length)).length;
  const tallies = PRESETS.map((preset, order) => tally(preset.create(options), order, sample)).sort((a, b) =>
    better(a, b) ? -1 : better(b, a) ? 1 : 0,
  );
  const share = (t: Tally) => (data === 0 ? 0 : t.parsed / data);
  const candidate = (t: Tally): DetectionCandidate => ({
    format: t.format,
    parsed: t.parsed,
    confidence: share(t),
  });
  const best = tallies[0]!;
  const second = tallies.find((t) => t !== best && t.parsed > 0);
  if (data === 0) {
    // Only headers: a CloudFront file of a distribution that served nothing.
    if (sample.some((line) => /^#(Version|Fields):/.test(line))) {
      return { format: 'cloudfront', sampled: 0, confidence: 0, medianMs: NaN };
    }
    return { format: null, sampled: 0, candidates: [], offending: -1 };
  }
  if (best.parsed * 2 >= data && best.parsed > 0) {
    return {
      format: best.format,
      sampled: data,
      confidence: share(best),
      ...(second ? { runnerUp: candidate(second) } : {}),
      medianMs: median(best.times),
    };
  }
  const candidates = tallies
    .filter((t) => t.parsed > 0)
    .slice(0, 2)
    .map(candidate);
  const firstData = sample.findIndex((line) => !isBlankLine(line) && !isCommentLine(line, 0, line.length));
  return {
    format: null,
    sampled: data,
    candidates,
    offending: best.parsed > 0 && best.firstUnparsed >= 0 ? best.firstUnparsed : firstData,
  };
}
