import type { StepFunctionsService } from '@logflow/local-sfn';
import type { Command } from 'commander';
import { userPath } from '../user-path.js';
import { DEFAULT_LOCAL_PORT } from './local.js';

/** Port the console listens on unless told otherwise (next to local AWS's). */
export const DEFAULT_CONSOLE_PORT = DEFAULT_LOCAL_PORT + 1;

interface UiOptions {
  state: string;
  port: string;
  consolePort: string;
}

function portOf(option: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${option}: "${value}" is not a port number (0-65535)`);
  return port;
}

export function registerUi(program: Command): void {
  program
    .command('ui')
    .description('Run local AWS with the Step Functions API and its console in the browser until Ctrl-C')
    .option('--state <dir>', 'folder the services keep their data in', '.logflow')
    .option('--port <n>', 'port of the local AWS endpoint (0 picks a free one)', String(DEFAULT_LOCAL_PORT))
    .option('--console-port <n>', 'port of the console (0 picks a free one)', String(DEFAULT_CONSOLE_PORT))
    .action(async (options: UiOptions) => {
      const port = portOf('--port', options.port);
      const consolePort = portOf('--console-port', options.consolePort);
      const [{ startLocalAws }, { mountStepFunctions }, { startConsole }] = await Promise.all([
        import('@logflow/local-aws'),
        import('@logflow/local-sfn'),
        import('@logflow/sfn-console'),
      ]);
      let service: StepFunctionsService | undefined;
      const aws = await startLocalAws({
        stateDir: userPath(options.state),
        port,
        stepFunctions: mountStepFunctions({ onOpen: (s) => (service = s) }),
      });
      const ui = await startConsole({ service: service!, port: consolePort }).catch(
        async (error: unknown) => {
          await aws.stop();
          throw error;
        },
      );
      console.log(`logflow ui: the console is at ${ui.url}`);
      console.log(`  endpoint     ${aws.endpoint} (S3, DynamoDB, CloudWatch, Step Functions)`);
      console.log(`  state        ${aws.stateDir ?? '(in memory)'}`);
      console.log('Press Ctrl-C to stop.');
      await new Promise<void>((resolve, reject) => {
        const stop = (signal: NodeJS.Signals) => {
          console.log(`\n${signal}: stopping, saving state...`);
          ui.close()
            .then(() => aws.stop())
            .then(() => {
              console.log('stopped.');
              resolve();
            }, reject);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
