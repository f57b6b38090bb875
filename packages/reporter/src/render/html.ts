/**
 * The daily report as one self-contained HTML page: inline CSS and SVG only, no script, font,
 * image or request. A Content-Security-Policy pins the one stylesheet by hash, so even if a log
 * string escaped its escaping, the browser would refuse to run or fetch anything.
 */
import { createHash } from 'node:crypto';
import type { DailySummary, TopK } from '@logflow/shared-types';
import { latencyChart, statusClassChart, timelineChart } from './charts.js';
import { describeCause } from '../cause.js';
import { escapeHtml, truncate } from './escape.js';
import {
  formatBytes,
  formatClock,
  formatDecimal,
  formatDuration,
  formatInt,
  formatMs,
  formatPercent,
  formatTimestamp,
} from './format.js';
import { REPORT_CSS } from './html-style.js';
import {
  dayHealth,
  errorRate,
  methodRows,
  rebucketTimeline,
  statusClassRows,
  statusCodeRows,
  topEntryBounds,
} from './view.js';

/** Rows shown in a table before the rest is left to summary.json. */
const MAX_TABLE_ROWS = 500;
/** Heavy hitters shown before the rest folds away. */
const TOP_ROWS_SHOWN = 15;
/** Status codes and methods listed. */
const MAX_CODE_ROWS = 10;

const e = escapeHtml;

