/**
 * The line parser of a compiled format string (`format-string.ts`). Segments are flattened into
 * typed arrays once; `parse` walks them left to right: a literal must match where the previous
 * field ended, and a field runs up to the next literal (a quote-aware search when the literal
 * starts with `"`, a list scan for nginx upstream values, a fixed width for timestamps) or to
 * the end of the line.
 */
import type { LogFormat } from '@logflow/shared-types';
import type { LogRecord } from '../record.js';
import { firstPublicAddress } from './forwarded.js';
import { fixedLength, type FieldRole, type Segment } from './format-string.js';
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

const ROLES: readonly FieldRole[] = [
  'client',
  'forwardedFor',
  'timeClf',
  'timeClfBracketed',
  'timeIso',
  'epoch',
  'request',
  'method',
  'path',
  'status',
  'bytes',
  'latency',
  'upstreamLatency',
  'userAgent',
  'host',
  'skip',
  'skipList',
];
const R = Object.fromEntries(ROLES.map((role, index) => [role, index])) as Record<FieldRole, number>;
const LITERAL = -1;

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

export class CompiledParser implements LineParser {
  reason = '';
  /** Fields the last parsed line filled (detection prefers the format that reads the most). */
  matched = 0;
  /** Fields the format declares. */
  readonly declared: number;
  private readonly kinds: Int8Array;
  private readonly literals: string[];
  private readonly names: string[];
  private readonly scales: Float64Array;
  private readonly fixed: Int32Array;
  private readonly optionalFrom: number;
  private readonly allowTrailing: boolean;
  private readonly forwardedClient: boolean;
  /** Whether the format has no client field and the client comes from X-Forwarded-For. */
  private readonly clientOnlyForwarded: boolean;

  constructor(
    readonly format: LogFormat,
    segments: readonly Segment[],
    options: CompiledParserOptions = {},
  ) {
    const n = segments.length;
    this.kinds = new Int8Array(n);
    this.literals = new Array<string>(n).fill('');
    this.names = new Array<string>(n).fill('');
    this.scales = new Float64Array(n);
    this.fixed = new Int32Array(n);
    segments.forEach((segment, k) => {
      if (segment.kind === 'literal') {
        this.kinds[k] = LITERAL;
        this.literals[k] = segment.text;
      } else {
        this.kinds[k] = R[segment.role];
        this.names[k] = segment.name;
        this.scales[k] = segment.scale;
        this.fixed[k] = fixedLength(segment.role);
      }
    });
    this.declared = segments.filter((s) => s.kind === 'field').length;
    this.optionalFrom = options.optionalFrom ?? -1;
    this.allowTrailing = options.allowTrailing ?? false;
    const roles = new Set(segments.flatMap((s) => (s.kind === 'field' ? [s.role] : [])));
    this.forwardedClient = (options.clientFromForwardedFor ?? false) && roles.has('forwardedFor');
    this.clientOnlyForwarded = !roles.has('client') && roles.has('forwardedFor');
  }

  private fail(reason: string): false {
    this.reason = reason;
    return false;
  }

