import { closingQuote, find } from './scan.js';

/**
 * Walks the space-separated fields of a line, where a field may be `"quoted"` (backslash
 * escapes allowed) or `[bracketed]`. After `next()` returns true the field's content (quotes
 * and brackets excluded) is `text[from, to)`. One instance is reused for every line.
 */
export class FieldCursor {
  text = '';
  from = 0;
  to = 0;
  private pos = 0;
  private end = 0;

  reset(text: string, start: number, end: number): void {
    this.text = text;
    this.pos = start;
    this.end = end;
  }

  /** Advances to the next field; false at the end of the line or on an unterminated field. */
  next(): boolean {
    const s = this.text;
    let i = this.pos;
    const end = this.end;
    while (i < end && s.charCodeAt(i) === 32) i++;
    if (i >= end) return false;
    const c = s.charCodeAt(i);
    if (c === 34) {
      const close = closingQuote(s, i + 1, end);
      if (close < 0) return false;
      this.from = i + 1;
      this.to = close;
      this.pos = close + 1;
      return true;
    }
    if (c === 91) {
      const close = find(s, 93, i + 1, end);
      if (close < 0) return false;
      this.from = i + 1;
      this.to = close;
      this.pos = close + 1;
      return true;
    }
    let j = find(s, 32, i, end);
    if (j < 0) j = end;
    this.from = i;
    this.to = j;
    this.pos = j;
    return true;
  }

  /** Advances over `count` fields; false if the line ends first. */
  skip(count: number): boolean {
    for (let k = 0; k < count; k++) if (!this.next()) return false;
    return true;
  }

  /** Whether the current field is exactly `-`. */
  isDash(): boolean {
    return this.to - this.from === 1 && this.text.charCodeAt(this.from) === 45;
  }
}
