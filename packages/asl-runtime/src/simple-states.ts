/** Pass, Succeed, Fail, Choice and Wait, in both query languages. */
import { evaluateRule, type ChoiceRule } from './choice.js';
import { queryError, runtimeError, StatesError } from './errors.js';
import { nextOf, registerStateHandler, sleep } from './interpreter.js';
import { evaluateIntrinsic, isIntrinsic } from './intrinsics.js';
import { evaluateJsonata, jsonataExpression } from './jsonata-eval.js';
import { resolvePathOrFail } from './references.js';
import { timestampMillis } from './timestamps.js';
import { jsonType } from './values.js';

registerStateHandler('Pass', async (s) => {
  const st = s.state;
  if (s.jsonata) {
    const output = st.Output === undefined ? s.rawInput : await s.jsonataTemplate(st.Output, 'Output');
    const assign = st.Assign
      ? ((await s.jsonataTemplate(st.Assign, 'Assign')) as Record<string, unknown>)
      : undefined;
    return { output, next: nextOf(st), assign };
  }
  let effective = s.inputPath();
  if (st.Parameters !== undefined) effective = s.template(st.Parameters, effective);
  const result = 'Result' in st ? st.Result : effective;
  const assign = s.assignJsonPath(st.Assign, result);
  const output = s.outputPath(s.resultPath(result));
  return { output, next: nextOf(st), assign };
});

registerStateHandler('Succeed', async (s) => {
  const st = s.state;
  if (s.jsonata) {
    const output = st.Output === undefined ? s.rawInput : await s.jsonataTemplate(st.Output, 'Output');
    return { output };
  }
  return { output: s.outputPath(s.inputPath()) };
});

registerStateHandler('Fail', async (s) => {
  const st = s.state;
  let error: unknown = st.Error;
  let cause: unknown = st.Cause;
  if (s.jsonata) {
    if (jsonataExpression(error) !== null) error = await s.jsonataTemplate(error, 'Error');
    if (jsonataExpression(cause) !== null) cause = await s.jsonataTemplate(cause, 'Cause');
  } else {
    const data = s.rawInput;
    const dyn = (path: string) =>
      isIntrinsic(path) ? evaluateIntrinsic(path, s.data(data)) : resolvePathOrFail(path, s.data(data));
    if (st.ErrorPath !== undefined) error = dyn(st.ErrorPath);
    if (st.CausePath !== undefined) cause = dyn(st.CausePath);
  }
  if (error !== undefined && typeof error !== 'string')
    throw runtimeError(`The Error field must resolve to a string, but was: ${JSON.stringify(error)}`);
  if (cause !== undefined && typeof cause !== 'string')
    throw runtimeError(`The Cause field must resolve to a string, but was: ${JSON.stringify(cause)}`);
  throw new StatesError((error as string | undefined) ?? '', cause as string | undefined);
});

// A matched rule uses only its own Output/Assign; the state-level ones belong to Default.
registerStateHandler('Choice', async (s) => {
  const st = s.state;
  const rules = st.Choices ?? [];
  if (s.jsonata) {
    const b = s.bindings();
    for (const [i, rule] of rules.entries()) {
      const cond = rule.Condition;
      const expr = jsonataExpression(cond);
      const field = `Choices[${i}]/Condition`;
      const v = expr === null ? cond : await evaluateJsonata(expr, b, field);
      if (typeof v !== 'boolean')
        throw queryError(
          `The JSONata expression '${expr ?? JSON.stringify(cond)}' specified for the field '${field}' returned an unexpected result type. Expected 'boolean', but was '${jsonType(v)}' for value: ${JSON.stringify(v)}`,
        );
      if (v) {
        const output =
          rule.Output === undefined
            ? s.rawInput
            : await s.jsonataTemplate(rule.Output, `Choices[${i}]/Output`);
        const assign = rule.Assign
          ? ((await s.jsonataTemplate(rule.Assign, `Choices[${i}]/Assign`)) as Record<string, unknown>)
          : undefined;
        return { output, next: rule.Next as string, assign };
      }
    }
    if (st.Default === undefined)
      throw runtimeError('No Choice Rule matched and no Default state was specified.');
    const output = st.Output === undefined ? s.rawInput : await s.jsonataTemplate(st.Output, 'Output');
    const assign = st.Assign
      ? ((await s.jsonataTemplate(st.Assign, 'Assign')) as Record<string, unknown>)
      : undefined;
    return { output, next: st.Default, assign };
  }
  const effective = s.inputPath();
  const data = s.data(effective);
  for (const rule of rules) {
    if (evaluateRule(rule as ChoiceRule, data)) {
      const assign = s.assignJsonPath(rule.Assign as Record<string, unknown> | undefined, effective);
      return { output: s.outputPath(effective), next: rule.Next as string, assign };
    }
  }
  if (st.Default === undefined)
    throw runtimeError('No Choice Rule matched and no Default state was specified.');
  return {
    output: s.outputPath(effective),
    next: st.Default,
    assign: s.assignJsonPath(st.Assign, effective),
  };
});

