/**
 * The day's execution through the Step Functions API of `@logflow/local-sfn`, kept in
 * `<state>/stepfunctions/`: the daily state machine is created (or updated to this definition)
 * and the execution started and awaited there, so every run can be inspected with `logflow ui`
 * and redriven afterwards.
 */
import type { ServiceIntegrations } from '@logflow/local-sfn';
import type { Clock } from '@logflow/shared-types';

export interface ApiRun {
  /** The service's folder (`<state>/stepfunctions`); undefined keeps the records in memory. */
  dir: string | undefined;
  machineName: string;
  definition: unknown;
  input: unknown;
  executionName: string;
  integrations: ServiceIntegrations;
  clock: Clock;
  /** Stops the execution (StopExecution). */
  signal?: AbortSignal;
  /** Reads the finished execution through the API (history, Map Runs) before the service closes. */
  inspect?: (api: SfnApi, executionArn: string) => Promise<void>;
}

/** One Step Functions API call on the service. */
export type SfnApi = (action: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

export interface ApiRunResult {
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  output?: unknown;
  error?: string;
  cause?: string;
  executionArn: string;
}

const ROLE = 'arn:aws:iam::123456789012:role/logflow-local';

export async function runThroughApi(run: ApiRun): Promise<ApiRunResult> {
  const { SfnError, StepFunctionsService } = await import('@logflow/local-sfn');
  const service = await StepFunctionsService.open({
    dir: run.dir,
    integrations: run.integrations,
    now: run.clock,
  });
  try {
    const definition = JSON.stringify(run.definition);
    const created = await service
      .call('CreateStateMachine', { name: run.machineName, definition, roleArn: ROLE })
      .catch(async (error: unknown) => {
        if (!(error instanceof SfnError) || error.code !== 'StateMachineAlreadyExists') throw error;
        const stateMachineArn = `arn:aws:states:us-east-1:123456789012:stateMachine:${run.machineName}`;
        await service.call('UpdateStateMachine', { stateMachineArn, definition, roleArn: ROLE });
        return { stateMachineArn };
      });
    // A name already used in this state folder (the same instant on a fixed clock) gets a suffix.
    let executionArn = '';
    for (let attempt = 1; !executionArn; attempt++) {
      const name = attempt === 1 ? run.executionName : `${run.executionName}-${attempt}`;
      executionArn = await service
        .call('StartExecution', {
          stateMachineArn: created.stateMachineArn,
          name,
          input: JSON.stringify(run.input),
        })
        .then(
          (r) => r.executionArn as string,
          (error: unknown) => {
            if (error instanceof SfnError && error.code === 'ExecutionAlreadyExists' && attempt < 1000)
              return '';
            throw error;
          },
        );
    }
    const stop = () => void service.call('StopExecution', { executionArn, cause: 'The run was interrupted' });
    run.signal?.addEventListener('abort', stop, { once: true });
    if (run.signal?.aborted) stop();
    try {
      await service.settled(executionArn);
    } finally {
      run.signal?.removeEventListener('abort', stop);
    }
    await run.inspect?.((action, input) => service.call(action, input), executionArn);
    const d = (await service.call('DescribeExecution', { executionArn })) as {
      status: ApiRunResult['status'];
      output?: string;
      error?: string;
      cause?: string;
    };
    return {
      status: d.status,
      executionArn,
      ...(d.output !== undefined ? { output: JSON.parse(d.output) as unknown } : {}),
      ...(d.error !== undefined ? { error: d.error } : {}),
      ...(d.cause !== undefined ? { cause: d.cause } : {}),
    };
  } finally {
    await service.close();
  }
}
