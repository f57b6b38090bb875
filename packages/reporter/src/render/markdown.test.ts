import { describe, expect, it } from 'vitest';
import { busyDay, emptyDay, HOSTILE, onlyFailuresDay } from '../test-support/fixtures.js';
import { renderMarkdown } from './markdown.js';

/** Lines of the GFM table that starts under `heading`. */
function tableUnder(md: string, heading: string): string[] {
  const lines = md.split('\n');
  const start = lines.indexOf(heading);
  expect(start, `heading ${heading}`).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line);
  }
  return rows;
}

/** Cells of a GFM table row, honouring `\|` escapes. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

describe('renderMarkdown', () => {
  const md = renderMarkdown(busyDay());

  it('opens with the day and its health', () => {
    expect(
      md.startsWith('# logflow daily report: 2026-11-22\n\n🔴 **1 file failed · 9 malformed lines**'),
    ).toBe(true);
  });

  it('has the headline table with exact figures', () => {
    const day = busyDay();
    expect(md).toContain(`| Requests | ${day.requests.toLocaleString('en-US')} |`);
    expect(md).toContain('| Files failed | 1 |');
    expect(md).toContain('| p50 | p90 | p95 | p99 | max |');
    expect(md).toContain('| 38.2 ms | 122 ms | 190 ms | 513 ms | 4.81 s |');
  });

  it('lists status classes, top paths with error bounds, failed files and malformed lines', () => {
    expect(
      tableUnder(md, '## Status')
        .slice(2)
        .map((r) => cells(r)[0]),
    ).toEqual(['1xx', '2xx', '3xx', '4xx', '5xx']);
    const paths = tableUnder(md, '## Top paths').slice(2);
    expect(cells(paths[0]!)).toEqual(['1', '`/api/v1/orders`', '61,234', '38.1%']);
    expect(cells(paths[3]!)[2]).toBe('15,010–15,022');
    expect(md).toContain('## Failed files (1)');
    expect(md).toContain('## Malformed lines (9)');
  });

  it('keeps hostile log strings inside code spans, one table cell each', () => {
    for (const value of [HOSTILE.path, HOSTILE.pathImg, HOSTILE.userAgent, HOSTILE.client]) {
      expect(md).toContain(`\`${value}\``);
    }
    const paths = tableUnder(md, '## Top paths').slice(2);
    const markdownRow = paths.find((r) => r.includes('evil.example'))!;
    expect(cells(markdownRow)).toHaveLength(4);
    expect(cells(markdownRow)[1]).toBe('``/docs/*bold*_x_\\|pipe\\|`tick`[link](http://evil.example)``');
    // the escape character of the malformed line is neutralised
    expect(md).not.toContain('\u001b');
    // every table row keeps the column count of its header
    for (const heading of ['## Top paths', '## Top clients', '## Top user agents', '## Failed files (1)']) {
      const rows = tableUnder(md, heading);
      const width = cells(rows[0]!).length;
      for (const row of rows) expect(cells(row), row).toHaveLength(width);
    }
  });

  it('renders an empty day without tables of nothing', () => {
    const empty = renderMarkdown(emptyDay());
    expect(empty).toContain('🟡 **no log files**');
    expect(empty).toContain('| Requests | 0 |');
    expect(empty).toContain('_These log formats record no request latency._');
    expect(empty).not.toContain('## Top paths');
    expect(empty).not.toContain('## Status');
  });

  it('renders a day on which every file failed', () => {
    const failed = renderMarkdown(onlyFailuresDay());
    expect(failed).toContain('🔴 **2 files failed**');
    expect(tableUnder(failed, '## Failed files (2)')).toHaveLength(4);
    expect(failed).toContain('| `logs/2026/11/24/a.log` | `LogObjectNotFoundError` | `NoSuchKey` |');
  });

  it('is deterministic', () => {
    expect(renderMarkdown(busyDay())).toBe(md);
  });
});
