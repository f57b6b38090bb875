/**
 * Streams one log file into a `FileSummary`: open (gzip sniffing) → split lines → detect the
 * format on the first lines → parse each line into a reused record → summarise. Memory stays
 * bounded by a read chunk, one line and the summary's sketches, whatever the file size; a line
 * that does not parse is counted and sampled, never fatal.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { FileRef, FileSummary, FormatChoice, FormatOptions } from '@logflow/shared-types';
import { DETECTION_SAMPLE_LINES, detectFormat, isCommentLine, sampleMedianMs } from './detect.js';
import { LogFileReadError, UnknownFormatError, UnrecognizedLogFormatError } from './errors.js';
import type { JsonFieldMapping, LineParser } from './formats/index.js';
import { createParser, formatStringParser, presetNamed } from './formats/index.js';
import { emptyRecord, type LogRecord } from './record.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, type LineSink } from './stream/lines.js';
import { openSource } from './stream/source.js';
import { SummaryBuilder, type TimeWindow } from './summary/builder.js';

export interface AnalyzeOptions extends FormatOptions {
  /** The analysed object; `gzip` is detected from the content and overwritten. */
  file: Omit<FileRef, 'gzip'> & { gzip?: boolean };
  /** JSON field names for the `jsonl` format (defaults cover the usual names). */
  jsonFields?: JsonFieldMapping;
  /** Lines longer than this many bytes are counted as malformed without being assembled. */
  maxLineBytes?: number;
  /**
   * Requests dated outside this window count as `outOfRange` (kept in the totals, left off the
   * timeline). Default: a year either side of the median time of the sampled lines.
   */
  timeWindow?: TimeWindow;
}

/** Default distance from the sample's median time beyond which a request is out of range. */
export const DEFAULT_OUT_OF_RANGE_MS = 365 * 86_400_000;

/** Read size for local files. */
const FILE_READ_BYTES = 1024 * 1024;
/** Detection stops waiting for sample lines after this many characters (blank and comment lines included). */
const DETECTION_MAX_CHARS = 1024 * 1024;

