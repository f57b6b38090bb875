/**
 * Splits a byte stream into lines without holding more than one read chunk plus one line.
 *
 * Lines are found on the bytes (a `\n` byte never occurs inside a multi-byte UTF-8 sequence).
 * Blocks of about 64 KiB whose bytes each decode to one UTF-16 unit (ASCII: nearly every
 * access log) are decoded in one call and their lines handed out as ranges of that string;
 * other blocks are decoded line by line. Values kept beyond the line must therefore be
 * detached (`detachString`) so they do not pin a block. Decoding is UTF-8 with replacement:
 * invalid bytes become U+FFFD and the line is still parsed. `\r\n` endings lose the `\r`; a last line without `\n` is still a line; a UTF-8 BOM
 * at the start is dropped.
 * A line longer than `maxLineBytes` is never assembled: its first KiB is kept for the sample,
 * the rest is skipped as it streams past, and the sink is told once the line ends.
 */

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

/** How much of an over-long line is kept to show in the malformed sample. */
const OVERLONG_HEAD_BYTES = 1024;

const NEWLINE = 0x0a;

/** Lines are decoded in blocks of about this many bytes (cut at a newline). */
const DECODE_BLOCK_BYTES = 64 * 1024;

export interface LineSink {
  /** A line `text[start, end)`, terminator removed; `line` is its 1-based number. */
  line(text: string, start: number, end: number, line: number): void;
  /** A line longer than the limit; `head` is its beginning, `bytes` its full length. */
  overlong(line: number, head: string, bytes: number): void;
}

/** Buffer's UTF-8 decoder without `toString`'s argument handling (replaces invalid bytes with U+FFFD). */
type Utf8Slicer = Buffer & { utf8Slice(start: number, end: number): string };

export class LineSplitter {
  private lineNumber = 0;
  /** Bytes of an incomplete line carried to the next chunk. */
  private carry: Buffer | null = null;
  /** Inside an over-long line: its head and the bytes seen so far. */
  private skipping: { head: string; bytes: number; lastByte: number } | null = null;
  /** Total bytes pushed (decompressed). */
  bytesIn = 0;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {}

  get lines(): number {
    return this.lineNumber;
  }

  push(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    let from = 0;
    if (this.skipping !== null) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline < 0) {
        this.skipping.bytes += chunk.length;
        if (chunk.length > 0) this.skipping.lastByte = chunk[chunk.length - 1]!;
        return;
      }
      // Like every other line, an over-long one is measured without its `\r\n`.
      const cr = (newline > 0 ? chunk[newline - 1] : this.skipping.lastByte) === 13;
      this.endOverlong(this.skipping.bytes + newline - (cr ? 1 : 0));
      from = newline + 1;
    }
    if (this.carry !== null) {
      // Complete the carried line with the head of this chunk; copy only that much.
      const newline = chunk.indexOf(NEWLINE, from);
      const carry = this.carry;
      this.carry = null;
      if (newline < 0) {
        this.keep(Buffer.concat([carry, chunk.subarray(from)]));
        return;
      }
      const line = Buffer.concat([carry, chunk.subarray(from, newline + 1)]);
      this.emitBlock(line, 0, line.length - 1);
      from = newline + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last < from) {
      this.keep(chunk.subarray(from));
      return;
    }
    this.emitBlock(chunk, from, last);
    this.keep(chunk.subarray(last + 1));
  }

  /** Flushes the last line (one without a final newline). */
  end(): void {
    if (this.skipping !== null) {
      this.endOverlong(this.skipping.bytes - (this.skipping.lastByte === 13 ? 1 : 0));
      return;
    }
    if (this.carry !== null) {
      const carry = this.carry;
      this.carry = null;
      this.emitBlock(carry, 0, carry.length);
    }
  }

  private keep(rest: Buffer): void {
    if (rest.length === 0) return;
    // One byte of slack: the line may still end in `\r\n`, which does not count.
    if (rest.length > this.maxLineBytes + 1) {
      this.skipping = {
        head: rest.toString('utf8', 0, OVERLONG_HEAD_BYTES),
        bytes: rest.length,
        lastByte: rest[rest.length - 1]!,
      };
      return;
    }
    // Copy so the (large) chunk the rest came from can be freed.
    this.carry = Buffer.from(rest);
  }

  private endOverlong(bytes: number): void {
    const head = this.skipping?.head ?? '';
    this.skipping = null;
    this.lineNumber++;
    this.sink.overlong(this.lineNumber, head, bytes);
  }

  /** Emits the lines of `buf[from, end)`; `end` is a newline position or the end of input. */
  private emitBlock(buf: Buffer, from: number, end: number): void {
    let start = from;
    while (start <= end) {
      let stop = end;
      if (end - start > DECODE_BLOCK_BYTES) {
        const newline = buf.indexOf(NEWLINE, start + DECODE_BLOCK_BYTES);
        if (newline >= 0 && newline < end) stop = newline;
      }
      if (!this.emitDecoded(buf, start, stop)) this.emitEach(buf, start, stop);
      start = stop + 1;
    }
  }

  /**
   * Decodes `buf[from, end)` in one call and emits its lines as ranges of that string. Only when
   * every byte became one UTF-16 unit (ASCII, or invalid single bytes), so that string offsets
   * are byte offsets for the line-length limit; false (nothing emitted) otherwise.
   */
  private emitDecoded(buf: Buffer, from: number, end: number): boolean {
    const text = (buf as Utf8Slicer).utf8Slice(from, end);
    if (text.length !== end - from) return false;
    const sink = this.sink;
    const max = this.maxLineBytes;
    const last = text.length;
    let start = 0;
    while (start <= last) {
      let newline = text.indexOf('\n', start);
      if (newline < 0) newline = last;
      let lineEnd = newline;
      if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
      this.lineNumber++;
      if (lineEnd - start > max) {
        sink.overlong(
          this.lineNumber,
          buf.toString('utf8', from + start, from + start + OVERLONG_HEAD_BYTES),
          lineEnd - start,
        );
      } else {
        sink.line(text, start, lineEnd, this.lineNumber);
      }
      start = newline + 1;
    }
    return true;
  }

  /** Emits the lines of `buf[from, end)` one decoded string each (blocks with multi-byte characters). */
  private emitEach(buf: Buffer, from: number, end: number): void {
    const sink = this.sink;
    const max = this.maxLineBytes;
    let start = from;
    while (start <= end) {
      let newline = buf.indexOf(NEWLINE, start);
      if (newline < 0 || newline > end) newline = end;
      let lineEnd = newline;
      if (lineEnd > start && buf[lineEnd - 1] === 13) lineEnd--;
      this.lineNumber++;
      if (
        this.lineNumber === 1 &&
        buf[start] === 0xef &&
        buf[start + 1] === 0xbb &&
        buf[start + 2] === 0xbf
      ) {
        start += 3;
      }
      if (lineEnd - start > max) {
        sink.overlong(
          this.lineNumber,
          buf.toString('utf8', start, start + OVERLONG_HEAD_BYTES),
          lineEnd - start,
        );
      } else {
        const text = (buf as Utf8Slicer).utf8Slice(start, lineEnd);
        sink.line(text, 0, text.length, this.lineNumber);
      }
      start = newline + 1;
    }
  }
}
