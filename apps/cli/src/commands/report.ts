import type { Command } from 'commander';
import { isDay, systemClock, type Clock } from '@logflow/shared-types';
import { userPath } from '../user-path.js';

export interface ReportCommandOptions {
  /** The day, `YYYY-MM-DD`. */
  date: string;
  /** Local AWS state folder; default `.logflow`. */
  state?: string;
  /** Folder the report files are copied to; default `<state>/reports/<date>/`. */
  out?: string;
  /** Open the HTML report in the default browser. */
  open?: boolean;
}

export interface ReportCommandResult {
  date: string;
  files: { analyzed: number; failed: number };
  requests: number;
  /** Local paths of the copied report files. */
  paths: { json: string; md: string; html: string };
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description("Render a day's report from local AWS (JSON, Markdown, HTML) and copy it to a local folder")
    .requiredOption('--date <YYYY-MM-DD>', 'the day to report on')
    .option('--state <dir>', 'local AWS state folder (ignored when AWS_ENDPOINT_URL is set)', '.logflow')
    .option('--out <dir>', 'folder to copy the report to (default <state>/reports/<date>)')
    .option('--open', 'open the HTML report in the default browser')
    .action(async (options: ReportCommandOptions) => {
      const result = await runReport(options);
      const { files, requests, paths } = result;
      console.log(
        `logflow report ${result.date}: ${files.analyzed} file(s) analysed, ${files.failed} failed, ${requests} requests`,
      );
      for (const file of [paths.html, paths.md, paths.json]) console.log(`  ${file}`);
      if (files.analyzed === 0 && files.failed === 0) {
        console.warn(`warning: nothing was processed for ${result.date}; run the day first (logflow run)`);
      }
      if (options.open) openInBrowser(paths.html);
    });
}

/**
 * Generates the day's report in local AWS with the same code and names as the Lambda
 * (environment `local`), then copies the three objects out of the result bucket.
 */
export async function runReport(
  options: ReportCommandOptions,
  /** "Now" for local AWS (TTL expiry) and CloudWatch's window for the day's metrics. */
  clock: Clock = systemClock,
): Promise<ReportCommandResult> {
  const { date } = options;
  if (!isDay(date)) throw new Error(`--date: "${date}" is not a day (YYYY-MM-DD)`);
  const [{ S3Client, HeadBucketCommand }, { DynamoDBClient, DescribeTableCommand }, { CloudWatchClient }] =
    await Promise.all([
      import('@aws-sdk/client-s3'),
      import('@aws-sdk/client-dynamodb'),
      import('@aws-sdk/client-cloudwatch'),
    ]);
  const { generateDailyReport, readReportObject, REPORT_FORMATS } = await import('@logflow/reporter');
  const { resourceNames } = await import('@logflow/shared-types');
  const { mkdir, writeFile } = await import('node:fs/promises');
  const path = await import('node:path');

  const state = userPath(options.state ?? '.logflow');
  const external = Boolean(process.env.AWS_ENDPOINT_URL);
  const aws = external
    ? undefined
    : await (await import('@logflow/local-aws')).startLocalAws({ stateDir: state, clock });
  const config = aws ? aws.clientConfig() : {};
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const dynamodb = new DynamoDBClient(config);
  const cloudwatch = new CloudWatchClient(config);
  try {
    const names = resourceNames({ environment: 'local' });
    const where = aws ? `local AWS state ${state}` : process.env.AWS_ENDPOINT_URL;
    const missing = (what: string) => (error: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
      if (error.name === 'ResourceNotFoundException' || error.$metadata?.httpStatusCode === 404) {
        throw new Error(`${what} not found in ${where}; process a day first (logflow run)`);
      }
      throw error;
    };
    await dynamodb
      .send(new DescribeTableCommand({ TableName: names.summaryTable }))
      .catch(missing(`summary table ${names.summaryTable}`));
    await s3
      .send(new HeadBucketCommand({ Bucket: names.resultBucket }))
      .catch(missing(`result bucket ${names.resultBucket}`));

    const generated = await generateDailyReport(
      { s3, dynamodb, cloudwatch },
      {
        summaryTable: names.summaryTable,
        resultBucket: names.resultBucket,
        metricNamespace: names.metricNamespace,
      },
      { date },
      clock,
    );
    const outDir = options.out ? userPath(options.out) : path.join(state, 'reports', date);
    await mkdir(outDir, { recursive: true });
    const paths = { json: '', md: '', html: '' };
    for (const format of REPORT_FORMATS) {
      const key = generated.report[format];
      const file = path.join(outDir, path.posix.basename(key));
      await writeFile(file, await readReportObject(s3, names.resultBucket, key));
      paths[format] = file;
    }
    return { date, files: generated.files, requests: generated.requests, paths };
  } finally {
    s3.destroy();
    dynamodb.destroy();
    cloudwatch.destroy();
    await aws?.stop();
  }
}

/** Opens a file with the desktop's default application, without waiting for it. */
function openInBrowser(file: string): void {
  void import('node:child_process').then(({ spawn }) => {
    const [command, args] =
      process.platform === 'darwin'
        ? ['open', [file]]
        : process.platform === 'win32'
          ? ['cmd', ['/c', 'start', '""', file]]
          : ['xdg-open', [file]];
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', (error) => console.warn(`could not open ${file}: ${error.message}`));
    child.unref();
  });
}
