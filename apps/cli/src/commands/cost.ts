/** `logflow cost`: the AWS bill of a day from a local run's measured usage. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Usage } from '@logflow/cost';
import { userPath } from '../user-path.js';

interface CostFlags {
  fromRun?: string;
  date?: string;
  state: string;
  region: string;
  json?: boolean;
}

/** The usage in a file: `logflow run --json` output (its last JSON line) or a saved `usage.json`. */
export async function readUsage(file: string): Promise<Usage> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      error.code === 'ENOENT'
        ? `${file} does not exist (run \`logflow run\` for that day first)`
        : `${file}: ${error.message}`,
    );
  });
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const last = lines[lines.length - 1];
  let value: unknown;
  try {
    value = JSON.parse(last ?? '');
  } catch {
    throw new Error(
      `${file}: line ${lines.length} is not JSON (expected the output of \`logflow run --json\`)`,
    );
  }
  const usage = (value as { usage?: unknown }).usage ?? value;
  const u = usage as Partial<Usage>;
  for (const field of ['logs', 'stepFunctions', 'lambda', 's3', 'dynamodb', 'cloudwatch'] as const) {
    if (u[field] === undefined)
      throw new Error(`${file}: no usage.${field} (expected the output of \`logflow run --json\`)`);
  }
  return usage as Usage;
}

export function registerCost(program: Command): void {
  program
    .command('cost')
    .description("The AWS cost of a day from a local run's measured usage, per day and per TB, beside Athena")
    .option('--from-run <file>', 'the output of `logflow run --json` (or a usage.json)')
    .option('--date <YYYY-MM-DD>', 'a day run before: reads <state>/reports/<date>/usage.json')
    .option('--state <dir>', 'local AWS state folder', '.logflow')
    .option('--region <region>', 'the region whose prices apply', 'us-east-1')
    .option('--json', 'print one JSON object instead of the bill')
    .action(async (flags: CostFlags) => {
      if (!flags.fromRun && !flags.date) throw new Error('give --from-run <file> or --date <YYYY-MM-DD>');
      if (flags.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.date)) {
        throw new Error(`--date must be YYYY-MM-DD, got "${flags.date}"`);
      }
      const file = flags.fromRun
        ? userPath(flags.fromRun)
        : join(userPath(flags.state), 'reports', flags.date!, 'usage.json');
      const usage = await readUsage(file);
      if ((usage as { measured?: { requests?: unknown } }).measured?.requests === null) {
        process.stderr.write(
          'logflow cost: the run did not count its S3, DynamoDB and CloudWatch requests (local AWS was not started by it), so those lines are missing\n',
        );
      }
      const { computeBill, formatBill, goalFor, PRICE_SOURCES, PRICES_READ_ON } =
        await import('@logflow/cost');
      const bill = computeBill(usage, { region: flags.region });
      if (flags.json) {
        const goal = goalFor(usage.logs.files > 0 ? usage.logs.bytes / usage.logs.files : 0);
        process.stdout.write(
          `${JSON.stringify({
            bill,
            goal: { shape: goal.shape, description: goal.description, pass: goal.check(bill) },
            prices: { readOn: PRICES_READ_ON, sources: PRICE_SOURCES },
            usage,
          })}\n`,
        );
      } else {
        process.stdout.write(`${formatBill(bill, usage)}\n`);
      }
    });
}
