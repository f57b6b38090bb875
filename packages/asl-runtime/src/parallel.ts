/** The Parallel state: every branch gets the same input; the result is the array of outputs. */
import { StatesError } from './errors.js';
import {
  AbortedError,
  finishWithResult,
  registerStateHandler,
  runStates,
  scopeController,
  type Frame,
} from './interpreter.js';

registerStateHandler('Parallel', async (s) => {
  const st = s.state;
  const frame = s.frame;
  let input: unknown;
  if (s.jsonata)
    input = st.Arguments === undefined ? s.rawInput : await s.jsonataTemplate(st.Arguments, 'Arguments');
  else {
    const effective = s.inputPath();
    input = st.Parameters === undefined ? effective : s.template(st.Parameters, effective);
  }
  const h = frame.rt.history;
  frame.prev = h.record('ParallelStateStarted', frame.prev);
  const startedId = frame.prev;
  const controller = scopeController();
  const onAbort = () => controller.abort();
  frame.signal.addEventListener('abort', onAbort, { once: true });
  const branches = st.Branches ?? [];
  let firstError: unknown;
  try {
    const results = await Promise.all(
      branches.map(async (branch) => {
        const child: Frame = {
          rt: frame.rt,
          variables: frame.variables.child(),
          queryLanguage: branch.QueryLanguage ?? frame.queryLanguage,
          signal: controller.signal,
          prev: startedId,
        };
        try {
          return await runStates(branch, input, child);
        } catch (e) {
          if (firstError === undefined && !(e instanceof AbortedError)) {
            firstError = e;
            controller.abort();
          }
          throw e;
        }
      }),
    );
    frame.prev = h.record('ParallelStateSucceeded', frame.prev);
    return await finishWithResult(s, results);
  } catch (e) {
    if (frame.signal.aborted) throw new AbortedError();
    const err = firstError ?? e;
    frame.prev = h.record('ParallelStateFailed', frame.prev, () =>
      err instanceof StatesError ? { error: err.error, cause: err.cause } : undefined,
    );
    throw err;
  } finally {
    frame.signal.removeEventListener('abort', onAbort);
  }
});
