/**
 * TestState: one state run on its own with the given input (and variables), reporting its
 * output, error, and the state it would go to next.
 */
import { runExecution, validateDefinition, type StateDefinition } from '@logflow/asl-runtime';
import type { Clock } from '@logflow/shared-types';
import { clean, SfnError, validationError } from './errors.js';
import type { ServiceIntegrations } from './service.js';

type Output = Record<string, unknown>;

/** The states a state can go to: Next, Default, the Choices' and the Catchers' Next. */
function targets(st: StateDefinition): string[] {
  const out = new Set<string>();
  if (st.Next) out.add(st.Next);
  if (st.Default) out.add(st.Default);
  for (const c of st.Choices ?? []) if (typeof c.Next === 'string') out.add(c.Next);
  for (const c of st.Catch ?? []) out.add(c.Next);
  return [...out];
}

const NAME = 'TestState';
const FAILURES = new Set(['TaskFailed', 'TaskTimedOut', 'MapStateFailed', 'ParallelStateFailed']);

export async function testState(
  input: Output,
  integrations: ServiceIntegrations,
  clock: Clock,
): Promise<Output> {
  if (typeof input.definition !== 'string')
    throw validationError('definition', input.definition, 'Member must not be null');
  let st: StateDefinition;
  try {
    st = JSON.parse(input.definition) as StateDefinition;
  } catch (e) {
    throw new SfnError('InvalidDefinition', `Invalid State Machine Definition: '${(e as Error).message}'`);
  }
  let variables: Record<string, unknown> | undefined;
  let stateInput: unknown = {};
  try {
    stateInput = typeof input.input === 'string' ? JSON.parse(input.input) : {};
    if (typeof input.variables === 'string')
      variables = JSON.parse(input.variables) as Record<string, unknown>;
  } catch (e) {
    throw new SfnError('InvalidExecutionInput', `Invalid input: '${(e as Error).message}'`);
  }
  // The state alone, with each state it may go to as a Succeed state; retries are reported, not run.
  const { Retry: retriers, ...state } = st;
  const definition = {
    StartAt: NAME,
    States: {
      [NAME]: state as StateDefinition,
      ...Object.fromEntries(targets(st).map((t) => [t, { Type: 'Succeed' as const }])),
    },
  };
  const check = validateDefinition(definition);
  if (!check.valid)
    throw new SfnError(
      'InvalidDefinition',
      `Invalid State Machine Definition: '${check.issues.map((i) => i.message).join(', ')}'`,
    );
  const result = await runExecution(definition, stateInput, {
    ...integrations,
    noWait: true,
    clock,
    // Variables given to the test are in scope as if assigned by earlier states.
    ...(variables
      ? {
          redrive: {
            startAt: NAME,
            stateInput,
            variables,
            lastEventId: 0,
            redriveCount: 0,
            startDate: clock(),
          },
        }
      : {}),
  });
  const entered = result.history.filter((e) => e.type.endsWith('StateEntered'));
  const next = entered[1] ? (entered[1].stateEnteredEventDetails as { name: string }).name : undefined;
  if (result.status === 'SUCCEEDED') {
    const failure = result.history.find((e) => FAILURES.has(e.type));
    const details = failure
      ? (Object.values(failure).find((v) => v && typeof v === 'object' && 'error' in v) as Output | undefined)
      : undefined;
    return clean({
      status: failure ? 'CAUGHT_ERROR' : 'SUCCEEDED',
      output: JSON.stringify(result.output ?? null),
      nextState: next,
      error: details?.error,
      cause: details?.cause,
    });
  }
  const retriable = (retriers ?? []).some(
    (r) =>
      r.ErrorEquals.includes(result.error ?? '') ||
      (r.ErrorEquals.includes('States.ALL') && result.error !== 'States.Runtime'),
  );
  return clean({ status: retriable ? 'RETRIABLE' : 'FAILED', error: result.error, cause: result.cause });
}
