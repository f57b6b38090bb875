/**
 * The Map state. Inline mode runs each item through the ItemProcessor inside this execution
 * (at most 40 at a time); distributed mode is in distributed-map.ts.
 */
import { runtimeError } from './errors.js';
import {
  AbortedError,
  finishWithResult,
  registerStateHandler,
  runStates,
  scopeController,
  type Frame,
  type StateScope,
} from './interpreter.js';
import { runDistributed } from './distributed-map.js';
import { itemsOf, pool, selectItem, toleratedThresholds } from './map-items.js';
import type { ProcessorDefinition } from './types.js';

registerStateHandler('Map', async (s) => {
  const st = s.state;
  const processor = st.ItemProcessor ?? st.Iterator;
  if (!processor) throw runtimeError('The Map state has no ItemProcessor');
  const effective = s.jsonata ? s.rawInput : s.inputPath();
  const maxConcurrency =
    (await s.integerField('MaxConcurrency', st.MaxConcurrency, st.MaxConcurrencyPath, effective, true)) ?? 0;
  if (maxConcurrency < 0) throw runtimeError('MaxConcurrency cannot be negative.');
  const tolerated = await toleratedThresholds(s, effective);
  const distributed = processor.ProcessorConfig?.Mode === 'DISTRIBUTED';
  const result = distributed
    ? await runDistributed(s, processor, effective, maxConcurrency, tolerated)
    : await runInline(s, processor, effective, maxConcurrency);
  return finishWithResult(s, result);
});

/** Step Functions runs at most 40 inline Map iterations at a time. */
const INLINE_CONCURRENCY = 40;

async function runInline(
  s: StateScope,
  processor: ProcessorDefinition,
  effective: unknown,
  maxConcurrency: number,
): Promise<unknown[]> {
  const frame = s.frame;
  const h = frame.rt.history;
  const items = await itemsOf(s, effective);
  frame.prev = h.record('MapStateStarted', frame.prev, () => ({ length: items.length }));
  const startedId = frame.prev;
  const controller = scopeController();
  const onAbort = () => controller.abort();
  frame.signal.addEventListener('abort', onAbort, { once: true });
  const results: unknown[] = new Array(items.length);
  try {
    await pool(
      items.entries(),
      Math.min(maxConcurrency === 0 ? INLINE_CONCURRENCY : maxConcurrency, INLINE_CONCURRENCY),
      async ([index, value]) => {
        const input = await selectItem(s, effective, value, index);
        const child: Frame = {
          rt: frame.rt,
          variables: frame.variables.child(),
          queryLanguage: processor.QueryLanguage ?? frame.queryLanguage,
          signal: controller.signal,
          prev: startedId,
        };
        child.prev = h.record('MapIterationStarted', startedId, () => ({ name: s.name, index }));
        try {
          results[index] = await runStates(processor, input, child);
        } catch (e) {
          if (!(e instanceof AbortedError)) {
            h.record('MapIterationFailed', child.prev, () => ({ name: s.name, index }));
            controller.abort();
          } else h.record('MapIterationAborted', child.prev, () => ({ name: s.name, index }));
          throw e;
        }
        h.record('MapIterationSucceeded', child.prev, () => ({ name: s.name, index }));
      },
      controller.signal,
    );
  } catch (e) {
    if (frame.signal.aborted) throw new AbortedError();
    frame.prev = h.record('MapStateFailed', frame.prev);
    throw e;
  } finally {
    frame.signal.removeEventListener('abort', onAbort);
  }
  if (frame.signal.aborted) throw new AbortedError();
  frame.prev = h.record('MapStateSucceeded', frame.prev);
  return results;
}
