/**
 * Local AWS in a child process, so the endpoint's work (S3 storage, DynamoDB, CloudWatch) runs on
 * another core than the caller's. Same `LocalAws` interface as `startLocalAws`.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LOCAL_CREDENTIALS, localAwsHandle, type LocalAws, type LocalAwsOptions } from './local-aws.js';
import type { RequestCounts } from './request-counter.js';

export async function startLocalAwsProcess(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const serveUrl = new URL(import.meta.url.endsWith('.ts') ? './serve.ts' : './serve.js', import.meta.url);
  // From source the child needs the TypeScript loader the monorepo runs with.
  const loader = serveUrl.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, fileURLToPath(serveUrl), JSON.stringify(options)], {
    // Its own process group: a terminal's Ctrl-C reaches the caller, which stops the endpoint in order.
    detached: true,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`local AWS exited with code ${code} before it started`)));
  });
  // later lines answer `counts` requests, in order
  const answers: ((line: string | Error) => void)[] = [];
  lines.on('line', (line) => answers.shift()?.(line));
  void exited.then(() => {
    for (const answer of answers.splice(0)) answer(new Error('local AWS exited'));
  });
  const started = JSON.parse(first) as { endpoint?: string; stateDir?: string | null; error?: string };
  if (!started.endpoint) {
    await exited;
    throw new Error(started.error ?? 'local AWS did not start');
  }
  const endpoint = started.endpoint;
  const region = options.region ?? 'us-east-1';
  const credentials = { ...LOCAL_CREDENTIALS };
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0 && code !== null) throw new Error(`local AWS exited with code ${code}`);
  };
  const requestCounts = (): Promise<RequestCounts> =>
    new Promise((resolve, reject) => {
      answers.push((line) => {
        if (line instanceof Error) return reject(line);
        const answer = JSON.parse(line) as { counts?: RequestCounts; error?: string };
        if (answer.counts) resolve(answer.counts);
        else reject(new Error(answer.error ?? 'local AWS sent no request counts'));
      });
      child.stdin?.write('counts\n');
    });
  return localAwsHandle({
    endpoint,
    region,
    credentials,
    stateDir: started.stateDir ?? undefined,
    stop: () => (stopping ??= stop()),
    ...(options.countRequests ? { requestCounts } : {}),
  });
}
