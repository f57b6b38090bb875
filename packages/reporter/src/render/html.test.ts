import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { busyDay, emptyDay, HOSTILE, onlyFailuresDay } from '../test-support/fixtures.js';
import { escapeHtml } from './escape.js';
import { renderHtml } from './html.js';

describe('renderHtml', () => {
  const html = renderHtml(busyDay());

  it('is one self-contained document under a strict CSP', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(csp).toContain(`'sha256-${hash}'`);
    // nothing to fetch: no script, link, img, iframe, url() or @import, links only to anchors
    expect(/<(script|link|img|iframe|object|embed|image|use)\b/i.exec(html)?.[0]).toBeUndefined();
    expect(/url\(|@import/.exec(html)?.[0]).toBeUndefined();
    expect(/\s(src|srcset|xlink:href)="/.exec(html)?.[0]).toBeUndefined();
    const hrefs = [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^#[a-z]+$/);
    expect(html.match(/<style>/g)).toHaveLength(1);
  });

  it('draws the timeline, status and latency charts with data', () => {
    for (const chart of ['timeline', 'status', 'latency']) expect(html).toContain(`data-chart="${chart}"`);
    const requestBars = /<g class="bars bars-requests">([\s\S]*?)<\/g>/.exec(html)?.[1] ?? '';
    const values = [...requestBars.matchAll(/data-value="(\d+)"/g)].map((m) => Number(m[1]));
    expect(values).toHaveLength(288);
    expect(values.reduce((a, b) => a + b, 0)).toBe(busyDay().requests);
    expect(html).toContain('to 2026-11-23 00:00 UTC; busiest 5 min starts 12:20 UTC');
    expect(html).toContain(
      '<title id="chart-timeline-title">Requests and 5xx responses per 5 min (UTC)</title>',
    );
    expect(html).toMatch(/<text class="tick"[^>]*>12:00<\/text>/);
    expect(html).toContain('data-quantile="p99" data-value="512.7"');
  });

  it('has the tables an SRE looks for', () => {
    for (const id of [
      'traffic',
      'status',
      'latency',
      'paths',
      'clients',
      'agents',
      'files',
      'malformed',
      'failed',
    ]) {
      expect(html).toContain(`id="${id}"`);
    }
    expect(html).toContain('<td class="mono value">/api/v1/orders</td><td class="num">61,234</td>');
    // heavy-hitter error bound
    expect(html).toContain('title="true count between 15,010 and 15,022">≥ 15,010</span>');
  });

  it('escapes every log-derived string', () => {
    for (const raw of Object.values(HOSTILE).filter((v) => /[<>&"']/.test(v))) {
      expect(html.includes(raw), raw).toBe(false);
      expect(html.includes(escapeHtml(raw).slice(0, 40)), raw).toBe(true);
    }
    expect(/<(svg|b|iframe)\s+on|<b>|onerror=alert\(\d\)>/.exec(html)?.[0]).toBeUndefined();
  });

  it('folds heavy hitters beyond the first fifteen into a details element', () => {
    const day = busyDay();
    day.topPaths.entries = Array.from({ length: 40 }, (_, i) => ({
      value: `/p/${i}`,
      count: 1000 - i,
      error: 0,
    }));
    const folded = renderHtml(day);
    const paths = /<section class="card" id="paths"[\s\S]*?<\/section>/.exec(folded)?.[0] ?? '';
    const [visible, hidden] = paths.split('<details>');
    expect(visible?.match(/<tr><td class="rank">/g)).toHaveLength(15);
    expect(hidden).toMatch(/^<summary>25 more paths<\/summary>/);
    expect(hidden?.match(/<tr><td class="rank">/g)).toHaveLength(25);
    expect(hidden).toContain('<td class="rank">40</td><td class="mono value">/p/39</td>');
  });

  it('renders an empty day', () => {
    const empty = renderHtml(emptyDay());
    expect(empty).toContain('No requests were analysed for this day.');
    expect(empty).toContain('No log file was analysed for this day.');
    expect(empty).not.toContain('data-chart=');
    expect(empty).not.toContain('id="paths"');
    expect(empty).toContain(
      '<nav aria-label="Sections"><a href="#traffic">Traffic</a><a href="#files">Files</a></nav>',
    );
  });

  it('puts failures first on a day with only failures', () => {
    const failed = renderHtml(onlyFailuresDay());
    expect(failed).toContain(
      'class="health health-bad" role="status"><span class="dot" aria-hidden="true"></span>2 files failed',
    );
    expect(failed).toContain('2 files could not be analysed');
    // failures come straight after the headline figures
    expect(failed.indexOf('id="failed"')).toBeLessThan(failed.indexOf('id="traffic"'));
    expect(failed).toContain('LogObjectNotFoundError');
  });

  it('is deterministic', () => {
    expect(renderHtml(busyDay())).toBe(html);
  });
});
