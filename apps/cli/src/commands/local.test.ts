import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));

describe('logflow local', () => {
  let stateDir: string;
  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'logflow-local-cli-'));
  });
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('serves until SIGINT, printing the endpoint and the exports to use', { timeout: 30_000 }, async () => {
    // a relative --state is taken from where `pnpm logflow` was typed (INIT_CWD), as in run and report
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', main, 'local', '--state', path.basename(stateDir), '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, INIT_CWD: path.dirname(stateDir) },
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const m = /export AWS_ENDPOINT_URL=(\S+)/.exec(stdout);
          if (m && stdout.includes('Ctrl-C')) resolve(m[1]!);
        });
        child.on('exit', () => reject(new Error(`exited early: ${stdout}`)));
      });
      expect(stdout).toContain('export AWS_REGION=us-east-1');
      expect(stdout).toContain('export AWS_DEFAULT_REGION=us-east-1');
      expect(stdout).toContain('export AWS_ACCESS_KEY_ID=');
      expect(stdout).toContain(`state        ${path.resolve(stateDir)}`);
      const s3 = new S3Client({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'LOGFLOWLOCAL', secretAccessKey: 'logflow-local-secret' },
      });
      expect((await s3.send(new ListBucketsCommand({}))).$metadata.httpStatusCode).toBe(200);
      const sfn = new SFNClient({ endpoint, region: 'us-east-1', credentials: s3.config.credentials });
      expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
      sfn.destroy();
      s3.destroy();
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stdout).toContain('stopped.');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('rejects a bad port', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'local', '--port', 'http'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('--port: "http" is not a port number');
  });
});
