import { describe, expect, it } from 'vitest';
import {
  buildDailySummary,
  canonicalFailures,
  DailySummaryBuilder,
  MERGE_BATCH_SIZE,
} from './daily-summary.js';
import { renderHtml } from './render/html.js';
import { renderJson } from './render/json.js';
import { renderMarkdown } from './render/markdown.js';
import { fileSummary, hourOfRequests } from './test-support/file-summaries.js';

const date = '2026-11-22';
const a = fileSummary('logs/2026/11/22/a.log', hourOfRequests('2026-11-22T08:00:00Z', 200), {
  bucket: 'in',
  malformed: [{ line: 3, text: '<b>oops</b>' }],
});
const b = fileSummary(
  'logs/2026/11/22/b.log',
  hourOfRequests('2026-11-22T20:00:00Z', 100, '/<script>x</script>'),
  {
    bucket: 'in',
  },
);

describe('buildDailySummary', () => {
  it('adds up the files and puts the headline at the top level', () => {
    const daily = buildDailySummary({ date, summaries: [a, b], failed: [] });
    expect(daily.version).toBe(1);
    expect(daily.date).toBe(date);
    expect(daily.requests).toBe(300);
    expect(daily.statusClass['5xx']).toBe(30);
    expect(daily.status).toEqual({ '200': 270, '503': 30 });
    expect(daily.lines).toEqual({ total: 301, parsed: 300, malformed: 1, skipped: 0 });
    expect(daily.timeRange?.first).toBe('2026-11-22T08:00:00.000Z');
    expect(daily.timeline?.requests.reduce((s, n) => s + n, 0)).toBe(300);
    expect(daily.topPaths.entries.map((e) => [e.value, e.count])).toEqual([
      ['/api', 200],
      ['/<script>x</script>', 100],
    ]);
    expect(daily.malformedSamples).toEqual([
      { line: 3, text: '<b>oops</b>', reason: 'unrecognised line', file: expect.stringContaining('a.log') },
    ]);
    expect(daily.files).toEqual({
      analyzed: 2,
      failed: [],
      details: [
        {
          key: 'logs/2026/11/22/a.log',
          format: 'combined',
          requests: 200,
          bytes: 20000,
          malformed: 1,
          errors5xx: 20,
        },
        {
          key: 'logs/2026/11/22/b.log',
          format: 'combined',
          requests: 100,
          bytes: 10000,
          malformed: 0,
          errors5xx: 10,
        },
      ],
    });
  });

  it('gives byte-identical output whatever order the files and failures come in', () => {
    const failed = [
      { key: 'z.log', error: 'States.Timeout' },
      { key: 'c.log', error: 'UnrecognizedLogFormatError', cause: 'no format matched' },
    ];
    const one = buildDailySummary({ date, summaries: [a, b], failed });
    const two = buildDailySummary({ date, summaries: [b, a], failed: [...failed].reverse() });
    expect(renderJson(two)).toBe(renderJson(one));
    expect(renderMarkdown(two)).toBe(renderMarkdown(one));
    expect(renderHtml(two)).toBe(renderHtml(one));
    expect(one.files.failed.map((f) => f.key)).toEqual(['c.log', 'z.log']);
  });

  it('folds many files in batches to the same report as the builder fed in canonical order', () => {
    const many = Array.from({ length: MERGE_BATCH_SIZE * 2 + 5 }, (_, i) =>
      fileSummary(
        `logs/f-${String(i).padStart(3, '0')}.log`,
        hourOfRequests(`2026-11-22T${String(i % 24).padStart(2, '0')}:00:00Z`, 5, `/p${i % 7}`),
        {
          bucket: 'in',
        },
      ),
    );
    const shuffled = [...many].sort(
      (x, y) =>
        ((x.requests * 31 + x.file.key.length * 7) % 5) - ((y.requests * 31 + y.file.key.length * 7) % 5) ||
        (x.file.key < y.file.key ? 1 : -1),
    );
    const daily = buildDailySummary({ date, summaries: shuffled, failed: [] });
    expect(daily.requests).toBe(many.length * 5);
    expect(daily.files.analyzed).toBe(many.length);
    expect(daily.files.details.map((d) => d.key)).toEqual(many.map((s) => s.file.key));
    const builder = new DailySummaryBuilder(date);
    for (const s of many) builder.add(s);
    expect(renderJson(builder.finish([]))).toBe(renderJson(daily));
  });

  it('builds an empty day', () => {
    const daily = buildDailySummary({ date, summaries: [], failed: [] });
    expect(daily.requests).toBe(0);
    expect(daily.timeline).toBeNull();
    expect(daily.files).toEqual({ analyzed: 0, failed: [], details: [] });
    expect(renderHtml(daily)).toContain('No log file was analysed for this day.');
  });

  it('builds a day with only failures', () => {
    const daily = buildDailySummary({
      date,
      summaries: [],
      failed: [{ key: 'logs/x.log', error: 'LogObjectNotFoundError', cause: 'NoSuchKey' }],
    });
    expect(daily.files.failed).toEqual([
      { key: 'logs/x.log', error: 'LogObjectNotFoundError', cause: 'NoSuchKey' },
    ]);
    expect(renderMarkdown(daily)).toContain('## Failed files (1)');
  });

  it('rejects a malformed date', () => {
    expect(() => buildDailySummary({ date: '2026-13-45', summaries: [], failed: [] })).toThrow(
      /invalid date "2026-13-45"/,
    );
    expect(() => buildDailySummary({ date: '22/11/2026', summaries: [], failed: [] })).toThrow(
      /invalid date/,
    );
    expect(() => buildDailySummary({ date: '2026-02-30', summaries: [], failed: [] })).toThrow(
      /invalid date "2026-02-30"/,
    );
  });
});

describe('canonicalFailures', () => {
  it('keeps the message of a Lambda error cause and drops its stack trace', () => {
    const cause = JSON.stringify({
      errorType: 'E',
      errorMessage: 'x.log: bad',
      trace: ['E: bad', '    at /var/task/index.js:1:2'],
    });
    expect(canonicalFailures([{ key: 'x.log', error: 'E', cause }])).toEqual([
      { key: 'x.log', error: 'E', cause: 'x.log: bad' },
    ]);
  });

  it('keeps one failure per key, sorted, without undefined causes', () => {
    expect(
      canonicalFailures([
        { key: 'b', error: 'E2', cause: undefined },
        { key: 'a', error: 'E1', cause: 'x' },
        { key: 'b', error: 'E3' },
      ]),
    ).toEqual([
      { key: 'a', error: 'E1', cause: 'x' },
      { key: 'b', error: 'E2' },
    ]);
  });
});
