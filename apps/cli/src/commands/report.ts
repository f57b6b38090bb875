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

/** Where a deployed stack's report is: its environment, or its result bucket by name. */
export interface DeployedReportOptions {
  date: string;
  /** Environment of the deployed stack, e.g. `prod`. */
  environment: string;
  /** The result bucket (Terraform output `result_bucket`); derived from the account and region when absent. */
  resultBucket?: string;
  /** Folder the report files are written to; default `.logflow/reports/<env>/<date>/`. */
  out?: string;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      "Render a day's report from local AWS, or download a deployed stack's (--aws), as JSON, Markdown and HTML",
    )
    .requiredOption('--date <YYYY-MM-DD>', 'the day to report on')
    .option('--state <dir>', 'local AWS state folder (ignored when AWS_ENDPOINT_URL is set)', '.logflow')
    .option('--out <dir>', 'folder to copy the report to (default <state>/reports/<date>)')
    .option('--open', 'open the HTML report in the default browser')
    .option('--aws', 'download the report the deployed stack wrote (default credential chain)')
    .option('--env <name>', 'environment of the deployed stack, with --aws', 'dev')
    .option(
      '--result-bucket <name>',
      "with --aws: the stack's result bucket (Terraform output result_bucket)",
    )
    .action(async (options: ReportCommandOptions & { aws?: boolean; env: string; resultBucket?: string }) => {
      if (options.aws) {
        const paths = await downloadDeployedReport({
          date: options.date,
          environment: options.env,
          ...(options.resultBucket ? { resultBucket: options.resultBucket } : {}),
          ...(options.out ? { out: options.out } : {}),
        });
        console.log(`logflow report ${options.date} (${options.env}):`);
        for (const file of [paths.html, paths.md, paths.json]) console.log(`  ${file}`);
        if (options.open) openInBrowser(paths.html);
        return;
      }
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

/**
 * Downloads the day's report objects (`reports/<date>/summary.{json,md,html}`) from a deployed
 * stack's result bucket, streaming each to a file. The bucket name is the one `logflow run --aws`
 * derives, unless given.
 */
export async function downloadDeployedReport(
  options: DeployedReportOptions,
): Promise<{ json: string; md: string; html: string }> {
  const { date, environment } = options;
  if (!isDay(date)) throw new Error(`--date: "${date}" is not a day (YYYY-MM-DD)`);
  const [{ S3Client, GetObjectCommand }, { dailyReportKeys }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@logflow/shared-types'),
  ]);
  const { createWriteStream } = await import('node:fs');
  const { mkdir, rename } = await import('node:fs/promises');
  const { pipeline } = await import('node:stream/promises');
  const path = await import('node:path');
  const bucket =
    options.resultBucket ??
    (await (await import('../run/run-daily.js')).deployedNames({ kind: 'aws', environment })).resultBucket;
  const outDir = userPath(options.out ?? path.join('.logflow', 'reports', environment, date));
  await mkdir(outDir, { recursive: true });
  const keys = dailyReportKeys(date);
  const s3 = new S3Client({});
  try {
    const paths = { json: '', md: '', html: '' };
    for (const format of ['json', 'md', 'html'] as const) {
      const key = keys[format];
      const file = path.join(outDir, path.posix.basename(key));
      const object = await s3
        .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
        .catch((error: unknown) => {
          const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
          if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) {
            throw new Error(`no report for ${date} at s3://${bucket}/${key}; has the day been processed?`);
          }
          throw error;
        });
      // Written beside the target and renamed, so an interrupted download leaves no partial report.
      const partial = `${file}.partial`;
      await pipeline(object.Body as NodeJS.ReadableStream, createWriteStream(partial));
      await rename(partial, file);
      paths[format] = file;
    }
    return paths;
  } finally {
    s3.destroy();
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