/** Analyses a byte stream (plain or gzip) into the summary of one file. */
export async function analyzeStream(input: Readable, options: AnalyzeOptions): Promise<FileSummary> {
  try {
    const source = await openSource(input, options.file.key);
    const analysis = new Analysis(options, { ...options.file, gzip: source.gzip });
    const splitter = new LineSplitter(analysis, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    for await (const chunk of source.chunks) splitter.push(chunk);
    splitter.end();
    for (const warning of source.warnings ?? []) analysis.warn(warning);
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

/** How the file's parser is chosen: from the options, or by detection on the first lines. */
function givenParser(options: AnalyzeOptions): LineParser | null {
  const parserOptions = {
    jsonFields: options.jsonFields,
    clientFromForwardedFor: options.clientFromForwardedFor,
  };
  if (options.logFormat !== undefined) return formatStringParser('nginx', options.logFormat, parserOptions);
  if (options.apacheFormat !== undefined)
    return formatStringParser('apache', options.apacheFormat, parserOptions);
  if (options.format !== undefined) {
    if (presetNamed(options.format) === undefined) throw new UnknownFormatError(options.format);
    return createParser(options.format, parserOptions);
  }
  if (options.jsonFields !== undefined) return createParser('jsonl', parserOptions);
  return null;
}

/** The per-file state: detection buffer, parser, reused record and summary builder. */
class Analysis implements LineSink {
  private parser: LineParser | null = null;
  private builder: SummaryBuilder | null = null;
  private readonly record: LogRecord = emptyRecord();
  private pending: Pending[] = [];
  /** Blank and comment lines met before the format was chosen (not held). */
  private pendingSkipped = 0;
  private pendingDataLines = 0;
  private pendingChars = 0;
  private readonly given: LineParser | null;

  constructor(
    private readonly options: AnalyzeOptions,
    private readonly file: FileRef,
  ) {
    this.given = givenParser(options);
  }

  line(text: string, start: number, end: number, line: number): void {
    const parser = this.parser;
    if (parser === null) {
      this.hold(text, start, end, line);
      return;
    }
    const builder = this.builder!;
    if (isBlank(text, start, end)) builder.addSkipped();
    else if (parser.parse(text, start, end, this.record)) builder.add(this.record);
    else if (isCommentLine(text, start, end)) {
      parser.header?.(text, start, end);
      builder.addSkipped();
    } else builder.addMalformed(line, text.substring(start, end), parser.reason);
  }

  overlong(line: number, head: string, bytes: number): void {
    if (this.builder === null) {
      this.pending.push({ line, overlong: bytes, text: head });
      this.pendingChars += head.length;
      return;
    }
    this.builder.addMalformed(line, head, `line longer than ${this.maxLineBytes} bytes (${bytes} bytes)`);
  }

  /** A warning from the byte source (e.g. trailing garbage after gzip data). */
  warn(text: string): void {
    if (this.builder === null) this.start();
    this.builder!.addWarning(text);
  }

  private get maxLineBytes(): number {
    return this.options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  private hold(text: string, start: number, end: number, line: number): void {
    this.pendingChars += end - start + 1;
    if (isBlank(text, start, end)) this.pendingSkipped++;
    else if (isCommentLine(text, start, end)) {
      // Only a header that sets the layout needs replaying; other comments are just counted.
      if (text.startsWith('#Fields:', start)) this.pending.push({ line, text: text.substring(start, end) });
      else this.pendingSkipped++;
    } else {
      this.pending.push({ line, text: text.substring(start, end) });
      this.pendingDataLines++;
    }
    if (this.pendingDataLines >= DETECTION_SAMPLE_LINES || this.pendingChars >= DETECTION_MAX_CHARS)
      this.start();
  }

  /** Chooses the parser (given or detected), then replays the held lines through it. */
  private start(): void {
    const sample = this.pending.filter((entry) => !('overlong' in entry)).map((entry) => entry.text);
    let parser = this.given;
    let formatChoice: FormatChoice;
    let medianMs: number;
    if (parser !== null) {
      formatChoice = { by: 'given', sampled: 0, confidence: 1 };
      medianMs = sampleMedianMs(this.freshGiven(), sample);
    } else {
      const detection = detectFormat(sample, {
        jsonFields: this.options.jsonFields,
        clientFromForwardedFor: this.options.clientFromForwardedFor,
      });
      if (detection.format === null) {
        const held = this.pending.filter((entry) => !('overlong' in entry));
        const offending = held[detection.offending];
        throw new UnrecognizedLogFormatError(
          this.file.key,
          offending?.line ?? 0,
          offending?.text,
          detection.candidates,
          detection.sampled,
        );
      }
      parser = createParser(detection.format, {
        jsonFields: this.options.jsonFields,
        clientFromForwardedFor: this.options.clientFromForwardedFor,
      });
      formatChoice = {
        by: 'detected',
        sampled: detection.sampled,
        confidence: round3(detection.confidence),
        ...(detection.runnerUp
          ? {
              runnerUp: {
                format: detection.runnerUp.format,
                confidence: round3(detection.runnerUp.confidence),
              },
            }
          : {}),
      };
      medianMs = detection.medianMs;
    }
    const timeWindow =
      this.options.timeWindow ??
      (medianMs === medianMs
        ? { fromMs: medianMs - DEFAULT_OUT_OF_RANGE_MS, toMs: medianMs + DEFAULT_OUT_OF_RANGE_MS }
        : undefined);
    this.parser = parser;
    this.builder = new SummaryBuilder({
      file: this.file,
      format: parser.format,
      formatChoice,
      ...(timeWindow ? { timeWindow } : {}),
    });
    for (let k = 0; k < this.pendingSkipped; k++) this.builder.addSkipped();
    const pending = this.pending;
    this.pending = [];
    for (const entry of pending) {
      if ('overlong' in entry) this.overlong(entry.line, entry.text, entry.overlong);
      else this.line(entry.text, 0, entry.text.length, entry.line);
    }
  }

  /** A second parser of the given format, for the sample's time reference (parsers keep state). */
  private freshGiven(): LineParser {
    return givenParser(this.options)!;
  }

  finish(): FileSummary {
    if (this.builder === null) this.start();
    return this.builder!.finish();
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
