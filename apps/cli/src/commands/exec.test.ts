import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const main = join(repoRoot, 'apps/cli/src/main.ts');

/** Runs `logflow exec ...` as a user would, with optional stdin. */
function logflow(
  args: string[],
  stdin = '',
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'exec', ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

async function definitionFile(definition: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'logflow-exec-'));
  const file = join(dir, 'definition.json');
  await writeFile(file, JSON.stringify(definition));
  return file;
}

describe('logflow exec', () => {
  it('prints one SUCCEEDED line and exits 0', async () => {
    const file = await definitionFile({
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}!', $.name)" }, End: true },
      },
    });
    const r = await logflow([file, '--input', '{"name":"logflow"}']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ status: 'SUCCEEDED', output: { greeting: 'Hello, logflow!' } });
  }, 30_000);

  it('reads a relative definition and @input from where pnpm logflow was typed', async () => {
    const file = await definitionFile({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    await writeFile(join(dirname(file), 'input.json'), '{"from":"file"}');
    const r = await logflow(['definition.json', '--input', '@input.json'], '', { INIT_CWD: dirname(file) });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ status: 'SUCCEEDED', output: { from: 'file' } });
    expect(r.code).toBe(0);
  }, 30_000);

  it('prints the error and cause of a failed execution and exits 1', async () => {
    const file = await definitionFile({
      StartAt: 'F',
      States: { F: { Type: 'Fail', Error: 'E', Cause: 'why' } },
    });
    const r = await logflow([file]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ status: 'FAILED', error: 'E', cause: 'why' });
  }, 30_000);

  it('exits 2 on an invalid definition, naming the state and field', async () => {
    const file = await definitionFile({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Missing' } } });
    const r = await logflow([file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("State 'A': Next 'Missing' is not a state of this scope");
  }, 30_000);

  it('runs --batch lines concurrently and answers in input order', async () => {
    const slow = {
      definition: {
        StartAt: 'W',
        States: {
          W: { Type: 'Wait', Seconds: 1, Next: 'P' },
          P: { Type: 'Pass', Result: 'slow', End: true },
        },
      },
      input: {},
    };
    const fast = {
      definition: { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'fast', End: true } } },
      input: {},
    };
    const bad = { definition: { StartAt: 'Nope', States: {} }, input: {} };
    const stdin = [slow, fast, bad].map((l) => JSON.stringify(l)).join('\n') + '\n';
    const r = await logflow(['--batch', '--concurrency', '4'], stdin);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: string; output?: unknown; error?: string });
    expect(r.code).toBe(0);
    expect(lines.map((l) => l.output ?? l.error)).toEqual(['slow', 'fast', 'States.InvalidDefinition']);
    expect(lines[2]?.status).toBe('FAILED');
  }, 30_000);
});
