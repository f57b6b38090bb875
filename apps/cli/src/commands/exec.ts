import type { Command } from 'commander';
import type * as AslRuntime from '@logflow/asl-runtime';
import { userPath } from '../user-path.js';

interface ExecOptions {
  input?: string;
  wait: boolean;
  batch?: boolean;
  concurrency: string;
}

/** The one JSON line `exec` prints per execution. */
interface ResultLine {
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
}

const INVALID_DEFINITION = 'States.InvalidDefinition';

export function registerExec(program: Command): void {
  program
    .command('exec')
    .description(
      'Run a state machine definition locally and print one JSON line with the result. With --batch, read {"definition","input"} JSON lines from stdin and print one result line per input line, in order.',
    )
    .argument('[definition]', 'path to the state machine definition (JSON)')
    .option('--input <json|@file>', 'execution input as JSON text, or @path to a JSON file', '{}')
    .option('--no-wait', 'skip the delays of Wait states and Retry intervals')
    .option('--batch', 'read JSON lines {"definition", "input"} from stdin')
    .option('--concurrency <n>', 'executions run at once in --batch mode', '8')
    .action(async (definitionPath: string | undefined, opts: ExecOptions) => {
      if (opts.batch) {
        const concurrency = Number(opts.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1)
          throw new Error(`--concurrency must be a positive integer, got '${opts.concurrency}'`);
        await runBatch(concurrency, !opts.wait);
        return;
      }
      if (!definitionPath) throw new Error('exec: a definition file is required (or use --batch)');
      process.exitCode = await runOne(definitionPath, opts.input ?? '{}', !opts.wait);
    });
}

async function readJsonArg(text: string, what: string): Promise<unknown> {
  const { readFile } = await import('node:fs/promises');
  const source = text.startsWith('@') ? await readFile(userPath(text.slice(1)), 'utf8') : text;
  try {
    return JSON.parse(source);
  } catch (e) {
    throw new Error(
      `${what} ${text.startsWith('@') ? `(${text.slice(1)}) ` : ''}is not valid JSON: ${(e as Error).message}`,
    );
  }
}

async function runOne(definitionPath: string, inputArg: string, noWait: boolean): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const runtime = await import('@logflow/asl-runtime');
  const text = await readFile(userPath(definitionPath), 'utf8');
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (e) {
    console.error(`${definitionPath}: not valid JSON: ${(e as Error).message}`);
    return 2;
  }
  const check = runtime.validateDefinition(definition);
  if (!check.valid) {
    console.error(
      `${definitionPath}: invalid state machine definition\n${runtime.formatIssues(check.issues)}`,
    );
    return 2;
  }
  const input = await readJsonArg(inputArg, '--input');
  const line = await execute(runtime, definition, input, noWait);
  await integrations?.destroy();
  process.stdout.write(`${JSON.stringify(line)}\n`);
  return line.status === 'SUCCEEDED' ? 0 : 1;
}

type Runtime = typeof AslRuntime;

/** Task, ItemReader and ResultWriter go to AWS (or AWS_ENDPOINT_URL); created only when a definition needs them. */
let integrations: ReturnType<Runtime['createIntegrations']> | undefined;

function integrationsFor(runtime: Runtime, definition: unknown) {
  if (!JSON.stringify(definition).includes('"Resource"')) return {};
  integrations ??= runtime.createIntegrations();
  return {
    taskInvoker: integrations.taskInvoker,
    itemReader: integrations.itemReader,
    resultWriter: integrations.streamingResultWriter,
  };
}

async function execute(
  runtime: Runtime,
  definition: unknown,
  input: unknown,
  noWait: boolean,
): Promise<ResultLine> {
  const result = await runtime.runExecution(definition as never, input, {
    noWait,
    keepHistory: false,
    ...integrationsFor(runtime, definition),
  });
  if (result.status === 'SUCCEEDED') return { status: result.status, output: result.output ?? null };
  const line: ResultLine = { status: result.status };
  if (result.error !== undefined) line.error = result.error;
  if (result.cause !== undefined) line.cause = result.cause;
  return line;
}

async function runCase(runtime: Runtime, text: string, noWait: boolean): Promise<ResultLine> {
  let parsed: { definition?: unknown; input?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (e) {
    return {
      status: 'FAILED',
      error: INVALID_DEFINITION,
      cause: `the line is not valid JSON: ${(e as Error).message}`,
    };
  }
  const check = runtime.validateDefinition(parsed.definition);
  if (!check.valid)
    return { status: 'FAILED', error: INVALID_DEFINITION, cause: runtime.formatIssues(check.issues) };
  try {
    return await execute(runtime, parsed.definition, parsed.input ?? {}, noWait);
  } catch (e) {
    return { status: 'FAILED', error: 'States.Runtime', cause: (e as Error).message };
  }
}

/** Reads stdin lines, runs up to `concurrency` at once, writes results in input order. */
async function runBatch(concurrency: number, noWait: boolean): Promise<void> {
  const { createInterface } = await import('node:readline');
  const runtime = await import('@logflow/asl-runtime');
  const results = new Map<number, ResultLine>();
  let nextToWrite = 0;
  let running = 0;
  let index = 0;
  const slots: (() => void)[] = [];
  const flush = () => {
    while (results.has(nextToWrite)) {
      process.stdout.write(`${JSON.stringify(results.get(nextToWrite))}\n`);
      results.delete(nextToWrite);
      nextToWrite++;
    }
  };
  const pending: Promise<void>[] = [];
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    while (running >= concurrency) await new Promise<void>((resolve) => slots.push(resolve));
    const i = index++;
    running++;
    pending.push(
      runCase(runtime, line, noWait).then((r) => {
        results.set(i, r);
        running--;
        slots.shift()?.();
        flush();
      }),
    );
  }
  await Promise.all(pending);
  flush();
  await integrations?.destroy();
}
