import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', MAIN, ...args]);

describe('logflow', () => {
  it('prints the package version with --version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect((await cli('--version')).stdout.trim()).toBe(version);
  }, 60_000);

  it('documents examples and exit codes in --help', async () => {
    const { stdout } = await cli('--help');
    expect(stdout).toMatch(/Examples:\n\s+logflow run/);
    expect(stdout).toMatch(/Exit codes:[\s\S]*130\s+interrupted/);
  }, 60_000);
});
