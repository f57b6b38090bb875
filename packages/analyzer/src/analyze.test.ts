import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { LOG_FORMATS } from '@logflow/shared-types';
import { describe, expect, it } from 'vitest';
import { analyzeFile, analyzeStream } from './analyze.js';
import { CorruptGzipError, LogFileReadError, UnrecognizedLogFormatError } from './errors.js';
import { fixturePath } from './formats/parse-fixture.js';

const COMBINED = readFileSync(fixturePath('nginx-combined.log'));
const dir = mkdtempSync(join(tmpdir(), 'logflow-analyze-'));

function write(name: string, content: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const streamOf = (...chunks: (Buffer | string)[]) => Readable.from(chunks.map((c) => Buffer.from(c)));

describe('analyzeStream / analyzeFile', () => {
  it('summarises a plain file with detected format, line counts and no gzip', async () => {
    const summary = await analyzeFile(fixturePath('nginx-combined.log'));
    expect(summary).toMatchObject({
      format: 'nginx-timed',
      formatChoice: {
        by: 'detected',
        sampled: 5,
        confidence: 1,
        runnerUp: { format: 'combined', confidence: 1 },
      },
      file: { key: fixturePath('nginx-combined.log'), gzip: false, size: COMBINED.length },
      lines: { total: 5, parsed: 5, malformed: 0, skipped: 0 },
      requests: 5,
      bytes: 5120 + 87 + 153 + 157,
    });
    expect(summary.status).toEqual({ '200': 1, '201': 1, '404': 1, '400': 1, '502': 1 });
  });

  it.each([
    ['alb.log', 'alb', 5, 0],
    ['cloudfront.log', 'cloudfront', 3, 2],
    ['s3.log', 's3', 3, 0],
    ['app.jsonl', 'jsonl', 3, 0],
    ['apache-common.log', 'common', 3, 0],
  ])('summarises %s as %s', async (name, format, parsed, skipped) => {
    const summary = await analyzeFile(fixturePath(name));
    expect(summary.format).toBe(format);
    expect(summary.lines).toMatchObject({ parsed, skipped, malformed: 0 });
  });

  it('detects gzip by magic bytes, whatever the name, including multi-member files', async () => {
    const member = gzipSync(COMBINED);
    const path = write('no-extension', Buffer.concat([member, member, member]));
    const summary = await analyzeFile(path);
    expect(summary.file.gzip).toBe(true);
    expect(summary.lines.parsed).toBe(15);
  });

  it('reads gzip whose magic bytes arrive in separate chunks', async () => {
    const gz = gzipSync(COMBINED);
    const summary = await analyzeStream(streamOf(gz.subarray(0, 1), gz.subarray(1, 5), gz.subarray(5)), {
      file: { key: 'split.gz' },
    });
    expect(summary).toMatchObject({ file: { key: 'split.gz', gzip: true }, requests: 5 });
  });

  it('raises CorruptGzipError naming the file for truncated or damaged gzip', async () => {
    const gz = gzipSync(Buffer.concat(Array.from({ length: 50 }, () => COMBINED)));
    const truncated = write('truncated.log.gz', gz.subarray(0, gz.length >> 1));
    await expect(analyzeFile(truncated)).rejects.toThrow(CorruptGzipError);
    await expect(analyzeFile(truncated)).rejects.toThrow(`${truncated}: corrupt gzip data`);
    const damaged = Buffer.from(gz);
    damaged.fill(0x55, 20, 60);
    const error = await analyzeFile(write('damaged.gz', damaged)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptGzipError);
    expect((error as Error).name).toBe('CorruptGzipError');
  });

  it('passes on a read error of the input as it is, plain or gzip (not as corrupt data)', async () => {
    const gz = gzipSync(Buffer.concat(Array.from({ length: 200 }, () => COMBINED)));
    for (const data of [gz, Buffer.concat(Array.from({ length: 200 }, () => COMBINED))]) {
      async function* failing() {
        yield data.subarray(0, data.length >> 1);
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      }
      const error = await analyzeStream(Readable.from(failing()), { file: { key: 'reset.log' } }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ message: 'socket hang up', code: 'ECONNRESET' });
    }
  });

  it('raises UnrecognizedLogFormatError naming the file and showing the first line, escaped and truncated', async () => {
    const text = `\n\x1b[31mhello\x07 <b>world</b>${'!'.repeat(500)}\nsecond line\n`;
    const error = await analyzeStream(streamOf(text), { file: { key: 'notes.txt' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnrecognizedLogFormatError);
    const message = (error as Error).message;
    expect((error as Error).name).toBe('UnrecognizedLogFormatError');
    expect(message).toMatch(
      /^notes\.txt: unrecognised log format \(line 2: "\\x1b\[31mhello\\x07 <b>world<\/b>!+… \(\d+ chars\)"\)$/,
    );
    expect(message).not.toMatch(/[\x00-\x1f]/);
    expect((error as UnrecognizedLogFormatError).line).toBe(2);
  });

  it('stops reading the input when the format is unrecognised', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield Buffer.from('this is not a log line at all\n'.repeat(100));
      }
    }
    const input = Readable.from(endless());
    await expect(analyzeStream(input, { file: { key: 'endless.txt' } })).rejects.toThrow(
      UnrecognizedLogFormatError,
    );
    expect(input.destroyed).toBe(true);
    expect(pulled).toBeLessThan(100);
  });

  it('fails an empty file as unrecognised, unless a format is forced', async () => {
    await expect(analyzeStream(streamOf(''), { file: { key: 'empty.log' } })).rejects.toThrow(
      'empty.log: unrecognised log format: the file has no log lines',
    );
    const summary = await analyzeStream(streamOf('\n\n'), { file: { key: 'empty.log' }, format: 'combined' });
    expect(summary.lines).toMatchObject({ total: 2, skipped: 2, parsed: 0 });
  });

  it('uses a forced format and counts lines of other formats as malformed', async () => {
    const summary = await analyzeStream(streamOf(COMBINED), { file: { key: 'x' }, format: 'alb' });
    expect(summary.format).toBe('alb');
    expect(summary.lines).toMatchObject({ total: 5, malformed: 5, parsed: 0 });
    expect(summary.malformedSamples[0]).toMatchObject({
      line: 1,
      reason: expect.stringMatching(/request type/),
    });
  });

  it('raises LogFileReadError for a missing file or a directory', async () => {
    await expect(analyzeFile(join(dir, 'missing.log'))).rejects.toThrow(LogFileReadError);
    await expect(analyzeFile(join(dir, 'missing.log'))).rejects.toThrow(
      /missing\.log: cannot read the file \(ENOENT\)/,
    );
    await expect(analyzeFile(dir)).rejects.toThrow(LogFileReadError);
  });

  it('counts malformed, hostile and blank lines without stopping, with CRLF and no final newline', async () => {
    const good = COMBINED.toString().trimEnd().split('\n');
    const input = [
      good[0],
      '',
      '<script>alert(document.cookie)</script>',
      good[1],
      '   ',
      '\x00\x01\x02 binary \x7f',
      good[2],
      `${'A'.repeat(1024 * 1024)}`,
      good[3],
    ].join('\r\n');
    const summary = await analyzeStream(streamOf(input), { file: { key: 'mixed.log' } });
    expect(summary.lines).toEqual({ total: 9, parsed: 4, malformed: 3, skipped: 2 });
    expect(summary.malformedSamples.map((s) => [s.line, s.reason])).toEqual([
      [3, 'expected " - " after $remote_addr'],
      [6, 'expected " - " after $remote_addr'],
      [8, 'line longer than 65536 bytes (1048576 bytes)'],
    ]);
    expect(summary.malformedSamples[2]!.text.length).toBeLessThanOrEqual(1024);
    expect(summary.requests).toBe(4);
  });

  it('accounts for every line of arbitrary bytes in any forced format, without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2000 }),
        fc.constantFrom(...LOG_FORMATS.filter((f) => !f.endsWith('-format'))),
        fc.integer({ min: 1, max: 300 }),
        async (bytes, format, chunkSize) => {
          const data = Buffer.from(bytes);
          if (data[0] === 0x1f && data[1] === 0x8b) return; // gzip magic: a different path
          const chunks: Buffer[] = [];
          for (let i = 0; i < data.length; i += chunkSize) chunks.push(data.subarray(i, i + chunkSize));
          const summary = await analyzeStream(Readable.from(chunks), {
            file: { key: 'fuzz' },
            format,
            maxLineBytes: 256,
          });
          let expected = data.length === 0 ? 0 : data.toString('latin1').split('\n').length;
          if (data.length > 0 && data[data.length - 1] === 0x0a) expected--;
          expect(summary.lines.total).toBe(expected);
          expect(summary.lines.parsed + summary.lines.malformed + summary.lines.skipped).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('parses lines with invalid UTF-8, replacing the bad bytes with U+FFFD', async () => {
    const line = Buffer.concat([
      Buffer.from('192.0.2.1 - - [22/Nov/2026:10:00:00 +0000] "GET /caf'),
      Buffer.from([0xe9]),
      Buffer.from(' HTTP/1.1" 200 5 "-" "bot'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"\n'),
    ]);
    const summary = await analyzeStream(streamOf(line, line), { file: { key: 'latin1.log' } });
    expect(summary.lines).toMatchObject({ parsed: 2, malformed: 0 });
    expect(summary.topPaths.entries[0]!.value).toBe('/caf\ufffd');
    expect(summary.topUserAgents.entries[0]!.value).toBe('bot\ufffd\ufffd');
  });

  it('streams a large input in bounded memory, never holding a 64 MiB line or the whole input', async () => {
    const goodLine = Buffer.from(COMBINED.toString().split('\n')[0]! + '\n');
    const goodChunk = Buffer.concat(
      Array.from({ length: Math.floor(65536 / goodLine.length) }, () => goodLine),
    );
    const junkChunk = Buffer.alloc(65536, 0x61);
    const goodChunks = 1200;
    const junkChunks = 1024;
    let peak = 0;
    const before = process.memoryUsage();
    const baseline = before.heapUsed + before.arrayBuffers;
    async function* input() {
      // The same chunk objects are yielded again and again: only what the analyzer keeps grows memory.
      for (let i = 0; i < goodChunks; i++) yield goodChunk;
      for (let i = 0; i < junkChunks; i++) yield junkChunk;
      yield Buffer.from('\n');
      for (let i = 0; i < goodChunks; i++) {
        if (i % 64 === 0) {
          const m = process.memoryUsage();
          peak = Math.max(peak, m.heapUsed + m.arrayBuffers - baseline);
        }
        yield goodChunk;
      }
    }
    const summary = await analyzeStream(Readable.from(input()), { file: { key: 'big.log' } });
    const linesPerChunk = goodChunk.length / goodLine.length;
    expect(summary.lines).toEqual({
      total: 2 * goodChunks * linesPerChunk + 1,
      parsed: 2 * goodChunks * linesPerChunk,
      malformed: 1,
      skipped: 0,
    });
    expect(summary.malformedSamples[0]!.reason).toBe(
      `line longer than 65536 bytes (${junkChunks * 65536} bytes)`,
    );
    // 64 MiB of junk line and ~150 MiB in all went through; the analyzer held far less.
    expect(peak).toBeLessThan(48 * 1024 * 1024);
  }, 60_000);
});
