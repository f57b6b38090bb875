/**
 * JSONata in Step Functions: `{% expr %}` strings, the `$states` binding, workflow variables as
 * bindings, and the functions AWS adds ($partition, $range, $hash, $random, $uuid, $parse).
 */
import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import { queryError } from './errors.js';
import { HASH_ALGORITHMS } from './hash-algorithms.js';
import { isPlainObject } from './values.js';

type Expression = ReturnType<typeof jsonata>;

const cache = new Map<string, Expression>();

function fnError(message: string): Error {
  return Object.assign(new Error(message), { code: 'States.QueryEvaluationError' });
}

function registerAwsFunctions(e: Expression): void {
  e.registerFunction(
    'partition',
    (arr: unknown, size: unknown) => {
      if (!Array.isArray(arr)) throw fnError('$partition: the first argument must be an array');
      if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0)
        throw fnError('$partition: the chunk size must be a positive integer');
      const out: unknown[][] = [];
      for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
      return out;
    },
    '<an:a>',
  );
  e.registerFunction(
    'range',
    (start: number, end: number, step: number) => {
      if (![start, end, step].every(Number.isInteger))
        throw fnError('$range: the arguments must be integers');
      if (step === 0) throw fnError('$range: the step must not be 0');
      const out: number[] = [];
      if (step > 0) for (let v = start; v <= end; v += step) out.push(v);
      else for (let v = start; v >= end; v += step) out.push(v);
      if (out.length > 1000) throw fnError('$range: the result has more than 1000 items');
      // JSONata collapses a one-item sequence to the item, and AWS's $range does too.
      return out.length === 1 ? out[0] : out;
    },
    '<nnn:x>',
  );
  e.registerFunction(
    'hash',
    (data: unknown, algorithm: string) => {
      const algo = HASH_ALGORITHMS[algorithm];
      if (!algo) throw fnError(`$hash: unsupported algorithm '${algorithm}'`);
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      return createHash(algo).update(text, 'utf8').digest('hex');
    },
    '<xs:s>',
  );
  e.registerFunction(
    'random',
    (seed?: number) => {
      if (seed === undefined) return Math.random();
      let x = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
      x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
      x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
      return ((x ^ (x >>> 16)) >>> 0) / 0x100000000;
    },
    '<n?:n>',
  );
  e.registerFunction('uuid', () => randomUUID(), '<:s>');
  // AWS excludes $eval from its JSONata build.
  e.registerFunction('eval', () => {
    throw Object.assign(new Error('Attempted to invoke a non-function'), { code: 'T1006' });
  });
  e.registerFunction(
    'parse',
    (text: string) => {
      try {
        return JSON.parse(text);
      } catch {
        throw fnError(`$parse: the argument is not valid JSON: ${text}`);
      }
    },
    '<s:x>',
  );
}

/** Returns the expression inside `{% %}`, or null when the string is a plain literal. */
export function jsonataExpression(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (value.length >= 4 && value.startsWith('{%') && value.endsWith('%}')) return value.slice(2, -2).trim();
  return null;
}

export function compileJsonata(expr: string): Expression {
  let e = cache.get(expr);
  if (!e) {
    try {
      e = jsonata(expr);
    } catch (err) {
      throw queryError(`The JSONata expression '${expr}' is invalid: ${(err as Error).message}`);
    }
    registerAwsFunctions(e);
    if (cache.size > 5000) cache.clear();
    cache.set(expr, e);
  }
  return e;
}

/** `$states` and the visible variables, as JSONata bindings. */
export interface JsonataBindings {
  states: {
    input: unknown;
    context: unknown;
    result?: unknown;
    errorOutput?: unknown;
  };
  variables: Record<string, unknown>;
}

/**
 * A JSONata function value: a lambda (`function($x){...}`, an object holding its closure, which
 * may refer back to itself), a built-in (`$string`) or a JavaScript function.
 */
function isFunctionValue(v: unknown): boolean {
  if (typeof v === 'function') return true;
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return o._jsonata_lambda === true || o._jsonata_function === true;
}

/** Plain JSON from a JSONata result (drops sequence flags and functions). */
function toJson(v: unknown): unknown {
  if (isFunctionValue(v)) return undefined;
  if (v === undefined || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.filter((x) => !isFunctionValue(x)).map((x) => toJson(x) ?? null);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const j = toJson(x);
    if (j !== undefined) out[k] = j;
  }
  return out;
}

export async function evaluateJsonata(expr: string, b: JsonataBindings, field: string): Promise<unknown> {
  const e = compileJsonata(expr);
  let result: unknown;
  try {
    result = await e.evaluate(b.states.input, { ...b.variables, states: b.states });
  } catch (err) {
    // AWS: "... threw an error during evaluation. T0410: <message>" (": <message>" when uncoded).
    const { code, message } = err as { code?: unknown; message?: string };
    const tail =
      typeof code === 'string' && /^[A-Z]\d{4}$/.test(code) ? `. ${code}: ${message}` : `: ${message}`;
    throw queryError(
      `The JSONata expression '${expr}' specified for the field '${field}' threw an error during evaluation${tail}`,
    );
  }
  if (result === undefined)
    throw queryError(
      `The JSONata expression '${expr}' specified for the field '${field}' returned nothing (undefined).`,
    );
  if (isFunctionValue(result))
    throw queryError(
      `The JSONata expression '${expr}' for the field '${field}' returned an unsupported result type.`,
    );
  return toJson(result);
}

/** Evaluates every `{% %}` string inside a JSON template (Output, Arguments, Assign, ...). */
export async function evaluateJsonataTemplate(
  template: unknown,
  b: JsonataBindings,
  field: string,
): Promise<unknown> {
  const expr = jsonataExpression(template);
  if (expr !== null) return evaluateJsonata(expr, b, field);
  if (Array.isArray(template)) {
    const out: unknown[] = [];
    for (let i = 0; i < template.length; i++)
      out.push(await evaluateJsonataTemplate(template[i], b, `${field}[${i}]`));
    return out;
  }
  if (isPlainObject(template)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(template))
      out[k] = await evaluateJsonataTemplate(v, b, `${field}/${k}`);
    return out;
  }
  return template;
}

/** Whether a template holds any `{% %}` expression (lets callers skip async work). */
export function hasJsonata(template: unknown): boolean {
  if (typeof template === 'string') return jsonataExpression(template) !== null;
  if (Array.isArray(template)) return template.some(hasJsonata);
  if (isPlainObject(template)) return Object.values(template).some(hasJsonata);
  return false;
}
