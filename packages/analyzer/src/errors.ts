/**
 * Errors the analyzer raises for input it cannot read. Each names the file, sets `name` to
 * its class name (the Step Functions Catch matches on it) and never echoes raw control
 * characters from the log.
 */

const MAX_SHOWN_CHARS = 160;

/** Renders untrusted log text for a one-line message: control characters escaped, length capped. */
export function printableExcerpt(text: string, max = MAX_SHOWN_CHARS): string {
  let out = '';
  let shown = 0;
  for (const ch of text) {
    if (shown >= max) return `${out}… (${text.length} chars)`;
    const code = ch.codePointAt(0) ?? 0;
    if (code === 0x5c) out += '\\\\';
    else if (code === 0x0a) out += '\\n';
    else if (code === 0x0d) out += '\\r';
    else if (code === 0x09) out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029) {
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    } else out += ch;
    shown++;
  }
  return out;
}

/** A format that parsed some of the sampled lines of a file it was not chosen for. */
export interface FormatCandidate {
  format: string;
  parsed: number;
}

/**
 * The content of a file matches none of the supported log formats well enough: no format
 * parsed at least half of the sampled data lines.
 */
export class UnrecognizedLogFormatError extends Error {
  override readonly name = 'UnrecognizedLogFormatError';
  /** 1-based line number of the sample line shown; 0 when the file has no lines. */
  readonly line: number;
  /** The best two formats and how many sampled lines each parsed (may be empty). */
  readonly candidates: readonly FormatCandidate[];

  constructor(
    readonly file: string,
    line: number,
    text: string | undefined,
    candidates: readonly FormatCandidate[] = [],
    sampled = 0,
  ) {
    const best =
      candidates.length === 0
        ? ''
        : `; best candidates: ${candidates.map((c) => `${c.format} (${c.parsed} of ${sampled} sampled lines)`).join(', ')}`;
    super(
      text === undefined
        ? `${file}: unrecognised log format: the file has no log lines to detect a format from`
        : `${file}: unrecognised log format (line ${line}: "${printableExcerpt(text)}")${best}`,
    );
    this.line = line;
    this.candidates = candidates.map((c) => ({ format: c.format, parsed: c.parsed }));
  }
}

/** A format name that is no preset (`--format`, the workflow's `format` field). */
export class UnknownFormatError extends Error {
  override readonly name = 'UnknownFormatError';

  constructor(readonly format: string) {
    super(`unknown log format "${format}" (\`logflow formats\` lists them)`);
  }
}

/** A gzip stream (detected by its magic bytes) that does not inflate. */
export class CorruptGzipError extends Error {
  override readonly name = 'CorruptGzipError';

  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`${file}: corrupt gzip data (${cause instanceof Error ? cause.message : String(cause)})`, {
      cause,
    });
  }
}

/** A local log file that cannot be opened or read. */
export class LogFileReadError extends Error {
  override readonly name = 'LogFileReadError';

  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const code = (cause as { code?: unknown } | null)?.code;
    const detail = typeof code === 'string' ? code : cause instanceof Error ? cause.message : String(cause);
    super(`${file}: cannot read the file (${detail})`, { cause });
  }
}
