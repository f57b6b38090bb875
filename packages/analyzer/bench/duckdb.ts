/**
 * The analyzer beside DuckDB on the same file, in the same run: for each format a file of the
 * example log repeated to DUCKDB_BENCH_MB (default 20) MB; logflow computes its full summary
 * (`analyzeFile`), DuckDB on one thread computes count, status histogram and p99 latency with
 * its own readers (a regexp over each line for combined logs, `read_csv` for ALB and
 * CloudFront, `read_json` for JSON lines). Prints MB/s of each (best of DUCKDB_BENCH_RUNS,
 * default 2) and their ratio.
 *
 * DuckDB (`@duckdb/node-api`, MIT) is not a dependency of the workspace: the first run installs
 * it into ~/.cache/logflow-bench (LOGFLOW_BENCH_CACHE), outside the repository; when that is
 * not possible, or DUCKDB_BENCH=skip, the comparison is skipped and says so.
 *
 *   DUCKDB_BENCH_MB=20 node --import tsx bench/duckdb.ts
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { LogFormat } from '@logflow/shared-types';
import { analyzeFile } from '../src/index.js';
import { DATA_DIR } from './generate.js';

const DUCKDB_VERSION = '1.5.6-r.1';
const CACHE = process.env.LOGFLOW_BENCH_CACHE ?? join(homedir(), '.cache', 'logflow-bench');
const megabytes = Number(process.env.DUCKDB_BENCH_MB ?? 20);
const runs = Math.max(1, Number(process.env.DUCKDB_BENCH_RUNS ?? 2));

interface Case {
  label: string;
  format: LogFormat;
  example: string;
  /** Lines kept once at the top of the file (CloudFront's `#Version`/`#Fields`). */
  headerLines?: number;
  /** DuckDB's query of count, status histogram and p99 latency over `path`. */
  sql(path: string): string;
}

const aggregate = (from: string) =>
  `SELECT count(*) AS requests, histogram(status) AS statuses, quantile_disc(latency, 0.99) AS p99 FROM (${from})`;

const CASES: Case[] = [
  {
    label: 'combined',
    format: 'nginx-timed',
    example: 'nginx-access.log',
    sql: (path) =>
      aggregate(
        `SELECT regexp_extract(line, '" ([0-9]{3}) ', 1) AS status,
                TRY_CAST(regexp_extract(line, ' ([0-9.]+) [0-9.-]+$', 1) AS DOUBLE) AS latency
         FROM read_csv('${path}', columns = {'line': 'VARCHAR'}, header = false, delim = E'\\x01',
                       quote = '', escape = '', auto_detect = false)`,
      ),
  },
  {
    label: 'alb',
    format: 'alb',
    example: 'alb-access.log.gz',
    sql: (path) =>
      aggregate(
        `SELECT column08 AS status,
                TRY_CAST(column05 AS DOUBLE) + TRY_CAST(column06 AS DOUBLE) + TRY_CAST(column07 AS DOUBLE) AS latency
         FROM read_csv('${path}', delim = ' ', quote = '"', escape = '"', header = false,
                       all_varchar = true, null_padding = true)`,
      ),
  },
  {
    label: 'cloudfront',
    format: 'cloudfront',
    example: 'cloudfront-E2EXAMPLE.2026-11-22.log',
    headerLines: 2,
    sql: (path) =>
      aggregate(
        `SELECT column08 AS status, TRY_CAST(column18 AS DOUBLE) AS latency
         FROM read_csv('${path}', delim = '\\t', quote = '', escape = '', header = false, skip = 2,
                       all_varchar = true, null_padding = true)`,
      ),
  },
  {
    label: 'jsonl',
    format: 'jsonl',
    example: 'app-access.jsonl',
    sql: (path) =>
      aggregate(
        `SELECT status, request_time AS latency
         FROM read_json('${path}', format = 'newline_delimited',
                        columns = {'status': 'INTEGER', 'request_time': 'DOUBLE'}, ignore_errors = true)`,
      ),
  },
];

