import type { Command } from 'commander';
import { userPath } from '../user-path.js';

/** Port `logflow local` listens on unless told otherwise (the one local AWS tools commonly use). */
export const DEFAULT_LOCAL_PORT = 4566;

interface LocalOptions {
  state: string;
  reset?: boolean;
  port: string;
}

export function registerLocal(program: Command): void {
  program
    .command('local')
    .description('Run S3, DynamoDB, CloudWatch and Step Functions on one loopback endpoint until Ctrl-C')
    .option('--state <dir>', 'folder the services keep their data in', '.logflow')
    .option('--reset', 'delete the stored data before starting')
    .option('--port <n>', 'port to listen on (0 picks a free one)', String(DEFAULT_LOCAL_PORT))
    .action(async (options: LocalOptions) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`--port: "${options.port}" is not a port number (0-65535)`);
      }
      const { startLocalAws } = await import('@logflow/local-aws');
      const { mountStepFunctions } = await import('@logflow/local-sfn');
      const aws = await startLocalAws({
        stateDir: userPath(options.state),
        reset: options.reset ?? false,
        port,
        stepFunctions: mountStepFunctions(),
      }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') {
          throw new Error(`port ${port} is in use; pick another with --port <n> (0 picks a free one)`);
        }
        throw error;
      });
      const env = aws.env();
      console.log(`logflow local: S3, DynamoDB, CloudWatch and Step Functions on ${aws.endpoint}`);
      console.log(`  region       ${aws.region}`);
      console.log(`  access key   ${aws.credentials.accessKeyId}`);
      console.log(`  secret key   ${aws.credentials.secretAccessKey}`);
      console.log(`  state        ${aws.stateDir ?? '(in memory)'}`);
      console.log('');
      console.log('Use it from another shell:');
      for (const [name, value] of Object.entries(env)) console.log(`  export ${name}=${value}`);
      // the AWS CLI (botocore) reads the region from AWS_DEFAULT_REGION only
      console.log(`  export AWS_DEFAULT_REGION=${aws.region}`);
      console.log('');
      console.log('Press Ctrl-C to stop.');

      await new Promise<void>((resolve, reject) => {
        let stopping = false;
        const stop = (signal: NodeJS.Signals) => {
          if (stopping) return;
          stopping = true;
          console.log(`\n${signal}: stopping, saving state...`);
          aws.stop().then(() => {
            console.log('stopped.');
            resolve();
          }, reject);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
