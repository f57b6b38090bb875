/** `logflow cost` as a user runs it, on the usage a real local run measured. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeBill, type Bill, type Usage } from '@logflow/cost';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

async function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, AWS_ENDPOINT_URL: '', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr };
}

/** Combined-format lines of 2026-11-22, one a second. */
function combined(count: number, seed: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const hh = String(Math.floor(i / 3600) % 24).padStart(2, '0');
    const mm = String(Math.floor(i / 60) % 60).padStart(2, '0');
    const ss = String(i % 60).padStart(2, '0');
    lines.push(
      `192.0.2.${(i + seed) % 200} - - [22/Nov/2026:${hh}:${mm}:${ss} +0000] "GET /p/${i % 9} HTTP/1.1" ${i % 11 === 0 ? 500 : 200} 512 "-" "t/${seed}" 0.042`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('logflow cost (process)', () => {
  let dir: string;
  let state: string;
  let runJson: string;
  let usage: Usage;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logflow-cost-logs-'));
    state = await mkdtemp(join(tmpdir(), 'logflow-cost-state-'));
    for (let f = 0; f < 3; f++) await writeFile(join(dir, `access-${f}.log`), combined(500, f));
    const run = await cli(['run', dir, '--state', state, '--reset', '--json', '--date', '2026-11-22']);
    expect(run.code).toBe(0);
    runJson = join(state, 'run.json');
    await writeFile(runJson, run.stdout);
    usage = (JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { usage: Usage }).usage;
  }, 180_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(state, { recursive: true, force: true });
  });

  it('measures the run in local AWS started by the run itself', () => {
    expect(usage.logs.files).toBe(3);
    // the three objects make one batch: one Express child, one analyzer invocation
    expect(usage.stepFunctions.expressExecutions).toBe(1);
    // one GET per file, and the reporter's reads of the ResultWriter's manifest and results
    expect(usage.s3.get).toBeGreaterThanOrEqual(3 + 2);
    expect(usage.dynamodb.wru).toBeGreaterThanOrEqual(3);
    // (CloudWatch leaves out these logs' datapoints once they are two weeks old: not counted here)
    expect(usage.lambda.map((f) => f.invocations)).toEqual([1, 1]);
  });

  it('prints the itemised bill, Athena and the goal from --from-run and from --date', async () => {
    const fromRun = await cli(['cost', '--from-run', runJson]);
    expect(fromRun.code).toBe(0);
    expect(fromRun.stdout).toMatch(/Step Functions express executions\s+1 execution/);
    expect(fromRun.stdout).toMatch(/Athena, one scan\s+\$/);
    expect(fromRun.stdout).toMatch(/goal for 20 KB files: within 1\.5× of the S3 GET floor: (PASS|FAIL)/);
    const fromDate = await cli(['cost', '--date', '2026-11-22', '--state', state]);
    expect(fromDate.stdout).toBe(fromRun.stdout);
  }, 60_000);

  it('prints the bill of the region asked for as JSON', async () => {
    const out = await cli(['cost', '--from-run', runJson, '--region', 'eu-central-1', '--json']);
    const { bill } = JSON.parse(out.stdout) as { bill: Bill };
    const expected = computeBill(usage, { region: 'eu-central-1' });
    expect(bill.region).toBe('eu-central-1');
    expect(bill.total).toBeCloseTo(expected.total, 12);
    expect(bill.s3GetFloor).toBeCloseTo(3 * 0.00000043, 15);
  }, 60_000);

  it('names the file it cannot read', async () => {
    const bad = join(state, 'bad.json');
    await writeFile(bad, 'progress line\n{"status":"SUCCEEDED"}\n');
    const out = await cli(['cost', '--from-run', bad]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`${bad}: no usage.logs`);
    const missing = await cli(['cost', '--date', '2020-01-01', '--state', state]);
    expect(missing.stderr).toMatch(/usage\.json does not exist/);
  }, 60_000);
});
