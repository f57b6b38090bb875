/** Pieces shared by inline and distributed Map: items, ItemSelector, thresholds, a worker pool. */
import { queryError, runtimeError } from './errors.js';
import type { StateScope } from './interpreter.js';
import { evaluateJsonata, evaluateJsonataTemplate, jsonataExpression } from './jsonata-eval.js';
import { evaluateTemplate } from './payload.js';
import { resolvePathOrFail } from './references.js';
import { jsonType } from './values.js';

/** Runs the jobs of an iterator with at most `limit` in flight; the first failure stops the rest. */
export async function pool<T>(
  source: AsyncIterator<T> | Iterator<T>,
  limit: number,
  run: (item: T, index: number) => Promise<void>,
  signal: AbortSignal,
): Promise<number> {
  let index = 0;
  let failure: unknown;
  let exhausted = false;
  const worker = async () => {
    while (!exhausted && failure === undefined && !signal.aborted) {
      const next = await source.next();
      if (next.done) {
        exhausted = true;
        return;
      }
      const i = index++;
      try {
        await run(next.value, i);
      } catch (e) {
        if (failure === undefined) failure = e;
        return;
      }
    }
  };
  const workers: Promise<void>[] = [];
  for (let w = 0; w < Math.max(1, limit); w++) workers.push(worker());
  await Promise.all(workers);
  if (failure !== undefined) throw failure;
  return index;
}

/** The items of a Map without ItemReader: ItemsPath/Items, or the input itself. */
export async function itemsOf(s: StateScope, effective: unknown): Promise<unknown[]> {
  const st = s.state;
  if (s.jsonata) {
    if (st.Items === undefined) {
      if (!Array.isArray(s.rawInput))
        throw queryError(`Map state input must be an array but was: ${JSON.stringify(s.rawInput)}`);
      return s.rawInput;
    }
    const expr = jsonataExpression(st.Items);
    const v =
      expr !== null
        ? await evaluateJsonata(expr, s.bindings(), 'Items')
        : await s.jsonataTemplate(st.Items, 'Items');
    if (!Array.isArray(v))
      throw queryError(
        `The JSONata expression '${expr ?? JSON.stringify(st.Items)}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${jsonType(v)}' for value: ${JSON.stringify(v)}`,
      );
    return v;
  }
  const v = st.ItemsPath === undefined ? effective : resolvePathOrFail(st.ItemsPath, s.data(effective));
  if (!Array.isArray(v))
    throw runtimeError(
      `Map state input must be an array but was: ${JSON.stringify(v)}${st.ItemsPath ? ` (ItemsPath ${st.ItemsPath})` : ''}`,
    );
  return v;
}

/** ItemSelector (or the legacy Parameters) for one item, with `$$.Map.Item` set. */
export async function selectItem(
  s: StateScope,
  effective: unknown,
  value: unknown,
  index: number,
): Promise<unknown> {
  const st = s.state;
  const selector = st.ItemSelector ?? (s.jsonata ? undefined : st.Parameters);
  if (selector === undefined) return value;
  const context = { ...s.context, Map: { Item: { Index: index, Value: value } } };
  if (s.jsonata) {
    const b = s.bindings();
    b.states.context = context;
    return evaluateJsonataTemplate(selector, b, 'ItemSelector');
  }
  return evaluateTemplate(selector, { data: effective, context, variables: s.frame.variables });
}

/** ToleratedFailureCount/Percentage (and their Path forms), validated as AWS does. */
export async function toleratedThresholds(
  s: StateScope,
  data: unknown,
): Promise<{ count?: number; percentage?: number }> {
  const st = s.state;
  const count = await s.integerField(
    'ToleratedFailureCount',
    st.ToleratedFailureCount,
    st.ToleratedFailureCountPath,
    data,
    true,
  );
  if (count !== undefined && count < 0) throw runtimeError('ToleratedFailureCount cannot be negative.');
  let percentage: number | undefined;
  if (st.ToleratedFailurePercentagePath !== undefined) {
    const v = resolvePathOrFail(st.ToleratedFailurePercentagePath, s.data(data));
    if (typeof v !== 'number')
      throw runtimeError(
        `The ToleratedFailurePercentagePath field refers to value ${JSON.stringify(v)} which is not a valid number: ${st.ToleratedFailurePercentagePath}`,
      );
    percentage = v;
  } else if (st.ToleratedFailurePercentage !== undefined) {
    const expr = jsonataExpression(st.ToleratedFailurePercentage);
    const v =
      expr !== null
        ? await evaluateJsonata(expr, s.bindings(), 'ToleratedFailurePercentage')
        : st.ToleratedFailurePercentage;
    if (typeof v !== 'number') throw runtimeError('ToleratedFailurePercentage must be a number.');
    percentage = v;
  }
  if (percentage !== undefined && (percentage < 0 || percentage > 100))
    throw runtimeError('ToleratedFailurePercentage must be between 0 and 100.');
  return { count, percentage };
}
