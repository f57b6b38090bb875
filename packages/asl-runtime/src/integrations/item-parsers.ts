/**
 * Streaming parsers for the ItemReader input types of `s3:getObject`: a JSON array, JSON Lines
 * and CSV. Each yields items as the bytes arrive, so an object of any size is read with
 * memory bounded by its largest item.
 */
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { StatesError } from '../integrations.js';

export type TextSource = AsyncIterable<string | Uint8Array>;

function itemReaderFailed(cause: string): StatesError {
  return new StatesError('States.ItemReaderFailed', cause);
}

/**
 * Yields the elements of a top-level JSON array, splitting the text at depth-1 commas and
 * parsing each element on its own. `name` identifies the object in errors.
 */
export async function* readJsonArray(source: TextSource, name: string): AsyncGenerator<unknown> {
  const decoder = new TextDecoder('utf-8');
  let state: 'before' | 'inside' | 'after' = 'before';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = '';
  let index = 0;
  let first = true;

  const finishElement = (): unknown => {
    const text = element.trim();
    element = '';
    if (text === '') throw itemReaderFailed(`${name}: invalid JSON array: empty element at index ${index}`);
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw itemReaderFailed(`${name}: invalid JSON in array element ${index}: ${(error as Error).message}`);
    }
  };

  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    let start = 0;
    const ready: unknown[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (state === 'before') {
        if (c === 0x5b /* [ */) {
          state = 'inside';
          start = i + 1;
        } else if (!isJsonSpace(c)) {
          throw itemReaderFailed(
            `${name}: expected a JSON array, found ${JSON.stringify(text[i])} at the start`,
          );
        }
        continue;
      }
      if (state === 'after') {
        if (!isJsonSpace(c))
          throw itemReaderFailed(`${name}: unexpected ${JSON.stringify(text[i])} after the JSON array`);
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c /* \ */) escaped = true;
        else if (c === 0x22 /* " */) inString = false;
        continue;
      }
      if (c === 0x22) inString = true;
      else if (c === 0x5b || c === 0x7b) depth++;
      else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
      else if (c === 0x2c /* , */ && depth === 0) {
        element += text.slice(start, i);
        ready.push(finishElement());
        index++;
        start = i + 1;
      } else if (c === 0x5d /* ] */ && depth === 0) {
        element += text.slice(start, i);
        if (element.trim() !== '' || index > 0) {
          ready.push(finishElement());
          index++;
        }
        state = 'after';
      }
    }
    if (state === 'inside') element += text.slice(start);
    yield* ready;
  }
  if (state === 'before') throw itemReaderFailed(`${name}: expected a JSON array, the object is empty`);
  if (state === 'inside') throw itemReaderFailed(`${name}: invalid JSON array: unexpected end of input`);
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Yields the lines of a text stream (without `\n` / `\r\n`), decoding UTF-8 across chunk boundaries. */
export async function* splitLines(source: TextSource): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  for await (const chunk of source) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      const end = newline > start && text.charCodeAt(newline - 1) === 0x0d ? newline - 1 : newline;
      yield text.slice(start, end);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    rest = text.slice(start);
  }
  rest += decoder.decode();
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

/** Yields one parsed value per non-blank line; errors name the 1-based line. */
export async function* readJsonLines(source: TextSource, name: string): AsyncGenerator<unknown> {
  let line = 0;
  for await (const text of splitLines(source)) {
    line++;
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (trimmed === '') continue;
    try {
      yield JSON.parse(trimmed) as unknown;
    } catch (error) {
      throw itemReaderFailed(`${name}: invalid JSON on line ${line}: ${(error as Error).message}`);
    }
  }
}

/** Step Functions' `CSVDelimiter` names, and the characters they stand for. */
export const CSV_DELIMITERS: Record<string, string> = {
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  SPACE: ' ',
  TAB: '\t',
};

export interface CsvReaderOptions {
  /** `FIRST_ROW` (default) or `GIVEN`. */
  headerLocation?: string;
  /** Column names when `headerLocation` is `GIVEN`. */
  headers?: string[];
  /** A `CSVDelimiter` name (`COMMA`, `PIPE`, `SEMICOLON`, `SPACE`, `TAB`) or the character itself. */
  delimiter?: string;
}

/** Resolves a `CSVDelimiter` value to its character, or throws naming the value. */
export function csvDelimiter(value: string | undefined, name: string): string {
  if (value === undefined) return ',';
  const char = CSV_DELIMITERS[value] ?? (value.length === 1 ? value : undefined);
  if (!char) {
    throw itemReaderFailed(
      `${name}: unsupported CSVDelimiter "${value}"; use one of ${Object.keys(CSV_DELIMITERS).join(', ')}`,
    );
  }
  return char;
}

/**
 * Yields one object per CSV row, keyed by the header row (`FIRST_ROW`) or by the given headers
 * (`GIVEN`), every value a string. A row whose field count differs from the headers fails,
 * naming its line.
 */
export async function* readCsv(
  source: TextSource,
  name: string,
  options: CsvReaderOptions = {},
): AsyncGenerator<Record<string, string>> {
  const location = options.headerLocation ?? 'FIRST_ROW';
  if (location !== 'FIRST_ROW' && location !== 'GIVEN') {
    throw itemReaderFailed(`${name}: unsupported CSVHeaderLocation "${location}"; use FIRST_ROW or GIVEN`);
  }
  let headers: string[] | undefined;
  if (location === 'GIVEN') {
    if (
      !Array.isArray(options.headers) ||
      options.headers.length === 0 ||
      options.headers.some((h) => typeof h !== 'string')
    ) {
      throw itemReaderFailed(
        `${name}: CSVHeaderLocation GIVEN needs CSVHeaders, a non-empty array of strings`,
      );
    }
    headers = options.headers;
  }
  const parser = parseCsv({
    delimiter: csvDelimiter(options.delimiter, name),
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    info: true,
  });
  const input = Readable.from(source);
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (!headers) {
        headers = record;
        continue;
      }
      if (record.length !== headers.length) {
        throw itemReaderFailed(
          `${name}: CSV line ${info.lines} has ${record.length} fields, expected ${headers.length} (${headers.join(', ')})`,
        );
      }
      const item: Record<string, string> = {};
      headers.forEach((header, i) => (item[header] = record[i]!));
      yield item;
    }
  } catch (error) {
    if (error instanceof StatesError) throw error;
    throw itemReaderFailed(`${name}: invalid CSV: ${(error as Error).message}`);
  } finally {
    input.unpipe(parser);
    input.destroy();
    parser.destroy();
  }
}
