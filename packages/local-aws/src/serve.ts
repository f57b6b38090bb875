/**
 * Entry point of a local AWS endpoint in its own process (see `startLocalAwsProcess`): starts
 * the endpoint with the options given as JSON in argv[2], prints one JSON line with its
 * endpoint and state folder, and stops in order on SIGTERM/SIGINT or when the parent goes away
 * (its stdin closes). A `counts` line on stdin is answered with one JSON line of the request
 * counts (when started with `countRequests`).
 */
import { createInterface } from 'node:readline';
import { startLocalAws, type LocalAwsOptions } from './local-aws.js';

const options = JSON.parse(process.argv[2] ?? '{}') as LocalAwsOptions;
try {
  const aws = await startLocalAws(options);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    aws.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`local AWS did not stop cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('error', stop);
  const commands = createInterface({ input: process.stdin });
  commands.on('close', stop);
  commands.on('line', (line) => {
    if (line.trim() !== 'counts' || !aws.requestCounts) return;
    aws.requestCounts().then(
      (counts) => process.stdout.write(`${JSON.stringify({ counts })}\n`),
      (error: unknown) => process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`),
    );
  });
  process.stdout.write(`${JSON.stringify({ endpoint: aws.endpoint, stateDir: aws.stateDir ?? null })}\n`);
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exit(1);
}
