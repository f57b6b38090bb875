/**
 * The daily report as GitHub-flavoured Markdown, short enough for a pull request comment or a
 * chat message. Log-derived strings are rendered as code spans, so neither Markdown nor HTML in
 * them is interpreted.
 */
import type { DailySummary, TopK } from '@logflow/shared-types';
import { describeCause } from '../cause.js';
import { markdownCode, truncate } from './escape.js';
import { formatBytes, formatDecimal, formatInt, formatMs, formatPercent, formatTimestamp } from './format.js';
import { dayHealth, statusClassRows, statusCodeRows, topEntryBounds } from './view.js';

const MAX_TOP_ROWS = 10;
const MAX_FILE_ROWS = 50;

const HEALTH_ICON = { ok: '🟢', warn: '🟡', bad: '🔴' } as const;

export function renderMarkdown(daily: DailySummary): string {
  const out: string[] = [];
  const { health, reasons } = dayHealth(daily);
  const requests = daily.requests;
  const e5 = daily.statusClass['5xx'] ?? 0;
  const lat = daily.latencyMs;

  out.push(`# logflow daily report: ${daily.date}`, '');
  out.push(`${HEALTH_ICON[health]} **${health === 'ok' ? 'Healthy' : reasons.join(' · ')}**`, '');
  out.push(
    daily.timeRange
      ? `Requests from ${formatTimestamp(daily.timeRange.first)} to ${formatTimestamp(daily.timeRange.last)}.`
      : 'No timestamped requests.',
    '',
  );

  out.push('| Metric | Value |', '| --- | ---: |');
  out.push(`| Requests | ${formatInt(requests)} |`);
  out.push(`| Bytes sent | ${formatBytes(daily.bytes)} |`);
  out.push(`| 5xx errors | ${formatInt(e5)} (${formatPercent(e5, requests)}) |`);
  out.push(
    `| 4xx responses | ${formatInt(daily.statusClass['4xx'] ?? 0)} (${formatPercent(daily.statusClass['4xx'] ?? 0, requests)}) |`,
  );
  out.push(
    `| Unique clients | ≈ ${formatInt(daily.uniqueClients.estimate)} (±${formatDecimal(daily.uniqueClients.relativeStandardError * 100, 1)}%) |`,
  );
  out.push(`| Files analysed | ${formatInt(daily.files.analyzed)} |`);
  out.push(`| Files failed | ${formatInt(daily.files.failed.length)} |`);
  out.push(
    `| Malformed lines | ${formatInt(daily.lines.malformed)} of ${formatInt(daily.lines.total)} (${formatPercent(daily.lines.malformed, daily.lines.total)}) |`,
  );
  out.push('');

  if (requests > 0) {
    out.push('## Status', '', '| Class | Requests | Share |', '| --- | ---: | ---: |');
    for (const row of statusClassRows(daily)) {
      out.push(`| ${row.statusClass} | ${formatInt(row.count)} | ${formatPercent(row.count, requests)} |`);
    }
    out.push('');
    const codes = statusCodeRows(daily).slice(0, MAX_TOP_ROWS);
    out.push(
      `Top status codes: ${codes.map((c) => `${markdownCode(c.code)} ${formatInt(c.count)}`).join(', ')}`,
      '',
    );
  }

  out.push('## Latency', '');
  if (lat && lat.count > 0) {
    out.push('| p50 | p90 | p95 | p99 | max |', '| ---: | ---: | ---: | ---: | ---: |');
    out.push(
      `| ${formatMs(lat.p50)} | ${formatMs(lat.p90)} | ${formatMs(lat.p95)} | ${formatMs(lat.p99)} | ${formatMs(lat.max)} |`,
    );
    out.push(
      '',
      `_${formatInt(lat.count)} requests; percentiles accurate to ±${formatDecimal(lat.relativeAccuracy * 100, 2)}%._`,
      '',
    );
  } else {
    out.push('_These log formats record no request latency._', '');
  }

  topTable(out, 'Top paths', 'Path', daily.topPaths, requests, 120);
  topTable(out, 'Top clients', 'Client', daily.topClients, requests, 60);
  topTable(out, 'Top user agents', 'User agent', daily.topUserAgents, requests, 100);

  if (daily.files.failed.length > 0) {
    const failed = daily.files.failed;
    out.push(
      `## Failed files (${formatInt(failed.length)})`,
      '',
      '| File | Error | Cause |',
      '| --- | --- | --- |',
    );
    for (const f of failed.slice(0, MAX_FILE_ROWS)) {
      out.push(
        `| ${markdownCode(truncate(f.key, 200))} | ${markdownCode(truncate(f.state ? `${f.error} in ${f.state}` : f.error, 120))} | ${f.cause ? markdownCode(truncate(describeCause(f.cause), 200)) : ''} |`,
      );
    }
    if (failed.length > MAX_FILE_ROWS)
      out.push('', `_${formatInt(failed.length - MAX_FILE_ROWS)} more in summary.json._`);
    out.push('');
  }

  if (daily.lines.malformed > 0) {
    out.push(
      `## Malformed lines (${formatInt(daily.lines.malformed)})`,
      '',
      '| Where | Reason | Line |',
      '| --- | --- | --- |',
    );
    for (const s of daily.malformedSamples.slice(0, MAX_TOP_ROWS)) {
      const where = s.file ? `${markdownCode(truncate(s.file, 120))}:${s.line}` : `line ${s.line}`;
      out.push(
        `| ${where} | ${markdownCode(truncate(s.reason, 80))} | ${markdownCode(truncate(s.text, 160))} |`,
      );
    }
    out.push('');
  }

  out.push(`_logflow daily report v${daily.version} · all times UTC_`, '');
  return out.join('\n');
}

function topTable(
  out: string[],
  title: string,
  column: string,
  top: TopK,
  requests: number,
  max: number,
): void {
  if (top.entries.length === 0) return;
  const approx = top.entries.slice(0, MAX_TOP_ROWS).some((x) => x.error > 0);
  out.push(`## ${title}`, '', `| # | ${column} | Requests | Share |`, '| ---: | --- | ---: | ---: |');
  top.entries.slice(0, MAX_TOP_ROWS).forEach((entry, i) => {
    const { low } = topEntryBounds(entry);
    const count = entry.error > 0 ? `${formatInt(low)}–${formatInt(entry.count)}` : formatInt(entry.count);
    out.push(
      `| ${i + 1} | ${markdownCode(truncate(entry.value, max))} | ${count} | ${formatPercent(entry.count, requests)} |`,
    );
  });
  if (approx) out.push('', '_Ranges bound the true count (heavy-hitter sketch)._');
  out.push('');
}