function describe(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

registerStateHandler('Wait', async (s) => {
  const st = s.state;
  let untilMs: number | undefined;
  let seconds: number | undefined;
  let output: unknown;
  let assign: Record<string, unknown> | undefined;
  if (s.jsonata) {
    if (st.Seconds !== undefined) {
      const expr = jsonataExpression(st.Seconds);
      const v = expr === null ? st.Seconds : await evaluateJsonata(expr, s.bindings(), 'Seconds');
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
        throw queryError(
          `The JSONata expression '${expr ?? describe(st.Seconds)}' specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', but was '${jsonType(v)}' for value: ${JSON.stringify(v)}`,
        );
      seconds = v;
    } else if (st.Timestamp !== undefined) {
      const expr = jsonataExpression(st.Timestamp);
      const v = expr === null ? st.Timestamp : await evaluateJsonata(expr, s.bindings(), 'Timestamp');
      const ms = typeof v === 'string' ? timestampMillis(v) : null;
      if (ms === null)
        throw queryError(
          `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${describe(v)}`,
        );
      untilMs = ms;
    }
    output = st.Output === undefined ? s.rawInput : await s.jsonataTemplate(st.Output, 'Output');
    assign = st.Assign
      ? ((await s.jsonataTemplate(st.Assign, 'Assign')) as Record<string, unknown>)
      : undefined;
  } else {
    const effective = s.inputPath();
    if (st.Seconds !== undefined) seconds = Number(st.Seconds);
    else if (st.SecondsPath !== undefined) {
      const v = resolvePathOrFail(st.SecondsPath, s.data(effective));
      if (typeof v !== 'number' || !Number.isInteger(v))
        throw runtimeError(
          `The SecondsPath parameter cannot be parsed as a long value: ${st.SecondsPath} == ${describe(v)}`,
        );
      if (v < 0)
        throw runtimeError(
          `The SecondsPath parameter references a negative value: ${st.SecondsPath} == ${describe(v)}`,
        );
      seconds = v;
    } else if (st.Timestamp !== undefined) {
      const ms = timestampMillis(st.Timestamp);
      if (ms === null)
        throw runtimeError(
          `The Timestamp field is not a valid ISO-8601 extended offset date-time format string: ${st.Timestamp}`,
        );
      untilMs = ms;
    } else if (st.TimestampPath !== undefined) {
      const v = resolvePathOrFail(st.TimestampPath, s.data(effective));
      const ms = typeof v === 'string' ? timestampMillis(v) : null;
      if (ms === null)
        throw runtimeError(
          `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${st.TimestampPath} == ${describe(v)}`,
        );
      untilMs = ms;
    }
    output = s.outputPath(effective);
    assign = s.assignJsonPath(st.Assign, effective);
  }
  if (!s.frame.rt.noWait) {
    const ms =
      seconds !== undefined
        ? seconds * 1000
        : untilMs !== undefined
          ? untilMs - s.frame.rt.clock().getTime()
          : 0;
    await sleep(ms, s.frame.signal);
  }
  return { output, next: nextOf(st), assign };
});
