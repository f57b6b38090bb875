/**
 * JSONPath payload templates (Parameters, ResultSelector, ItemSelector, Assign): keys ending
 * in `.$` take their value from a path, a context path, a variable or an intrinsic function.
 */
import { runtimeError } from './errors.js';
import { evaluateIntrinsic, isIntrinsic } from './intrinsics.js';
import { resolvePathOrFail, type DataScope } from './references.js';
import { isPlainObject } from './values.js';

/** Evaluates one `.$` value: a path or an intrinsic call. */
export function evaluateDynamic(key: string, expr: unknown, scope: DataScope): unknown {
  if (typeof expr !== 'string')
    throw runtimeError(
      `The value for the field '${key}' must be a STRING that contains a JSONPath or an intrinsic function`,
    );
  if (isIntrinsic(expr)) return evaluateIntrinsic(expr, scope);
  if (expr.startsWith('$')) return resolvePathOrFail(expr, scope);
  throw runtimeError(
    `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`,
  );
}

export function evaluateTemplate(template: unknown, scope: DataScope): unknown {
  if (Array.isArray(template)) return template.map((t) => evaluateTemplate(t, scope));
  if (!isPlainObject(template)) return template;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(template)) {
    const value = template[key];
    if (key.endsWith('.$')) out[key.slice(0, -2)] = evaluateDynamic(key, value, scope);
    else out[key] = evaluateTemplate(value, scope);
  }
  return out;
}
