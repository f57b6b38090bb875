import type { Command } from 'commander';
import { STATUS_CLASSES, type FileSummary } from '@logflow/shared-types';
import { formatBytes } from '../run/summary-table.js';
import { addFormatOptions, formatOptionsOf, type FormatCliOptions } from './format-options.js';

interface AnalyzeCliOptions extends FormatCliOptions {
  json?: boolean;
}

/** Top paths listed per file in the table. */
const TABLE_TOP_PATHS = 5;

export function registerAnalyze(program: Command): void {
  const command = program
    .command('analyze')
    .description(
      'Analyse local access-log files (plain or gzip, format detected) and print a summary table, or JSON with --json.',
    )
    .argument('<file...>', 'log files to analyse');
  addFormatOptions(command)
    .option(
      '--json',
      'print the FileSummary as JSON: one document for one file, one JSON line per file for several',
    )
    .action(async (files: string[], opts: AnalyzeCliOptions) => {
      process.exitCode = await analyzeFiles(files, opts);
    });
}

/**
 * Analyses each file in turn; a file that cannot be read or recognised gets a one-line error
 * on stderr and the others are still analysed. Returns the exit code.
 */
export async function analyzeFiles(
  files: string[],
  opts: AnalyzeCliOptions,
  out: (text: string) => void = (text) => process.stdout.write(text),
  err: (text: string) => void = (text) => process.stderr.write(text),
): Promise<number> {
  const { analyzeFile, printableExcerpt } = await import('@logflow/analyzer');
  // Only the table's few fields are kept per file, so memory does not grow with whole summaries.
  const rows: TableRow[] = [];
  let failed = 0;
  const format = formatOptionsOf(opts);
  for (const file of files) {
    try {
      const summary = await analyzeFile(file, format);
      if (opts.json)
        out(files.length === 1 ? `${JSON.stringify(summary, null, 2)}\n` : `${JSON.stringify(summary)}\n`);
      else rows.push(tableRow(summary));
    } catch (error) {
      failed++;
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      err(`logflow analyze: ${printableExcerpt(message, 400)}\n`);
    }
  }
  if (rows.length > 0) out(formatSummaryTable(rows, printableExcerpt));
  return failed > 0 ? 1 : 0;
}

const integer = new Intl.NumberFormat('en-US');

function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '-';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

/** What the table shows of one file. */
export type TableRow = Pick<
  FileSummary,
  'file' | 'format' | 'lines' | 'requests' | 'bytes' | 'statusClass'
> & {
  p50?: number;
  p99?: number;
  clients: number;
  topPaths: FileSummary['topPaths']['entries'];
};

export function tableRow(summary: FileSummary): TableRow {
  return {
    file: summary.file,
    format: summary.format,
    lines: summary.lines,
    requests: summary.requests,
    bytes: summary.bytes,
    statusClass: summary.statusClass,
    p50: summary.latencyMs?.p50,
    p99: summary.latencyMs?.p99,
    clients: summary.uniqueClients.estimate,
    topPaths: summary.topPaths.entries.slice(0, TABLE_TOP_PATHS),
  };
}

/**
 * The human-readable report: one row per file, then each file's top paths. Values taken from
 * logs (paths) are escaped so they cannot drive the terminal.
 */
export function formatSummaryTable(
  summaries: TableRow[],
  escape: (text: string, max?: number) => string,
): string {
  const header = [
    'file',
    'format',
    'lines',
    'malformed',
    'requests',
    'bytes',
    ...STATUS_CLASSES.slice(1),
    'p50',
    'p99',
    'clients',
  ];
  const rows = summaries.map((s) => [
    escape(s.file.key, 60) + (s.file.gzip ? ' (gz)' : ''),
    s.format,
    integer.format(s.lines.total),
    integer.format(s.lines.malformed),
    integer.format(s.requests),
    formatBytes(s.bytes),
    ...STATUS_CLASSES.slice(1).map((c) => integer.format(s.statusClass[c])),
    formatMs(s.p50),
    formatMs(s.p99),
    `~${integer.format(s.clients)}`,
  ]);
  const table = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const align = (row: string[]) =>
    row
      .map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  const lines = [align(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(align), ''];
  for (const s of summaries) {
    const top = s.topPaths;
    if (top.length === 0) continue;
    lines.push(`top paths of ${escape(s.file.key, 60)}:`);
    for (const entry of top) {
      lines.push(`  ${integer.format(entry.count).padStart(10)}  ${escape(entry.value, 100)}`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}
