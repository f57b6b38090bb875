import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { systemClock, yesterdayUtc, type Clock } from '@logflow/shared-types';
import { userPath } from '../user-path.js';
import { addFormatOptions, formatOptionsOf, type FormatCliOptions } from './format-options.js';

interface RunFlags extends FormatCliOptions {
  date?: string;
  prefix?: string;
  state: string;
  reset?: boolean;
  json?: boolean;
  aws?: boolean;
  env: string;
  inputBucket?: string;
  resultBucket?: string;
  reportDir?: string;
  toleratedFailurePercentage?: string;
  maxConcurrency?: string;
}

function parsePercentage(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100)
    throw new Error(`--tolerated-failure-percentage must be 0-100, got "${value}"`);
  return n;
}

function parsePositiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a whole number, got "${value}"`);
  return n;
}

/**
 * The folder and day a run processes. Given no folder, the sample logs are generated for the
 * day (default yesterday, UTC) into `<state>/samples/<day>/`, so CloudWatch accepts their
 * metrics whatever the date.
 */
export async function resolveRunLogs(
  dir: string | undefined,
  flags: { date?: string; state: string },
  clock: Clock = systemClock,
): Promise<{ logDir: string; date?: string; samples: boolean }> {
  if (dir !== undefined)
    return { logDir: userPath(dir), ...(flags.date ? { date: flags.date } : {}), samples: false };
  const date = flags.date ?? yesterdayUtc(clock);
  const { writeSampleLogs } = await import('../samples/sample-logs.js');
  const logDir = join(userPath(flags.state), 'samples', date);
  await writeSampleLogs(logDir, date);
  return { logDir, date, samples: true };
}

export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description('Run the daily workflow on a folder of logs (default: the sample logs) in local AWS')
    .argument('[dir]', 'folder of log files to process (default: sample logs generated for the day)')
    .option('--date <YYYY-MM-DD>', 'the day being processed (default: yesterday, UTC)')
    .option('--prefix <prefix>', 'key prefix in the input bucket (default: logs/YYYY/MM/DD/)')
    .option('--state <dir>', 'local AWS state folder', '.logflow')
    .option('--reset', 'start local AWS from a clean state')
    .option('--json', 'print one JSON object on the last line of stdout instead of tables')
    .option('--aws', 'run against the real AWS account of the default credential chain')
    .option('--env <name>', 'environment of the deployed stack, with --aws', 'dev')
    .option('--input-bucket <name>', "with --aws: the stack's input bucket (Terraform output input_bucket)")
    .option(
      '--result-bucket <name>',
      "with --aws: the stack's result bucket (Terraform output result_bucket)",
    )
    .option('--report-dir <dir>', 'where to copy the report files (default: <state>/reports/<date>)')
    .option('--tolerated-failure-percentage <n>', 'failed files tolerated before the run fails')
    .option('--max-concurrency <n>', 'files analysed at once');
  addFormatOptions(command).action(async (dir: string | undefined, flags: RunFlags) => {
    if (flags.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.date)) {
      throw new Error(`--date must be YYYY-MM-DD, got "${flags.date}"`);
    }
    const { runDaily } = await import('../run/run-daily.js');
    const { createProgressReporter } = await import('../run/progress.js');
    const { formatRunSummary } = await import('../run/summary-table.js');
    const { formatSyncChanges } = await import('../run/upload.js');

    const controller = new AbortController();
    let interrupted = false;
    const onSignal = (): void => {
      if (interrupted) process.exit(130);
      interrupted = true;
      process.stderr.write('\nstopping: waiting for running files to settle (Ctrl-C again to force)\n');
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    let progress: ReturnType<typeof createProgressReporter> | undefined;
    const endpoint = process.env.AWS_ENDPOINT_URL;
    const toleratedFailurePercentage = parsePercentage(flags.toleratedFailurePercentage);
    const maxConcurrency = parsePositiveInt(flags.maxConcurrency, '--max-concurrency');
    const { logDir, date, samples } = await resolveRunLogs(dir, flags);
    if (samples) process.stderr.write(`logflow run: sample logs of ${date} generated in ${logDir}\n`);
    const format = formatOptionsOf(flags);
    const result = await runDaily({
      logDir,
      ...(Object.keys(format).length > 0 ? { format } : {}),
      ...(date ? { date } : {}),
      ...(flags.prefix ? { prefix: flags.prefix } : {}),
      target: flags.aws
        ? {
            kind: 'aws',
            environment: flags.env,
            ...(flags.inputBucket ? { inputBucket: flags.inputBucket } : {}),
            ...(flags.resultBucket ? { resultBucket: flags.resultBucket } : {}),
          }
        : endpoint
          ? { kind: 'endpoint' }
          : { kind: 'local', stateDir: userPath(flags.state), reset: flags.reset ?? false },
      ...(flags.reportDir ? { reportDir: userPath(flags.reportDir) } : {}),
      ...(toleratedFailurePercentage !== undefined ? { toleratedFailurePercentage } : {}),
      ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
      signal: controller.signal,
      onStart: ({ files, changes, prefix, names }) => {
        process.stderr.write(
          `logflow run: ${files.length} files (${formatSyncChanges(changes)}) → s3://${names.inputBucket}/${prefix}${endpoint ? ` (${endpoint})` : ''}\n`,
        );
        progress = createProgressReporter(files.length);
      },
      onFileFinished: ({ bytes, failed }) => progress?.fileFinished(bytes, failed),
    }).finally(() => progress?.stop());

    // beside the report copies, for `logflow cost --date D`
    if (result.report)
      await writeFile(join(dirname(result.report.json), 'usage.json'), JSON.stringify(result.usage));
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({
          status: result.status,
          date: result.date,
          files: result.files,
          failed: result.daily?.files.failed ?? [],
          requests: result.requests,
          metrics: result.metrics,
          report: result.report,
          timings: result.timings,
          usage: result.usage,
          ...(result.error ? { error: result.error, cause: result.cause } : {}),
        })}\n`,
      );
    } else {
      process.stdout.write(formatRunSummary(result));
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (interrupted) process.exitCode = 130;
    else if (result.status !== 'SUCCEEDED') process.exitCode = 1;
  });
}
