#!/usr/bin/env node
/**
 * The `logflow` command. Each subcommand lives in `commands/<name>.ts` and registers itself;
 * heavy modules are imported lazily inside the action so `logflow exec` starts fast.
 */
import { createRequire } from 'node:module';
import { Command } from 'commander';
import { registerAnalyze } from './commands/analyze.js';
import { registerCost } from './commands/cost.js';
import { registerExec } from './commands/exec.js';
import { registerFormats } from './commands/formats.js';
import { registerLocal } from './commands/local.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerUi } from './commands/ui.js';

// The SDK versions are pinned by the lockfile; its notice about future releases needing
// Node 22 says nothing about this install and would precede every command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const program = new Command()
  .name('logflow')
  .description('Log analytics on AWS Step Functions, runnable on your machine.')
  .version(version, '-V, --version', 'print the version and exit')
  .showHelpAfterError()
  .addHelpText(
    'after',
    `
Examples:
  logflow run                        the daily workflow on sample logs of yesterday, in local AWS
  logflow run ./logs --date 2026-12-01
  logflow analyze access.log.gz --json
  logflow local                      S3, DynamoDB, CloudWatch and Step Functions on one endpoint
  logflow report --date 2026-12-01 --open

Exit codes:
  0    success
  1    failure: bad input, a failed file in analyze, a day that did not succeed
  130  interrupted (Ctrl-C)`,
  );

registerAnalyze(program);
registerCost(program);
registerExec(program);
registerFormats(program);
registerLocal(program);
registerReport(program);
registerRun(program);
registerUi(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  // Messages may quote log lines: keep line breaks, neutralise every other control character.
  console.error(
    `logflow: ${message.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, '\uFFFD')}`,
  );
  process.exit(process.exitCode && process.exitCode !== 0 ? process.exitCode : 1);
});