  parse(s: string, start: number, end: number, r: LogRecord): boolean {
    const kinds = this.kinds;
    const n = kinds.length;
    let p = start;
    let time = NaN;
    let status = 0;
    let bytes = 0;
    let latency = NaN;
    let upstream = NaN;
    let clientFrom = -1;
    let clientTo = -1;
    let forwardedFrom = -1;
    let forwardedTo = -1;
    let requestFrom = -1;
    let requestTo = -1;
    let method = '';
    let path = '';
    let agent = '';
    let host = '';
    let matched = 0;
    for (let k = 0; k < n; k++) {
      if (k === this.optionalFrom && p === end) break;
      const kind = kinds[k]!;
      if (kind === LITERAL) {
        const text = this.literals[k]!;
        if (p + text.length > end || !s.startsWith(text, p)) return this.fail(`expected "${text}"`);
        p += text.length;
        continue;
      }
      // Where the field ends.
      let e: number;
      const width = this.fixed[k]!;
      if (width > 0) {
        e = p + width;
        if (e > end) return this.fail(`expected ${this.names[k]}`);
      } else if (k + 1 === n) {
        // A list ends where its items do, so text after it is not taken for part of it.
        if (kind === R.skipList || kind === R.upstreamLatency) e = listEnd(s, p, end);
        else if (this.allowTrailing) {
          e = s.indexOf(' ', p);
          if (e < 0 || e > end) e = end;
        } else e = end;
      } else {
        const next = this.literals[k + 1]!;
        if ((kind === R.skipList || kind === R.upstreamLatency) && next.charCodeAt(0) === SPACE) {
          e = listEnd(s, p, end);
        } else {
          e = this.literalAfter(s, p, end, next, k + 2 === n);
          // The line may end with the last required field.
          if (e < 0 && k + 1 === this.optionalFrom) e = end;
          if (e < 0) return this.fail(`expected "${next}" after ${this.names[k]}`);
        }
      }
      matched++;
      const dash = e - p === 1 && s.charCodeAt(p) === DASH;
      switch (kind) {
        case R.client:
          if (!dash) {
            clientFrom = p;
            clientTo = e;
          }
          break;
        case R.forwardedFor:
          if (!dash) {
            forwardedFrom = p;
            forwardedTo = e;
          }
          break;
        case R.timeClf:
          time = parseClfTime(s, p);
          if (time !== time) return this.fail(`invalid ${this.names[k]}`);
          break;
        case R.timeClfBracketed:
          if (s.charCodeAt(p) !== 91 || s.charCodeAt(e - 1) !== 93)
            return this.fail(`expected [${this.names[k]}]`);
          time = parseClfTime(s, p + 1);
          if (time !== time) return this.fail(`invalid ${this.names[k]}`);
          break;
        case R.timeIso:
          time = parseIsoTime(s, p, e);
          if (time !== time) return this.fail(`invalid ${this.names[k]}`);
          break;
        case R.epoch:
          time = parseDecimal(s, p, e, this.scales[k]!);
          if (!(time >= 0)) return this.fail(`invalid ${this.names[k]}`);
          time = Math.floor(time);
          break;
        case R.request:
          requestFrom = p;
          requestTo = e;
          break;
        case R.method:
          if (!dash) method = methodOf(s, p, e);
          break;
        case R.path:
          if (!dash) path = pathOf(s, p, e);
          break;
        case R.status:
          if (!dash) {
            status = e - p <= 3 ? parseUint(s, p, e) : -1;
            if (status < 0) return this.fail(`invalid ${this.names[k]}`);
          }
          break;
        case R.bytes:
          if (!dash) {
            bytes = parseUint(s, p, e);
            if (bytes < 0) return this.fail(`invalid ${this.names[k]}`);
          }
          break;
        case R.latency:
          if (!dash) {
            latency = parseDecimal(s, p, e, this.scales[k]!);
            if (!(latency >= 0)) return this.fail(`invalid ${this.names[k]}`);
          }
          break;
        case R.upstreamLatency:
          if (!dash) {
            upstream = sumTimeListMs(s, p, e);
            if (upstream !== upstream) return this.fail(`invalid ${this.names[k]}`);
            if (upstream < 0) upstream = NaN;
          }
          break;
        case R.userAgent:
          if (!dash) agent = s.substring(p, e);
          break;
        case R.host:
          if (!dash) host = s.substring(p, e);
          break;
      }
      p = e;
    }
    if (p !== end && !(this.allowTrailing && s.charCodeAt(p) === SPACE)) {
      return this.fail('unexpected text after the last field');
    }
    r.timestampMs = time;
    if (requestFrom >= 0) parseRequestLine(s, requestFrom, requestTo, r);
    else {
      r.method = method;
      r.path = path;
    }
    r.status = status;
    r.bytes = bytes;
    r.latencyMs = latency === latency ? latency : upstream;
    let client = '';
    if (forwardedFrom >= 0 && (this.forwardedClient || (this.clientOnlyForwarded && clientFrom < 0))) {
      client = firstPublicAddress(s, forwardedFrom, forwardedTo, !this.forwardedClient);
    }
    if (client === '' && clientFrom >= 0) client = clientOf(s, clientFrom, clientTo, false);
    r.client = client;
    r.userAgent = agent;
    r.host = host;
    this.matched = matched;
    return true;
  }

  /**
   * Start of `literal` at or after `from` within the line; -1 if absent. A literal opening with
   * `"` skips quotes escaped by a backslash; the last literal of the format must end the line (or,
   * with trailing text allowed, be followed by a space).
   */
  private literalAfter(s: string, from: number, end: number, literal: string, last: boolean): number {
    const quoted = literal.charCodeAt(0) === QUOTE;
    let q = s.indexOf(literal, from);
    while (q >= 0 && q + literal.length <= end) {
      let ok = true;
      if (quoted) {
        let backslashes = 0;
        while (q - backslashes - 1 >= from && s.charCodeAt(q - backslashes - 1) === BACKSLASH) backslashes++;
        ok = (backslashes & 1) === 0;
      }
      if (ok && last) {
        const after = q + literal.length;
        ok = after === end || (this.allowTrailing && s.charCodeAt(after) === SPACE);
      }
      if (ok) return q;
      q = s.indexOf(literal, q + 1);
    }
    return -1;
  }
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
