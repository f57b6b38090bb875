/**
 * Inline SVG charts for the HTML report, drawn by hand so the page needs no script or external
 * resource. Colours come from CSS classes, so the page's light/dark theme and print styles
 * apply. Every chart carries a <title> and <desc> for screen readers.
 */
import type { DistributionSummary, StatusClass } from '@logflow/shared-types';
import { escapeHtml } from './escape.js';
import { formatClock, formatCompact, formatDuration, formatInt, formatMs, formatPercent } from './format.js';
import type { ChartSeries, StatusClassRow } from './view.js';
import { peakBucket } from './view.js';

const NICE_STEPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** Rounds a maximum up to a round multiple of a power of ten (1, 1.2, 1.5, 2, … 10); at least 1. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const f = value / power;
  const nice = NICE_STEPS.find((step) => f <= step + 1e-9) ?? 10;
  return Math.max(1, nice * power);
}

/** Number of grid divisions: whole-number steps on count axes wherever the maximum allows. */
function divisions(max: number, preferred: number): number {
  if (!Number.isInteger(max)) return preferred;
  if (max <= preferred) return max;
  return [preferred, 5, 4, 2, 3].find((d) => Number.isInteger(max / d)) ?? preferred;
}

const isoMinute = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

const r = (v: number): string => (Math.round(v * 10) / 10).toString();

function svgOpen(
  id: string,
  width: number,
  height: number,
  chart: string,
  title: string,
  desc: string,
): string {
  return (
    `<svg class="chart chart-${chart}" id="${id}" data-chart="${chart}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(desc)}</desc>`
  );
}