/** The example repeated to about `megabytes` MB (header lines once), reused when present. */
function benchFile(c: Case): string {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = join(DATA_DIR, `duckdb-${c.label}-${megabytes}mb.log`);
  if (existsSync(path)) return path;
  const raw = readFileSync(new URL(`../../../examples/logs/${c.example}`, import.meta.url));
  const text = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8');
  const lines = text.split('\n').filter((l) => l !== '');
  const header = lines.slice(0, c.headerLines ?? 0).join('\n');
  const body = `${lines.slice(c.headerLines ?? 0).join('\n')}\n`;
  const copies = Math.max(1, Math.round((megabytes * 1e6) / Buffer.byteLength(body)));
  writeFileSync(path, (header ? `${header}\n` : '') + body.repeat(copies));
  return path;
}

interface DuckDb {
  DuckDBInstance: {
    create(
      path: string,
      options: Record<string, string>,
    ): Promise<{
      connect(): Promise<{
        runAndReadAll(sql: string): Promise<{ getRowObjectsJson(): Record<string, unknown>[] }>;
        closeSync(): void;
      }>;
      closeSync(): void;
    }>;
  };
}

/** `@duckdb/node-api` from the cache folder, installed there on first use; null when unavailable. */
async function loadDuckDb(): Promise<DuckDb | null> {
  if (process.env.DUCKDB_BENCH === 'skip') {
    console.log('DuckDB comparison skipped (DUCKDB_BENCH=skip)');
    return null;
  }
  const manifest = join(CACHE, 'node_modules', '@duckdb', 'node-api', 'package.json');
  if (!existsSync(manifest)) {
    console.log(`installing @duckdb/node-api@${DUCKDB_VERSION} into ${CACHE} (outside the workspace) …`);
    try {
      mkdirSync(CACHE, { recursive: true });
      execFileSync(
        'npm',
        [
          'install',
          '--prefix',
          CACHE,
          '--no-save',
          '--no-audit',
          '--no-fund',
          `@duckdb/node-api@${DUCKDB_VERSION}`,
        ],
        { stdio: 'inherit' },
      );
    } catch (error) {
      console.log(
        `DuckDB comparison skipped: installing @duckdb/node-api failed (${(error as Error).message})`,
      );
      return null;
    }
  }
  const require = createRequire(join(CACHE, 'package.json'));
  return (await import(pathToFileURL(require.resolve('@duckdb/node-api')).href)) as DuckDb;
}

const best = async (run: () => Promise<number>): Promise<number> => {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) fastest = Math.min(fastest, await run());
  return fastest;
};

const timed = async (work: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await work();
  return (performance.now() - t0) / 1000;
};

const duckdb = await loadDuckDb();
const instance = duckdb ? await duckdb.DuckDBInstance.create(':memory:', { threads: '1' }) : null;
const connection = instance ? await instance.connect() : null;

console.log(
  connection
    ? `analyzer vs DuckDB ${DUCKDB_VERSION} (1 thread), ${megabytes} MB per format, best of ${runs}; ratio = logflow / DuckDB`
    : `analyzer alone (no DuckDB comparison), ${megabytes} MB per format, best of ${runs}`,
);
console.log('format        MB   logflow MB/s   DuckDB MB/s   ratio   requests (logflow / DuckDB)');
for (const c of CASES) {
  const path = benchFile(c);
  const mb = statSync(path).size / 1e6;
  let logflowRequests = 0;
  const logflowSeconds = await best(() =>
    timed(async () => {
      logflowRequests = (await analyzeFile(path, { format: c.format })).requests;
    }),
  );
  let duckRequests: unknown = '-';
  const duckSeconds = connection
    ? await best(() =>
        timed(async () => {
          const rows = (await connection.runAndReadAll(c.sql(path))).getRowObjectsJson();
          duckRequests = rows[0]?.requests;
        }),
      )
    : null;
  const logflowRate = mb / logflowSeconds;
  const duckRate = duckSeconds === null ? null : mb / duckSeconds;
  console.log(
    `${c.label.padEnd(11)} ${mb.toFixed(0).padStart(4)}   ${logflowRate.toFixed(0).padStart(12)}   ${
      duckRate === null ? '         -' : duckRate.toFixed(0).padStart(11)
    }   ${duckRate === null ? '    -' : (logflowRate / duckRate).toFixed(2).padStart(5)}   ${logflowRequests} / ${String(duckRequests)}`,
  );
}
connection?.closeSync();
instance?.closeSync();
