/**
 * Streams one log file into a `FileSummary`: open (gzip sniffing) → split lines → detect the
 * format on the first lines → parse each line into a reused record → summarise. Memory stays
 * bounded by a read chunk, one line and the summary's sketches, whatever the file size; a line
 * that does not parse is counted and sampled, never fatal.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { FileRef, FileSummary, LogFormat } from '@logflow/shared-types';
import { DETECTION_SAMPLE_LINES, detectFormat } from './detect.js';
import { LogFileReadError, UnrecognizedLogFormatError } from './errors.js';
import type { JsonFieldMapping, LineParser } from './formats/index.js';
import { createParser } from './formats/index.js';
import { emptyRecord, type LogRecord } from './record.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, type LineSink } from './stream/lines.js';
import { openSource } from './stream/source.js';
import { SummaryBuilder } from './summary/builder.js';

export interface AnalyzeOptions {
  /** The analysed object; `gzip` is detected from the content and overwritten. */
  file: Omit<FileRef, 'gzip'> & { gzip?: boolean };
  /** Forces a format instead of detecting it. */
  format?: LogFormat;
  /** JSON field names for the `jsonl` format (defaults cover the usual names). */
  jsonFields?: JsonFieldMapping;
  /** Lines longer than this many bytes are counted as malformed without being assembled. */
  maxLineBytes?: number;
}

/** Read size for local files. */
const FILE_READ_BYTES = 1024 * 1024;
/** Detection gives up waiting for sample lines after this many lines (e.g. blank ones). */
const DETECTION_MAX_LINES = 1024;
/** … or after this many characters of them. */
const DETECTION_MAX_CHARS = 1024 * 1024;

/** Analyses a byte stream (plain or gzip) into the summary of one file. */
export async function analyzeStream(input: Readable, options: AnalyzeOptions): Promise<FileSummary> {
  try {
    const source = await openSource(input, options.file.key);
    const analysis = new Analysis(options, { ...options.file, gzip: source.gzip });
    const splitter = new LineSplitter(analysis, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    for await (const chunk of source.chunks) splitter.push(chunk);
    splitter.end();
    return analysis.finish();
  } catch (error) {
    // Stop reading (and release e.g. the HTTP connection of an S3 body) when the analysis fails early.
    input.destroy();
    throw error;
  }
}

/** Analyses a local file; `file.key` defaults to `path`. */
export async function analyzeFile(
  path: string,
  options: Omit<AnalyzeOptions, 'file'> & { file?: AnalyzeOptions['file'] } = {},
): Promise<FileSummary> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    size = info.size;
  } catch (error) {
    throw new LogFileReadError(path, error);
  }
  const input = createReadStream(path, { highWaterMark: FILE_READ_BYTES });
  try {
    return await analyzeStream(input, { ...options, file: options.file ?? { key: path, size } });
  } catch (error) {
    // Open/read failures of the file itself (EACCES, EISDIR, EIO …) carry a syscall.
    if (typeof (error as { syscall?: unknown } | null)?.syscall === 'string')
      throw new LogFileReadError(path, error);
    throw error;
  } finally {
    input.destroy();
  }
}

type Pending = { line: number; text: string } | { line: number; overlong: number; text: string };

/** The per-file state: detection buffer, parser, reused record and summary builder. */
class Analysis implements LineSink {
  private parser: LineParser | null = null;
  private builder: SummaryBuilder | null = null;
  private readonly record: LogRecord = emptyRecord();
  private pending: Pending[] = [];
  private pendingDataLines = 0;
  private pendingChars = 0;

  constructor(
    private readonly options: AnalyzeOptions,
    private readonly file: FileRef,
  ) {
    if (options.format !== undefined) this.start(options.format);
  }

  line(text: string, start: number, end: number, line: number): void {
    const parser = this.parser;
    if (parser === null) {
      this.hold({ line, text: text.substring(start, end) });
      return;
    }
    const builder = this.builder!;
    if (isBlank(text, start, end) || parser.header?.(text, start, end)) {
      builder.addSkipped();
    } else if (parser.parse(text, start, end, this.record)) {
      builder.add(this.record);
    } else {
      builder.addMalformed(line, text.substring(start, end), parser.reason);
    }
  }

  overlong(line: number, head: string, bytes: number): void {
    if (this.builder === null) {
      this.hold({ line, overlong: bytes, text: head });
      return;
    }
    this.builder.addMalformed(line, head, `line longer than ${this.maxLineBytes} bytes (${bytes} bytes)`);
  }

  private get maxLineBytes(): number {
    return this.options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  private hold(entry: Pending): void {
    this.pending.push(entry);
    this.pendingChars += entry.text.length;
    if (
      !('overlong' in entry) &&
      !isBlank(entry.text, 0, entry.text.length) &&
      entry.text.charCodeAt(0) !== 35
    ) {
      this.pendingDataLines++;
    }
    if (
      this.pendingDataLines >= DETECTION_SAMPLE_LINES ||
      this.pending.length >= DETECTION_MAX_LINES ||
      this.pendingChars >= DETECTION_MAX_CHARS
    ) {
      this.detect();
    }
  }

  private detect(): void {
    const sample = this.pending.filter((entry) => !('overlong' in entry));
    const detection = detectFormat(
      sample.map((entry) => entry.text),
      { jsonFields: this.options.jsonFields },
    );
    if (detection.format === null) {
      const offending = sample[detection.offending];
      throw new UnrecognizedLogFormatError(this.file.key, offending?.line ?? 0, offending?.text);
    }
    this.start(detection.format);
  }

  private start(format: LogFormat): void {
    this.parser = createParser(format, { jsonFields: this.options.jsonFields });
    this.builder = new SummaryBuilder({ file: this.file, format });
    const pending = this.pending;
    this.pending = [];
    for (const entry of pending) {
      if ('overlong' in entry) this.overlong(entry.line, entry.text, entry.overlong);
      else this.line(entry.text, 0, entry.text.length, entry.line);
    }
  }

  finish(): FileSummary {
    if (this.builder === null) this.detect();
    return this.builder!.finish();
  }
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
