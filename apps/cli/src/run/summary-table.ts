/** The day's summary as terminal text: headline table, top paths, failed files, report paths. */
import { describeCause, formatInt, stripControl } from '@logflow/reporter';
import type { DailyRunResult } from './run-daily.js';

/** Log-derived text goes to a terminal: control characters replaced so a log line cannot drive it. */
export function terminalSafe(text: string, max = 80): string {
  const clean = stripControl(text);
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function table(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

const fmtMs = (n: number): string => (n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`);

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

/** What reached CloudWatch, and what was left out and why: never a silent gap in the metrics. */
export function formatMetricCounts(metrics: DailyRunResult['metrics']): string {
  const published = `${formatInt(metrics.datums)} datapoints published`;
  if (metrics.outsideWindow === 0) return published;
  return (
    `${published}, ${formatInt(metrics.outsideWindow)} left out: outside CloudWatch's window ` +
    '(timestamps older than two weeks or more than two hours ahead of the run)'
  );
}

export function formatRunSummary(result: DailyRunResult): string {
  const out: string[] = [];
  out.push(`\nlogflow daily run ${result.date}: ${result.status}`);
  if (result.error) out.push(`  ${result.error}: ${terminalSafe(describeCause(result.cause), 300)}`);
  const rows: [string, string][] = [
    [
      'files',
      `${result.files.total} total, ${result.files.analyzed} analyzed, ${result.files.failed} failed`,
    ],
  ];
  const daily = result.daily;
  if (daily) {
    const classes = Object.entries(daily.statusClass)
      .map(([cls, n]) => `${cls} ${formatInt(n)}`)
      .join(' · ');
    rows.push(
      ['requests', formatInt(daily.requests)],
      ['bytes sent', formatBytes(daily.bytes)],
      ['status', classes],
      ['lines', `${formatInt(daily.lines.total)} read, ${formatInt(daily.lines.malformed)} malformed`],
      ['unique clients', `≈ ${formatInt(daily.uniqueClients.estimate)}`],
    );
    if (daily.latencyMs) {
      const l = daily.latencyMs;
      rows.push([
        'latency',
        `p50 ${fmtMs(l.p50)} · p90 ${fmtMs(l.p90)} · p99 ${fmtMs(l.p99)} · max ${fmtMs(l.max)}`,
      ]);
    }
    if (daily.timeRange) rows.push(['time range', `${daily.timeRange.first} → ${daily.timeRange.last}`]);
  }
  rows.push(['metrics', formatMetricCounts(result.metrics)]);
  out.push(table(rows));
  if (daily && daily.topPaths.entries.length > 0) {
    out.push('\n  top paths');
    for (const entry of daily.topPaths.entries.slice(0, 5)) {
      out.push(`    ${formatInt(entry.count).padStart(10)}  ${terminalSafe(entry.value)}`);
    }
  }
  if (daily && daily.files.failed.length > 0) {
    out.push('\n  failed files');
    for (const failed of daily.files.failed) {
      out.push(
        `    ${terminalSafe(failed.key)}: ${failed.error}${failed.state ? ` in ${failed.state}` : ''}${failed.cause ? ` — ${terminalSafe(describeCause(failed.cause), 160)}` : ''}`,
      );
    }
  }
  if (result.report) {
    out.push('\n  report');
    out.push(
      table([
        ['html', result.report.html],
        ['markdown', result.report.md],
        ['json', result.report.json],
        ['lambda logs', result.lambdaLogFile],
      ]),
    );
  }
  return `${out.join('\n')}\n`;
}
