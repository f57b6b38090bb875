/**
 * Amazon CloudFront standard (access) logs: tab-separated fields whose names and order come
 * from the `#Fields:` header line (`#Version:` and other `#` lines are skipped). Without a
 * header the documented field list is assumed, cut to the line's length: every historical list
 * (12 to 33 fields) is a prefix of the current one, and fields after the 33rd are ignored. Times are UTC; `time-taken` is in
 * seconds; `cs(User-Agent)` is URL-encoded and decoded here.
 */
import type { LogRecord } from '../record.js';
import { parseClock, parseDecimal, parseIsoDate, parseUint, pathOf, percentDecode } from './scan.js';
import type { LineParser } from './types.js';

/** Field list of CloudFront standard logs (version 1.0), as documented by AWS. */
export const CLOUDFRONT_DEFAULT_FIELDS = [
  'date',
  'time',
  'x-edge-location',
  'sc-bytes',
  'c-ip',
  'cs-method',
  'cs(Host)',
  'cs-uri-stem',
  'sc-status',
  'cs(Referer)',
  'cs(User-Agent)',
  'cs-uri-query',
  'cs(Cookie)',
  'x-edge-result-type',
  'x-edge-request-id',
  'x-host-header',
  'cs-protocol',
  'cs-bytes',
  'time-taken',
  'x-forwarded-for',
  'ssl-protocol',
  'ssl-cipher',
  'x-edge-response-result-type',
  'cs-protocol-version',
  'fle-status',
  'fle-encrypted-fields',
  'c-port',
  'time-to-first-byte',
  'x-edge-detailed-result-type',
  'sc-content-type',
  'sc-content-len',
  'sc-range-start',
  'sc-range-end',
] as const;

/**
 * Fields of the oldest documented layout (`date` … `cs-uri-query`); later layouts appended
 * fields (15, 18, 19, 23, 24, 26 and now 33), so a line without header needs at least these.
 */
export const CLOUDFRONT_MIN_FIELDS = 12;

const WANTED = [
  'date',
  'time',
  'sc-bytes',
  'c-ip',
  'cs-method',
  'cs-uri-stem',
  'sc-status',
  'cs(User-Agent)',
  'time-taken',
] as const;
type Wanted = (typeof WANTED)[number];

const AGENT_CACHE_SIZE = 4096;

export class CloudFrontParser implements LineParser {
  readonly format = 'cloudfront' as const;
  reason = '';
  /** Column index of each wanted field; -1 when the layout lacks it. */
  private column = new Int32Array(WANTED.length);
  /** Column → slot in `column`, or -1. */
  private slotOfColumn = new Int32Array(0);
  private readonly starts = new Int32Array(WANTED.length);
  private readonly ends = new Int32Array(WANTED.length);
  /** Whether a `#Fields:` header set the layout. */
  private fromHeader = false;

  constructor() {
    this.setFields(CLOUDFRONT_DEFAULT_FIELDS);
  }

  private setFields(names: readonly string[]): void {
    this.column.fill(-1);
    this.slotOfColumn = new Int32Array(names.length).fill(-1);
    names.forEach((name, index) => {
      const slot = WANTED.indexOf(name as Wanted);
      if (slot >= 0 && this.column[slot] === -1) {
        this.column[slot] = index;
        this.slotOfColumn[index] = slot;
      }
    });
  }

  header(s: string, start: number, end: number): boolean {
    if (s.charCodeAt(start) !== 35) return false;
    if (s.startsWith('#Fields:', start)) {
      const names = s
        .substring(start + 8, end)
        .trim()
        .split(/\s+/)
        .filter((name) => name !== '');
      if (names.length > 0) {
        this.setFields(names);
        this.fromHeader = true;
      }
    }
    return true;
  }

  private fail(reason: string): false {
    this.reason = reason;
    return false;
  }

  parse(s: string, start: number, end: number, r: LogRecord): boolean {
    const starts = this.starts;
    const ends = this.ends;
    starts.fill(-1);
    const slots = this.slotOfColumn;
    let columnIndex = 0;
    let fieldStart = start;
    for (;;) {
      let tab = s.indexOf('\t', fieldStart);
      if (tab < 0 || tab > end) tab = end;
      if (columnIndex < slots.length) {
        const slot = slots[columnIndex]!;
        if (slot >= 0) {
          starts[slot] = fieldStart;
          ends[slot] = tab;
        }
      }
      columnIndex++;
      if (tab === end) break;
      fieldStart = tab + 1;
    }
    if (columnIndex < 2) return this.fail('expected tab-separated fields');
    // Without a header any historical field list (each a prefix of the current one) is taken.
    const required = this.fromHeader ? slots.length : CLOUDFRONT_MIN_FIELDS;
    if (columnIndex < required) return this.fail(`expected ${required} tab-separated fields`);
    // date + time
    const dateAt = starts[0]!;
    const timeAt = starts[1]!;
    if (dateAt < 0 || timeAt < 0 || ends[0]! - dateAt !== 10 || ends[1]! - timeAt !== 8) {
      return this.fail('expected date and time');
    }
    const time = parseIsoDate(s, dateAt) + parseClock(s, timeAt);
    if (time !== time) return this.fail('invalid date or time');
    const status = this.uintField(s, 6);
    if (status < 0) return this.fail('invalid sc-status');
    const bytes = this.uintField(s, 2);
    if (bytes < 0) return this.fail('invalid sc-bytes');
    let latencyMs = NaN;
    if (starts[8]! >= 0 && !this.isDash(s, 8)) {
      latencyMs = parseDecimal(s, starts[8]!, ends[8]!, 1000);
      if (latencyMs !== latencyMs) return this.fail('invalid time-taken');
    }
    r.timestampMs = time;
    r.status = status;
    r.bytes = bytes;
    r.latencyMs = latencyMs;
    r.method = this.text(s, 4);
    r.path = starts[5]! >= 0 ? pathOf(s, starts[5]!, ends[5]!) : '';
    r.client = this.text(s, 3);
    r.userAgent = this.decodedAgent(this.text(s, 7));
    r.host = '';
    return true;
  }

  /** Decoded user agents by their encoded form: few distinct agents, decoded once each. */
  private readonly agents = new Map<string, string>();

  private decodedAgent(encoded: string): string {
    let decoded = this.agents.get(encoded);
    if (decoded === undefined) {
      decoded = percentDecode(encoded);
      if (this.agents.size >= AGENT_CACHE_SIZE) this.agents.clear();
      this.agents.set(encoded, decoded);
    }
    return decoded;
  }

  private isDash(s: string, slot: number): boolean {
    return this.ends[slot]! - this.starts[slot]! === 1 && s.charCodeAt(this.starts[slot]!) === 45;
  }

  /** Unsigned integer of a field; 0 for `-` or a missing field; -1 when invalid. */
  private uintField(s: string, slot: number): number {
    if (this.starts[slot]! < 0 || this.isDash(s, slot)) return 0;
    return parseUint(s, this.starts[slot]!, this.ends[slot]!);
  }

  private text(s: string, slot: number): string {
    if (this.starts[slot]! < 0 || this.isDash(s, slot)) return '';
    return s.substring(this.starts[slot]!, this.ends[slot]!);
  }
}
