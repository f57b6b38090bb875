/**
 * Lambda handlers log with `console`; deployed, that goes to CloudWatch Logs. In a local run
 * it goes to a file instead, so the terminal shows progress and the summary, not log records.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { format } from 'node:util';

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** Sends `console` output to `path` until the returned function is called. */
export async function captureConsole(path: string): Promise<() => Promise<void>> {
  await mkdir(dirname(path), { recursive: true });
  const file = createWriteStream(path, { flags: 'a' });
  const saved = METHODS.map((m) => console[m]);
  for (const method of METHODS) {
    console[method] = (...args: unknown[]): void => {
      file.write(`${new Date().toISOString()}\t${method.toUpperCase()}\t${format(...args)}\n`);
    };
  }
  return () => {
    METHODS.forEach((method, i) => {
      console[method] = saved[i]!;
    });
    return new Promise((resolve) => file.end(resolve));
  };
}
