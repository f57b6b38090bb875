import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileSummary } from '@logflow/shared-types';
import { analyzeFiles } from './analyze.js';

const dir = mkdtempSync(join(tmpdir(), 'logflow-cli-analyze-'));
const good = join(dir, 'access.log');
writeFileSync(
  good,
  [
    '192.0.2.1 - - [22/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 100 "-" "curl/8" 0.010',
    '192.0.2.2 - - [22/Nov/2026:10:00:01 +0000] "GET /\x1b[2Jevil HTTP/1.1" 503 50 "-" "curl/8" 0.500',
    '',
  ].join('\n'),
);
const unknown = join(dir, 'notes.txt');
writeFileSync(unknown, 'just some text\nnothing like a log\n');

async function run(files: string[], opts: Parameters<typeof analyzeFiles>[1]) {
  let stdout = '';
  let stderr = '';
  const code = await analyzeFiles(
    files,
    opts,
    (t) => (stdout += t),
    (t) => (stderr += t),
  );
  return { code, stdout, stderr };
}

describe('logflow analyze', () => {
  it('prints exactly one FileSummary for one file with --json', async () => {
    const { code, stdout, stderr } = await run([good], { json: true });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const summary = JSON.parse(stdout) as FileSummary;
    expect(summary).toMatchObject({ format: 'combined', requests: 2, file: { key: good, gzip: false } });
  });

  it('prints one JSON line per file, reports a bad file on stderr in one line and exits 1', async () => {
    const { code, stdout, stderr } = await run([good, unknown, join(dir, 'missing.log'), good], {
      json: true,
    });
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => (JSON.parse(l) as FileSummary).requests)).toEqual([2, 2]);
    const errors = stderr.trimEnd().split('\n');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(
      /^logflow analyze: UnrecognizedLogFormatError: .*notes\.txt: unrecognised log format \(line 1: "just some text"\)$/,
    );
    expect(errors[1]).toMatch(
      /^logflow analyze: LogFileReadError: .*missing\.log: cannot read the file \(ENOENT\)$/,
    );
  });

  it('prints a table with counts, status classes, latency and escaped top paths', async () => {
    const { code, stdout } = await run([good], {});
    expect(code).toBe(0);
    const [header, , row] = stdout.split('\n');
    expect(header).toMatch(
      /^file\s+format\s+lines\s+malformed\s+requests\s+bytes\s+2xx\s+3xx\s+4xx\s+5xx\s+p50\s+p99\s+clients$/,
    );
    // Detected as combined: the trailing number is not read as a latency the format does not name.
    expect(row).toMatch(/access\.log\s+combined\s+2\s+0\s+2\s+150 B\s+1\s+0\s+0\s+1\s+-\s+-\s+~2$/);
    expect(stdout).toContain('/\\x1b[2Jevil');
    expect(stdout).not.toContain('\x1b');
  });

  it('applies --format', async () => {
    const { stdout } = await run([good], { json: true, format: 'alb' });
    expect(JSON.parse(stdout)).toMatchObject({ format: 'alb', lines: { malformed: 2, parsed: 0 } });
  });

  it('reads the latency a --log-format names, in its unit', async () => {
    const logFormat =
      '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time';
    const { code, stdout } = await run([good], { json: true, logFormat });
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as FileSummary;
    expect(summary).toMatchObject({ format: 'nginx-format', formatChoice: { by: 'given' }, requests: 2 });
    expect(summary.latencyMs?.max).toBeCloseTo(500, -1);
    expect(summary.latencyMs?.min).toBeCloseTo(10, 0);
  });

  it('reads JSON with --json-fields and refuses a bad mapping or two format flags', async () => {
    const json = join(dir, 'app.jsonl');
    writeFileSync(json, '{"res":{"code":404},"req":{"route":"/x"},"t":{"total":2500}}\n');
    const { stdout } = await run([json], {
      json: true,
      jsonFields: 'status=res.code,path=req.route,latency=t.total,latencyUnit=us',
    });
    expect(JSON.parse(stdout)).toMatchObject({
      format: 'jsonl',
      statusClass: { '4xx': 1 },
      latencyMs: { max: 2.5 },
    });
    await expect(run([json], { jsonFields: 'colour=red' })).rejects.toThrow(
      /--json-fields: expected key=field/,
    );
    await expect(run([good], { format: 'combined', apacheFormat: '%h' })).rejects.toThrow(/only one of/);
  });
});