const X_TICK_SECONDS = [300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/** Requests (top panel) and 5xx responses (bottom panel) per bucket over the day. */
export function timelineChart(series: ChartSeries, id = 'chart-timeline'): string {
  const width = 960;
  const left = 56;
  const right = 24;
  const plotW = width - left - right;
  const reqTop = 12;
  const reqH = 170;
  const errTop = reqTop + reqH + 34;
  const errH = 64;
  const axisY = errTop + errH;
  const height = axisY + 26;
  const span = series.endMs - series.startMs;
  const xOf = (ms: number): number => left + ((ms - series.startMs) / span) * plotW;
  const slot = plotW / series.buckets.length;
  const gap = slot >= 4 ? 1 : 0;

  const maxReq = niceMax(Math.max(0, ...series.buckets.map((b) => b.requests)));
  const maxErr = niceMax(Math.max(0, ...series.buckets.map((b) => b.errors5xx)));
  const totalReq = series.buckets.reduce((s, b) => s + b.requests, 0);
  const totalErr = series.buckets.reduce((s, b) => s + b.errors5xx, 0);
  const peak = peakBucket(series);
  const per = formatDuration(series.bucketSeconds);
  const desc =
    `${formatInt(totalReq)} requests and ${formatInt(totalErr)} 5xx responses per ${per}, ` +
    `${isoMinute(series.startMs)} to ${isoMinute(series.endMs)} UTC` +
    (peak
      ? `; busiest ${per} starts ${formatClock(peak.startMs)} UTC with ${formatInt(peak.requests)} requests.`
      : '.');

  const out: string[] = [
    svgOpen(id, width, height, 'timeline', `Requests and 5xx responses per ${per} (UTC)`, desc),
    `<g class="grid" aria-hidden="true">`,
  ];
  const gridFor = (top: number, h: number, max: number, n: number, label: string): void => {
    for (let i = 0; i <= n; i++) {
      const v = (max * i) / n;
      const y = top + h - (h * i) / n;
      out.push(`<line x1="${left}" x2="${width - right}" y1="${r(y)}" y2="${r(y)}"/>`);
      out.push(
        `<text class="tick" x="${left - 6}" y="${r(y + 4)}" text-anchor="end">${formatCompact(v)}</text>`,
      );
    }
    out.push(`<text class="panel-label" x="${left + 4}" y="${top - 3}">${label}</text>`);
  };
  gridFor(reqTop + 2, reqH - 2, maxReq, divisions(maxReq, 4), `requests per ${per}`);
  gridFor(errTop, errH, maxErr, divisions(maxErr, 2), `5xx per ${per}`);
  out.push('</g>');

  // x axis ticks on round clock times
  const tickSeconds =
    X_TICK_SECONDS.find((s) => s >= series.bucketSeconds && span / (s * 1000) <= 12) ??
    X_TICK_SECONDS.at(-1)!;
  const tickMs = tickSeconds * 1000;
  const multiDay = span > 86_400_000;
  out.push(
    `<g class="axis" aria-hidden="true"><line x1="${left}" x2="${width - right}" y1="${axisY}" y2="${axisY}"/>`,
  );
  for (let t = Math.ceil(series.startMs / tickMs) * tickMs; t <= series.endMs; t += tickMs) {
    const x = xOf(t);
    const iso = new Date(t).toISOString();
    const label = multiDay && iso.slice(11, 16) === '00:00' ? iso.slice(5, 10) : formatClock(t);
    out.push(`<line x1="${r(x)}" x2="${r(x)}" y1="${axisY}" y2="${axisY + 4}"/>`);
    out.push(`<text class="tick" x="${r(x)}" y="${axisY + 17}" text-anchor="middle">${label}</text>`);
  }
  out.push('</g>');

  const bars = (key: 'requests' | 'errors5xx', top: number, h: number, max: number, cls: string): void => {
    out.push(`<g class="${cls}">`);
    for (const b of series.buckets) {
      const v = b[key];
      if (v <= 0) continue;
      const bh = Math.max(1, (v / max) * h);
      out.push(
        `<rect x="${r(xOf(b.startMs) + gap / 2)}" y="${r(top + h - bh)}" width="${r(Math.max(0.6, slot - gap))}" ` +
          `height="${r(bh)}" data-start="${new Date(b.startMs).toISOString()}" data-value="${v}"/>`,
      );
    }
    out.push('</g>');
  };
  bars('requests', reqTop + 2, reqH - 2, maxReq, 'bars bars-requests');
  bars('errors5xx', errTop, errH, maxErr, 'bars bars-5xx');

  // one hover target per bucket spanning both panels, carrying the exact figures
  out.push('<g class="hits">');
  for (const b of series.buckets) {
    const end = b.startMs + series.bucketSeconds * 1000;
    out.push(
      `<rect x="${r(xOf(b.startMs))}" y="${reqTop}" width="${r(slot)}" height="${axisY - reqTop}">` +
        `<title>${formatClock(b.startMs)}–${formatClock(end)} UTC: ${formatInt(b.requests)} requests, ` +
        `${formatInt(b.errors5xx)} 5xx</title></rect>`,
    );
  }
  out.push('</g></svg>');
  return out.join('');
}

/** Horizontal bars of the status classes with counts and shares. */
export function statusClassChart(rows: StatusClassRow[], total: number, id = 'chart-status'): string {
  const width = 480;
  const rowH = 30;
  const labelW = 44;
  const valueW = 150;
  const barW = width - labelW - valueW;
  const height = rows.length * rowH + 6;
  const max = Math.max(1, ...rows.map((row) => row.count));
  const desc = rows.map((row) => `${row.statusClass}: ${formatInt(row.count)}`).join(', ');
  const out = [svgOpen(id, width, height, 'status', 'Responses by status class', `${desc}.`)];
  rows.forEach((row, i) => {
    const y = 3 + i * rowH;
    const w = row.count > 0 ? Math.max(2, (row.count / max) * barW) : 0;
    out.push(
      `<g class="row s-${row.statusClass as StatusClass}" data-class="${row.statusClass}" data-value="${row.count}">` +
        `<text class="label" x="0" y="${y + 19}">${row.statusClass}</text>` +
        `<rect class="track" x="${labelW}" y="${y + 5}" width="${barW}" height="${rowH - 10}" rx="3"/>` +
        (w > 0
          ? `<rect class="bar" x="${labelW}" y="${y + 5}" width="${r(w)}" height="${rowH - 10}" rx="3"/>`
          : '') +
        `<text class="value" x="${width}" y="${y + 19}" text-anchor="end">${formatInt(row.count)} · ` +
        `${formatPercent(row.count, total)}</text></g>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

/** Latency percentiles as horizontal bars on a shared linear scale up to p99. */
export function latencyChart(latency: DistributionSummary, id = 'chart-latency'): string {
  const rows: [string, number][] = [
    ['p50', latency.p50],
    ['p90', latency.p90],
    ['p95', latency.p95],
    ['p99', latency.p99],
  ];
  const width = 480;
  const rowH = 30;
  const labelW = 44;
  const valueW = 96;
  const barW = width - labelW - valueW;
  const axisY = rows.length * rowH + 6;
  const height = axisY + 22;
  const max = niceMax(Math.max(...rows.map(([, v]) => v)));
  const desc =
    rows.map(([name, v]) => `${name} ${formatMs(v)}`).join(', ') +
    `; maximum ${formatMs(latency.max)} over ${formatInt(latency.count)} requests.`;
  const out = [svgOpen(id, width, height, 'latency', 'Request latency percentiles', desc)];
  out.push('<g class="grid" aria-hidden="true">');
  for (let i = 0; i <= 4; i++) {
    const x = labelW + (barW * i) / 4;
    out.push(`<line x1="${r(x)}" x2="${r(x)}" y1="3" y2="${axisY}"/>`);
    out.push(
      `<text class="tick" x="${r(x)}" y="${axisY + 16}" text-anchor="middle">${formatMs((max * i) / 4)}</text>`,
    );
  }
  out.push('</g>');
  rows.forEach(([name, v], i) => {
    const y = 3 + i * rowH;
    const w = v > 0 ? Math.max(2, (v / max) * barW) : 0;
    out.push(
      `<g class="row q-${name}" data-quantile="${name}" data-value="${v}">` +
        `<text class="label" x="0" y="${y + 19}">${name}</text>` +
        (w > 0
          ? `<rect class="bar" x="${labelW}" y="${y + 5}" width="${r(w)}" height="${rowH - 10}" rx="3"/>`
          : '') +
        `<text class="value" x="${width}" y="${y + 19}" text-anchor="end">${formatMs(v)}</text></g>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}
