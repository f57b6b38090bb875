/**
 * Hostile and surprising values, each end to end through `analyzeStream`: the summary stays
 * finite, nothing is lost without being counted, and the classes add up.
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { FileSummary } from '@logflow/shared-types';
import { describe, expect, it } from 'vitest';
import { analyzeStream, type AnalyzeOptions } from './analyze.js';
import { UnknownFormatError, UnrecognizedLogFormatError } from './errors.js';
import { presetNamed } from './formats/presets.js';

const analyze = (text: string, options: Partial<AnalyzeOptions> = {}): Promise<FileSummary> =>
  analyzeStream(Readable.from([Buffer.from(text)]), { file: { key: 'hostile.log' }, ...options });

const line = (time: string, status = '200', bytes = '512') =>
  `192.0.2.1 - - [${time}] "GET /a HTTP/1.1" ${status} ${bytes} "-" "curl/8.5.0"`;
const day = (n: number) => line(`22/Nov/2026:10:00:${String(n % 60).padStart(2, '0')} +0000`);

/** Every number in the summary (outside the sketches) is finite: no NaN, Infinity or null count. */
function expectFinite(value: unknown, path = 'summary'): void {
  if (typeof value === 'number') expect(Number.isFinite(value), path).toBe(true);
  else if (Array.isArray(value)) value.forEach((v, i) => expectFinite(v, `${path}[${i}]`));
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) expectFinite(v, `${path}.${k}`);
}

const classTotal = (s: FileSummary) => Object.values(s.statusClass).reduce((a, b) => a + (b ?? 0), 0);

describe('hostile values', () => {
  it('counts JSON 1e400, "Infinity" and "0x1F4" as malformed lines, never as Infinity or null', async () => {
    const summary = await analyze(
      [
        '{"status":200,"path":"/a","bytes":100}',
        '{"status":200,"path":"/a","bytes":0}',
        '{"status":200,"path":"/a"}',
        '{"status":201,"path":"/b"}',
        '{"status":200,"path":"/a","bytes":1e400}',
        '{"status":200,"path":"/a","bytes":"Infinity"}',
        '{"status":"0x1F4","path":"/a","bytes":1}',
        '{"status":200,"path":"/a","request_time":1e400}',
      ].join('\n'),
    );
    expect(summary.format).toBe('jsonl');
    expect(summary.lines).toMatchObject({ parsed: 4, malformed: 4 });
    expect(summary.malformedSamples.map((s) => s.reason)).toEqual([
      'invalid bytes',
      'invalid bytes',
      'invalid status',
      'invalid latency',
    ]);
    expect(summary.bytes).toBe(100);
    expectFinite(summary);
    expect(JSON.stringify(summary)).not.toMatch(/"(bytes|requests|sum|max)":null/);
  });

  it('refuses dates that do not exist (30/Feb) instead of rolling them into March', async () => {
    const summary = await analyze([day(1), line('30/Feb/2026:10:00:00 +0000'), day(2)].join('\n'));
    expect(summary.lines).toMatchObject({ parsed: 2, malformed: 1 });
    expect(summary.malformedSamples[0]).toMatchObject({ line: 2, reason: 'invalid $time_local' });
  });

  it('counts a line dated far from the rest as out of range: in the totals, not in the timeline', async () => {
    const text = [
      day(1),
      day(2),
      line('22/Nov/9999:10:00:00 +0000'),
      day(3),
      line('01/Jan/1971:00:00:00 +0000'),
    ];
    const summary = await analyze(text.join('\n'));
    expect(summary.requests).toBe(5);
    expect(summary.outOfRange).toBe(2);
    expect(summary.timeRange).toEqual({
      first: '2026-11-22T10:00:01.000Z',
      last: '2026-11-22T10:00:03.000Z',
    });
    expect(summary.timeline).toMatchObject({ bucketSeconds: 60, requests: [3] });
  });

  it('takes the time window from the options (the workflow: a day either side of the run)', async () => {
    const summary = await analyze([day(1), line('25/Nov/2026:10:00:00 +0000')].join('\n'), {
      timeWindow: { fromMs: Date.UTC(2026, 10, 21), toMs: Date.UTC(2026, 10, 24) - 1 },
    });
    expect(summary.outOfRange).toBe(1);
    expect(summary.requests).toBe(2);
  });

  it('puts status 999, 0 and - in the other class so the classes add up to the requests', async () => {
    const summary = await analyze(
      [
        day(1),
        line('22/Nov/2026:10:00:00 +0000', '999'),
        line('22/Nov/2026:10:00:00 +0000', '-'),
        day(2),
      ].join('\n'),
    );
    expect(summary.statusClass).toMatchObject({ '2xx': 2, other: 2 });
    expect(classTotal(summary)).toBe(summary.requests);
    expect(summary.status).toMatchObject({ '999': 1, '-': 1 });
  });

  it('skips any number of leading comment lines and still detects the format', async () => {
    const comments = Array.from({ length: 5000 }, (_, i) => `# exported by tool ${i}`);
    const summary = await analyze([...comments, day(1), day(2)].join('\n'));
    expect(summary.format).toBe('combined');
    expect(summary.lines).toEqual({ total: 5002, parsed: 2, malformed: 0, skipped: 5000 });
  });

  it('skips any number of leading blank lines (detection is bounded by bytes, not lines)', async () => {
    const summary = await analyze(`${'\n'.repeat(5000)}${day(1)}\n${day(2)}\n`);
    expect(summary.format).toBe('combined');
    expect(summary.lines).toEqual({ total: 5002, parsed: 2, malformed: 0, skipped: 5000 });
  });

  it('fails a file whose best format parses less than half its lines, naming the best two and a line', async () => {
    const s3 = presetNamed('s3')!.example;
    const text = [day(1), s3, 'not a log', 'still not', 'nope', 'no'].join('\n');
    const error = (await analyze(text).catch((e: unknown) => e)) as UnrecognizedLogFormatError;
    expect(error).toBeInstanceOf(UnrecognizedLogFormatError);
    // Both parse one line; s3 reads more fields from its line, so it is named first.
    expect(error.candidates).toEqual([
      { format: 's3', parsed: 1 },
      { format: 'combined', parsed: 1 },
    ]);
    expect(error.message).toBe(
      `hostile.log: unrecognised log format (line 1: "${day(1)}"); ` +
        'best candidates: s3 (1 of 6 sampled lines), combined (1 of 6 sampled lines)',
    );
  });

  it('keeps the data before trailing garbage after the gzip members and says so in the summary', async () => {
    const member = gzipSync([day(1), day(2), day(3)].join('\n') + '\n');
    const data = Buffer.concat([member, member, Buffer.from('x')]);
    const summary = await analyzeStream(Readable.from([data]), { file: { key: 'tail.log.gz' } });
    expect(summary.requests).toBe(6);
    expect(summary.warnings).toEqual(['1 bytes after the last complete gzip member were ignored']);
  });

  it('refuses a format name that is no preset', async () => {
    await expect(analyze(day(1), { format: 'nginx' as never })).rejects.toThrow(UnknownFormatError);
  });

  it('reads with a given format string, and reports the choice as given', async () => {
    const summary = await analyze('192.0.2.1 [22/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 5 1500\n', {
      apacheFormat: '%h %t "%r" %>s %b %D',
    });
    expect(summary).toMatchObject({
      format: 'apache-format',
      formatChoice: { by: 'given', confidence: 1 },
      requests: 1,
    });
    expect(summary.latencyMs?.max).toBeCloseTo(1.5, 1);
  });
});
