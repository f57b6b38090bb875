/**
 * Step Functions API benchmarks through @aws-sdk/client-sfn against the local endpoint (state
 * kept on disk in a temporary folder):
 * - StartExecution of a one-Pass machine, then DescribeExecution until SUCCEEDED, one at a time
 *   (through the SDK and the endpoint, then in process);
 * - GetExecutionHistory of a 100,000-event history, every page of 1,000 (forwards and back),
 *   with the heap growth that paging causes.
 * Run with `pnpm --filter @logflow/local-sfn bench` (BENCH_RUNS sets the executions, default 300).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { startLocalAws } from '@logflow/local-aws';
import { mountStepFunctions, type StepFunctionsService } from '../src/index.js';

const ROLE = 'arn:aws:iam::123456789012:role/bench';
const runs = Number(process.env.BENCH_RUNS ?? 300);
const dir = await mkdtemp(path.join(tmpdir(), 'local-sfn-bench-'));
let service: StepFunctionsService | undefined;
const aws = await startLocalAws({
  stateDir: dir,
  stepFunctions: mountStepFunctions({ onOpen: (s) => (service = s) }),
});
const sfn = new SFNClient(aws.clientConfig());
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

try {
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({
      name: 'one-pass',
      roleArn: ROLE,
      definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
    }),
  );
  const times: number[] = [];
  let polls = 0;
  for (let i = 0; i < runs + 20; i++) {
    const t0 = process.hrtime.bigint();
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"n":1}' }));
    for (;;) {
      polls++;
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (d.status === 'SUCCEEDED') break;
      if (d.status !== 'RUNNING') throw new Error(`execution ${d.status}`);
    }
    if (i >= 20) times.push(ms(t0)); // the first 20 warm up
  }
  times.sort((a, b) => a - b);
  console.log(
    `StartExecution → SUCCEEDED (one Pass, via DescribeExecution): ${runs} runs, median ${pct(times, 50).toFixed(2)} ms, p90 ${pct(times, 90).toFixed(2)} ms, max ${pct(times, 100).toFixed(2)} ms, ${(polls / (runs + 20)).toFixed(2)} DescribeExecution calls per run`,
  );

  // The same calls in process (service.call, no HTTP, no SDK): what the service itself costs.
  const inProcess: number[] = [];
  for (let i = 0; i < runs + 20; i++) {
    const t0 = process.hrtime.bigint();
    const { executionArn } = await service!.call('StartExecution', { stateMachineArn, input: '{"n":1}' });
    for (;;) {
      const { status } = await service!.call('DescribeExecution', { executionArn });
      if (status === 'SUCCEEDED') break;
      if (status !== 'RUNNING') throw new Error(`execution ${String(status)}`);
    }
    if (i >= 20) inProcess.push(ms(t0));
  }
  inProcess.sort((a, b) => a - b);
  console.log(
    `same in process (service.call): median ${pct(inProcess, 50).toFixed(3)} ms, p90 ${pct(inProcess, 90).toFixed(3)} ms`,
  );

  // 25,000 loop iterations of Pass + Choice: 4 events each, 100,003 in all.
  const { stateMachineArn: loop } = await sfn.send(
    new CreateStateMachineCommand({
      name: 'long-history',
      roleArn: ROLE,
      definition: JSON.stringify({
        StartAt: 'Count',
        States: {
          Count: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'More' },
          More: {
            Type: 'Choice',
            Choices: [{ Variable: '$.i', NumericLessThan: 25000, Next: 'Count' }],
            Default: 'Done',
          },
          Done: { Type: 'Succeed' },
        },
      }),
    }),
  );
  const t1 = process.hrtime.bigint();
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: loop, input: '{"i":0}' }),
  );
  await service!.settled(executionArn!);
  console.log(`100,000-event execution ran and was written in ${(ms(t1) / 1000).toFixed(2)} s`);
  for (const reverseOrder of [false, true]) {
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    let peak = heap0;
    const t2 = process.hrtime.bigint();
    let events = 0;
    let pages = 0;
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, reverseOrder, nextToken }),
      );
      events += page.events?.length ?? 0;
      pages++;
      nextToken = page.nextToken;
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    } while (nextToken);
    const total = ms(t2);
    console.log(
      `GetExecutionHistory ${reverseOrder ? 'reverse' : 'forward'}: ${events.toLocaleString('en-US')} events in ${pages} pages of 1,000, ${(total / 1000).toFixed(2)} s (${(total / pages).toFixed(1)} ms per page), peak heap growth ${((peak - heap0) / 2 ** 20).toFixed(1)} MiB`,
    );
  }
} finally {
  sfn.destroy();
  await aws.stop();
  await rm(dir, { recursive: true, force: true });
}
