/**
 * The line parser of a compiled format string (`format-string.ts`): its `parse` is generated
 * once from the segments (`codegen.ts`). Left to right, a literal must match where the previous
 * field ended, and a field runs up to the next literal (a quote-aware search when the literal
 * starts with `"`, a list scan for nginx upstream values, a fixed width for timestamps) or to
 * the end of the line.
 */
import type { LogFormat } from '@logflow/shared-types';
import type { LogRecord } from '../record.js';
import { firstPublicAddress } from './forwarded.js';
import { parseFunctionBody, type CodegenOptions } from './codegen.js';
import type { Segment } from './format-string.js';
import {
  clientOf,
  methodOf,
  parseClfTime,
  parseDecimal,
  parseIsoTime,
  parseRequestLine,
  parseUint,
  pathOf,
} from './scan.js';
import type { LineParser } from './types.js';

const SPACE = 32;
const QUOTE = 34;
const DASH = 45;
const BACKSLASH = 92;

export interface CompiledParserOptions {
  /**
   * The line may end right before this segment (e.g. `combined` also takes `common` lines); -1
   * when every segment is required.
   */
  optionalFrom?: number;
  /** Text after the last segment (separated by a space) is ignored instead of refused. */
  allowTrailing?: boolean;
  /** Take the client from the first public address of X-Forwarded-For when the format has it. */
  clientFromForwardedFor?: boolean;
}

type ParseFunction = (this: CompiledParser, s: string, start: number, end: number, r: LogRecord) => boolean;

/** What the generated code may call, by these names. */
const HELPERS = {
  clientOf,
  firstPublicAddress,
  methodOf,
  parseClfTime,
  parseDecimal,
  parseIsoTime,
  parseRequestLine,
  parseUint,
  pathOf,
  listEnd,
  sumTimeListMs,
  find,
  findQuoted,
  findLast,
  findLastTrailing,
};

/**
 * Compiles the segments into a parse function (see `codegen.ts`). The format's text reaches the
 * generated source only as JSON string literals, so no format string can inject code.
 */
function compile(segments: readonly Segment[], options: CodegenOptions): ParseFunction {
  const names = Object.keys(HELPERS);
  const body = parseFunctionBody(segments, options);
  const factory = new Function(...names, `return function parse(s, start, end, r) {\n${body}\n};`) as (
    ...helpers: unknown[]
  ) => ParseFunction;
  return factory(...names.map((name) => HELPERS[name as keyof typeof HELPERS]));
}

export class CompiledParser implements LineParser {
  reason = '';
  /** Fields the last parsed line filled (detection prefers the format that reads the most). */
  matched = 0;
  /** Fields the format declares. */
  readonly declared: number;
  /** Fills `r` from `s[start, end)`; generated for the format. */
  readonly parse: (s: string, start: number, end: number, r: LogRecord) => boolean;

  constructor(
    readonly format: LogFormat,
    segments: readonly Segment[],
    options: CompiledParserOptions = {},
  ) {
    this.declared = segments.filter((s) => s.kind === 'field').length;
    const roles = new Set(segments.flatMap((s) => (s.kind === 'field' ? [s.role] : [])));
    const codegen: CodegenOptions = {
      optionalFrom: options.optionalFrom ?? -1,
      allowTrailing: options.allowTrailing ?? false,
      forwardedClient: (options.clientFromForwardedFor ?? false) && roles.has('forwardedFor'),
      clientOnlyForwarded: !roles.has('client') && roles.has('forwardedFor'),
    };
    // One function per format and options, shared by every parser of it: compiled and optimised
    // once, not once per file (presets are tried on every file during detection).
    const bySegments = COMPILED.get(segments) ?? new Map<string, ParseFunction>();
    COMPILED.set(segments, bySegments);
    const key = JSON.stringify(codegen);
    let parse = bySegments.get(key);
    if (parse === undefined) {
      parse = compile(segments, codegen);
      bySegments.set(key, parse);
    }
    this.parse = parse;
  }
}

const COMPILED = new WeakMap<readonly Segment[], Map<string, ParseFunction>>();

/** Start of `literal` in `s[from, end)`, or -1. */
function find(s: string, from: number, end: number, literal: string): number {
  const i = s.indexOf(literal, from);
  return i >= 0 && i + literal.length <= end ? i : -1;
}

/** Like `find`, passing over a `"` escaped by a backslash. */
function findQuoted(s: string, from: number, end: number, literal: string): number {
  return literalAt(s, from, end, literal, 0);
}

/** Start of the last literal of the format: it must end the line. */
function findLast(s: string, from: number, end: number, literal: string): number {
  return literalAt(s, from, end, literal, 1);
}

/** Start of the last literal of the format: it must end the line or be followed by a space. */
function findLastTrailing(s: string, from: number, end: number, literal: string): number {
  return literalAt(s, from, end, literal, 2);
}

/** `mode` 0: anywhere; 1: ending the line; 2: ending the line or before a space. */
function literalAt(s: string, from: number, end: number, literal: string, mode: number): number {
  const quoted = literal.charCodeAt(0) === QUOTE;
  let q = s.indexOf(literal, from);
  while (q >= 0 && q + literal.length <= end) {
    let ok = true;
    if (quoted) {
      let backslashes = 0;
      while (q - backslashes - 1 >= from && s.charCodeAt(q - backslashes - 1) === BACKSLASH) backslashes++;
      ok = (backslashes & 1) === 0;
    }
    if (ok && mode !== 0) {
      const after = q + literal.length;
      ok = after === end || (mode === 2 && s.charCodeAt(after) === SPACE);
    }
    if (ok) return q;
    q = s.indexOf(literal, q + 1);
  }
  return -1;
}

/**
 * End of an nginx list value starting at `i`: items without spaces or commas, joined by `, `,
 * `,` or ` : ` (one item per upstream tried, ` : ` between upstream groups).
 */
export function listEnd(s: string, i: number, end: number): number {
  let j = i;
  for (;;) {
    while (j < end) {
      const c = s.charCodeAt(j);
      if (c === SPACE || c === 44) break;
      j++;
    }
    const c = s.charCodeAt(j);
    if (j < end && c === 44) {
      j++;
      if (s.charCodeAt(j) === SPACE) j++;
    } else if (j + 2 < end && c === SPACE && s.charCodeAt(j + 1) === 58 && s.charCodeAt(j + 2) === SPACE) {
      j += 3;
    } else return j;
  }
}

/**
 * Sum of the numbers of an nginx time list in ms (`-` items count as 0); -1 when every item is
 * `-`; NaN when an item is not a plain non-negative decimal.
 */
export function sumTimeListMs(s: string, start: number, end: number): number {
  let total = 0;
  let numbers = 0;
  let i = start;
  while (i < end) {
    let j = i;
    while (j < end) {
      const c = s.charCodeAt(j);
      if (c === 44 || c === SPACE || c === 58) break;
      j++;
    }
    if (j > i) {
      const ms = parseDecimal(s, i, j, 1000);
      if (ms >= 0) {
        total += ms;
        numbers++;
      } else if (!(j - i === 1 && s.charCodeAt(i) === DASH)) return NaN;
    }
    i = j + 1;
  }
  return numbers > 0 ? total : -1;
}