/** Nothing may load or run; the one stylesheet is admitted by its hash. */
const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(REPORT_CSS, 'utf8').digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function renderHtml(daily: DailySummary): string {
  const { health, reasons } = dayHealth(daily);
  const healthText = health === 'ok' ? 'Healthy' : reasons.join(' · ');

  const hasRequests = daily.requests > 0;
  const sections: { id: string; label: string; html: string }[] = [];
  if (daily.files.failed.length > 0) {
    sections.push({ id: 'failed', label: 'Failed files', html: failedSection(daily) });
  }
  if (hasRequests) {
    sections.push(
      { id: 'traffic', label: 'Traffic', html: trafficSection(daily) },
      {
        id: 'status',
        label: 'Status',
        html: `<div class="cols">${statusSection(daily)}${latencySection(daily)}</div>`,
      },
      // drawn in the row above, next to the status section
      { id: 'latency', label: 'Latency', html: '' },
      {
        id: 'paths',
        label: 'Paths',
        html: topSection('paths', 'Top paths', 'Path', daily.topPaths, daily.requests, 160),
      },
      {
        id: 'clients',
        label: 'Clients',
        html: topSection(
          'clients',
          'Top clients',
          'Client',
          daily.topClients,
          daily.requests,
          80,
          uniqueClientsNote(daily),
        ),
      },
      {
        id: 'agents',
        label: 'User agents',
        html: topSection('agents', 'Top user agents', 'User agent', daily.topUserAgents, daily.requests, 200),
      },
    );
  } else {
    sections.push({
      id: 'traffic',
      label: 'Traffic',
      html: section('traffic', 'Traffic', empty('No requests were analysed for this day.')),
    });
  }
  sections.push({ id: 'files', label: 'Files', html: filesSection(daily) });
  if (daily.lines.malformed > 0) {
    sections.push({ id: 'malformed', label: 'Malformed', html: malformedSection(daily) });
  }
  const nav = sections.map((x) => `<a href="#${x.id}">${x.label}</a>`).join('');

  const body = [
    header(daily, health, healthText, nav),
    '<main>',
    kpis(daily),
    ...sections.map((x) => x.html).filter(Boolean),
    '</main>',
    footer(daily),
  ].join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="logflow">
<title>logflow daily report · ${e(daily.date)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function header(daily: DailySummary, health: string, healthText: string, nav: string): string {
  const failed = daily.files.failed.length;
  const range = daily.timeRange
    ? `requests from ${e(formatTimestamp(daily.timeRange.first))} to ${e(formatTimestamp(daily.timeRange.last))}`
    : 'no timestamped requests';
  return `<header class="masthead">
<div class="top-inner">
<p class="brand"><span class="logo" aria-hidden="true"></span>logflow · daily access-log report</p>
<h1><time datetime="${e(daily.date)}">${e(daily.date)}</time></h1>
<p class="meta">${formatInt(daily.files.analyzed)} file${daily.files.analyzed === 1 ? '' : 's'} analysed${
    failed > 0 ? `, <a href="#failed">${formatInt(failed)} failed</a>` : ''
  } · ${range}</p>
<p class="health health-${health}" role="status"><span class="dot" aria-hidden="true"></span>${e(healthText)}</p>
</div>
<nav aria-label="Sections">${nav}</nav>
</header>`;
}

function kpi(label: string, value: string, sub: string, tone = ''): string {
  return `<div class="kpi${tone ? ` kpi-${tone}` : ''}"><p class="kpi-label">${label}</p><p class="kpi-value">${value}</p><p class="kpi-sub">${sub}</p></div>`;
}

function kpis(daily: DailySummary): string {
  const e5 = daily.statusClass['5xx'] ?? 0;
  const e4 = daily.statusClass['4xx'] ?? 0;
  const rate = errorRate(daily);
  const failed = daily.files.failed.length;
  const lat = daily.latencyMs;
  const clients = daily.uniqueClients;
  return `<section class="kpis" aria-label="Headline figures">
${kpi('Requests', formatInt(daily.requests), `${formatBytes(daily.bytes)} sent`)}
${kpi('5xx errors', formatInt(e5), `${formatPercent(e5, daily.requests)} of requests`, rate >= 0.05 ? 'bad' : rate >= 0.01 ? 'warn' : '')}
${kpi('4xx responses', formatInt(e4), `${formatPercent(e4, daily.requests)} of requests`)}
${
  lat
    ? kpi('p99 latency', formatMs(lat.p99), `p50 ${formatMs(lat.p50)} · p90 ${formatMs(lat.p90)}`)
    : kpi('p99 latency', '–', 'not in these log formats')
}
${kpi('Unique clients', `≈ ${formatInt(clients.estimate)}`, `±${formatDecimal(clients.relativeStandardError * 100, 1)}% (1σ)`)}
${kpi('Files', failed > 0 ? `${formatInt(daily.files.analyzed)} of ${formatInt(daily.files.analyzed + failed)}` : formatInt(daily.files.analyzed), failed > 0 ? `analysed; ${formatInt(failed)} failed` : 'analysed, none failed', failed > 0 ? 'bad' : '')}
${kpi('Malformed lines', formatInt(daily.lines.malformed), `${formatPercent(daily.lines.malformed, daily.lines.total)} of ${formatInt(daily.lines.total)} lines`, daily.lines.malformed > 0 ? 'warn' : '')}
</section>`;
}

function section(id: string, title: string, content: string, extraClass = ''): string {
  return `<section class="card${extraClass ? ` ${extraClass}` : ''}" id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2>\n${content}\n</section>`;
}

function empty(text: string): string {
  return `<p class="empty">${text}</p>`;
}

function trafficSection(daily: DailySummary): string {
  const series = daily.timeline ? rebucketTimeline(daily.timeline) : null;
  if (!series || daily.requests === 0) {
    return section('traffic', 'Traffic', empty('No timestamped requests this day.'));
  }
  const hourly = daily.timeline ? rebucketTimeline(daily.timeline, 30) : null;
  const rows = (hourly?.buckets ?? [])
    .map(
      (b) =>
        `<tr><td>${formatClock(b.startMs)}</td><td class="num">${formatInt(b.requests)}</td><td class="num">${formatInt(b.errors5xx)}</td><td class="num">${formatPercent(b.errors5xx, b.requests)}</td></tr>`,
    )
    .join('');
  const per = hourly ? formatDuration(hourly.bucketSeconds) : '';
  return section(
    'traffic',
    'Traffic',
    `<figure class="chart-wrap wide">${timelineChart(series)}<figcaption>Requests (blue) and 5xx responses (red) per ${formatDuration(series.bucketSeconds)}, UTC. Hover a bar for its figures.</figcaption></figure>
<details><summary>Figures per ${per}</summary><div class="table-wrap"><table class="data"><thead><tr><th scope="col">From (UTC)</th><th scope="col" class="num">Requests</th><th scope="col" class="num">5xx</th><th scope="col" class="num">5xx rate</th></tr></thead><tbody>${rows}</tbody></table></div></details>`,
  );
}

function statusSection(daily: DailySummary): string {
  const codes = statusCodeRows(daily);
  const methods = methodRows(daily);
  const content =
    daily.requests === 0
      ? empty('No requests.')
      : `<figure class="chart-wrap">${statusClassChart(statusClassRows(daily), daily.requests)}</figure>
<div class="split">
<div class="table-wrap"><table class="data compact"><caption>Status codes</caption><thead><tr><th scope="col">Code</th><th scope="col" class="num">Requests</th><th scope="col" class="num">Share</th></tr></thead><tbody>${codes
          .slice(0, MAX_CODE_ROWS)
          .map(
            (c) =>
              `<tr><td><span class="code s-${e(statusClassOf(c.code))}">${e(c.code)}</span></td><td class="num">${formatInt(c.count)}</td><td class="num">${formatPercent(c.count, daily.requests)}</td></tr>`,
          )
          .join('')}</tbody></table></div>
<div class="table-wrap"><table class="data compact"><caption>Methods</caption><thead><tr><th scope="col">Method</th><th scope="col" class="num">Requests</th><th scope="col" class="num">Share</th></tr></thead><tbody>${methods
          .slice(0, MAX_CODE_ROWS)
          .map(
            (m) =>
              `<tr><td class="mono">${e(truncate(m.method, 24))}</td><td class="num">${formatInt(m.count)}</td><td class="num">${formatPercent(m.count, daily.requests)}</td></tr>`,
          )
          .join('')}</tbody></table></div>
</div>`;
  return section('status', 'Status', content);
}

function statusClassOf(code: string): string {
  return /^[1-5]\d\d$/.test(code) ? `${code[0]}xx` : 'other';
}

function latencySection(daily: DailySummary): string {
  const lat = daily.latencyMs;
  if (!lat || lat.count === 0) {
    return section('latency', 'Latency', empty('These log formats record no request latency.'));
  }
  const mean = lat.count > 0 ? lat.sum / lat.count : 0;
  const cells: [string, string][] = [
    ['min', formatMs(lat.min)],
    ['mean', formatMs(mean)],
    ['max', formatMs(lat.max)],
    ['samples', formatInt(lat.count)],
  ];
  return section(
    'latency',
    'Latency',
    `<figure class="chart-wrap">${latencyChart(lat)}</figure>
<dl class="stats">${cells.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>
<p class="note">${formatInt(lat.count)} requests with a latency. Percentiles come from a mergeable sketch, accurate to ±${formatDecimal(lat.relativeAccuracy * 100, 2)}% of the value.</p>`,
  );
}

function uniqueClientsNote(daily: DailySummary): string {
  const u = daily.uniqueClients;
  return `About ${formatInt(u.estimate)} unique clients (estimate, ±${formatDecimal(u.relativeStandardError * 100, 1)}% standard error).`;
}

function shareBar(part: number, whole: number): string {
  const w = whole > 0 ? Math.min(100, (part / whole) * 100) : 0;
  return `<svg class="share" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true"><rect class="share-track" width="100" height="6" rx="2"/><rect class="share-bar" width="${formatDecimal(w, 2)}" height="6" rx="2"/></svg>`;
}

function topSection(
  id: string,
  title: string,
  column: string,
  top: TopK,
  requests: number,
  maxChars: number,
  note = '',
): string {
  if (top.entries.length === 0) return section(id, title, empty('No data.'));
  const approx = top.entries.some((x) => x.error > 0);
  const row = (entry: TopK['entries'][number], i: number): string => {
    const { low } = topEntryBounds(entry);
    const shown = truncate(entry.value, maxChars);
    const titleAttr = shown === entry.value ? '' : ` title="${e(entry.value)}"`;
    return `<tr><td class="rank">${i + 1}</td><td class="mono value"${titleAttr}>${e(shown)}</td><td class="num">${formatInt(entry.count)}${
      entry.error > 0
        ? `<span class="bound" title="true count between ${formatInt(low)} and ${formatInt(entry.count)}">≥ ${formatInt(low)}</span>`
        : ''
    }</td><td class="num share-cell">${formatPercent(entry.count, requests)}${shareBar(entry.count, requests)}</td></tr>`;
  };
  const head = `<thead><tr><th scope="col" class="rank">#</th><th scope="col">${column}</th><th scope="col" class="num">Requests</th><th scope="col" class="num">Share</th></tr></thead>`;
  const first = top.entries.slice(0, TOP_ROWS_SHOWN);
  const rest = top.entries.slice(TOP_ROWS_SHOWN);
  const table = (entries: TopK['entries'], offset: number): string =>
    `<div class="table-wrap"><table class="data top">${head}<tbody>${entries.map((x, i) => row(x, i + offset)).join('')}</tbody></table></div>`;
  const tables =
    table(first, 0) +
    (rest.length > 0
      ? `\n<details><summary>${formatInt(rest.length)} more ${column.toLowerCase()}s</summary>${table(rest, TOP_ROWS_SHOWN)}</details>`
      : '');
  const notes = [
    note,
    approx
      ? `Counts come from a heavy-hitter sketch keeping ${formatInt(top.capacity)} entries; where a lower bound is shown the true count lies between it and the count.`
      : `Counts are exact (sketch capacity ${formatInt(top.capacity)}).`,
  ]
    .filter(Boolean)
    .join(' ');
  return section(id, title, `${tables}\n<p class="note">${notes}</p>`);
}

function failedSection(daily: DailySummary): string {
  const failed = daily.files.failed;
  return `<section class="card callout bad" id="failed" aria-labelledby="failed-h"><h2 id="failed-h">${formatInt(failed.length)} file${failed.length === 1 ? '' : 's'} could not be analysed</h2>
<div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">File</th><th scope="col">Error</th><th scope="col">Cause</th></tr></thead><tbody>${failed
    .slice(0, MAX_TABLE_ROWS)
    .map(
      (f) =>
        `<tr><td class="mono value file" data-label="File">${e(truncate(f.key, 300))}</td><td class="mono value" data-label="Error">${e(truncate(f.state ? `${f.error} in ${f.state}` : f.error, 160))}</td><td class="value" data-label="Cause">${e(truncate(describeCause(f.cause), 500))}</td></tr>`,
    )
    .join('')}</tbody></table></div>${more(failed.length)}
<p class="note">These files are missing from every figure in this report. Fix the cause and run the day again.</p></section>`;
}

function filesSection(daily: DailySummary): string {
  const details = daily.files.details;
  if (details.length === 0) return section('files', 'Files', empty('No log file was analysed for this day.'));
  return section(
    'files',
    `Files analysed (${formatInt(details.length)})`,
    `<div class="table-wrap"><table class="data stack"><thead><tr><th scope="col">File</th><th scope="col">Format</th><th scope="col" class="num">Requests</th><th scope="col" class="num">5xx</th><th scope="col" class="num">Bytes</th><th scope="col" class="num">Malformed</th></tr></thead><tbody>${details
      .slice(0, MAX_TABLE_ROWS)
      .map(
        (d) =>
          `<tr><td class="mono value file" data-label="File">${e(truncate(d.key, 300))}</td><td data-label="Format">${e(d.format)}</td><td class="num" data-label="Requests">${formatInt(d.requests)}</td><td class="num" data-label="5xx">${formatInt(d.errors5xx)}</td><td class="num" data-label="Bytes">${formatBytes(d.bytes)}</td><td class="num${d.malformed > 0 ? ' warn' : ''}" data-label="Malformed">${formatInt(d.malformed)}</td></tr>`,
      )
      .join('')}</tbody></table></div>${more(details.length)}`,
  );
}

function more(count: number): string {
  return count > MAX_TABLE_ROWS
    ? `<p class="note">${formatInt(count - MAX_TABLE_ROWS)} more in summary.json.</p>`
    : '';
}

function malformedSection(daily: DailySummary): string {
  const samples = daily.malformedSamples;
  if (daily.lines.malformed === 0)
    return section('malformed', 'Malformed lines', empty('Every line parsed.'));
  const list = samples
    .map(
      (s) =>
        `<li><p class="where"><span class="mono">${e(truncate(s.file ?? '', 200))}</span>${s.file ? ':' : 'line '}${formatInt(s.line)} · <span class="reason">${e(truncate(s.reason, 200))}</span></p><pre><code>${e(s.text)}</code></pre></li>`,
    )
    .join('');
  return section(
    'malformed',
    'Malformed lines',
    `<p>${formatInt(daily.lines.malformed)} of ${formatInt(daily.lines.total)} lines did not parse (${formatPercent(daily.lines.malformed, daily.lines.total)}); they were counted and skipped. ${
      samples.length > 0 ? `The first ${formatInt(samples.length)}:` : ''
    }</p><ol class="samples">${list}</ol>`,
  );
}

function footer(daily: DailySummary): string {
  return `<footer><p>Generated by logflow from ${formatInt(daily.files.analyzed)} file summaries · report format v${daily.version} · all times UTC · ${formatInt(daily.lines.total)} lines read, ${formatInt(daily.lines.skipped)} blank or header lines skipped.</p></footer>`;
}
