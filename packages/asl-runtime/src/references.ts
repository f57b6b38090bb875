/**
 * Resolving the references a JSONPath state may use: `$...` (the input or current data),
 * `$$...` (the context object) and `$name...` (a workflow variable).
 */
import { runtimeError } from './errors.js';
import { PathNotFoundError, compilePath, InvalidPathError } from './json-path.js';
import type { VariableScope } from './variables.js';

export interface DataScope {
  /** What `$` refers to. */
  data: unknown;
  /** The context object (`$$`). */
  context: unknown;
  variables: VariableScope;
}

const VAR_REF = /^\$([A-Za-z_][A-Za-z0-9_]*)(.*)$/s;

/** Splits `$name.rest` into the variable name and the `$rest` path; null for `$`/`$$` paths. */
export function variableReference(path: string): { name: string; rest: string } | null {
  if (path.startsWith('$$') || path.startsWith('$.') || path.startsWith('$[') || path === '$') return null;
  const m = VAR_REF.exec(path);
  if (!m) return null;
  return { name: m[1] as string, rest: `$${m[2] ?? ''}` };
}

/**
 * Evaluates a path; throws PathNotFoundError (with Jayway's message) when a definite path
 * finds nothing.
 */
export function resolvePath(path: string, scope: DataScope): unknown {
  if (path.startsWith('$$')) return compilePath(path.slice(1)).evaluate(scope.context);
  const v = variableReference(path);
  if (v) {
    if (!scope.variables.has(v.name)) throw new PathNotFoundError(`Variable '${v.name}' is not defined`);
    return compilePath(v.rest).evaluate(scope.variables.get(v.name));
  }
  return compilePath(path).evaluate(scope.data);
}

/** resolvePath with AWS's `Invalid path` States.Runtime error on failure. */
export function resolvePathOrFail(path: string, scope: DataScope): unknown {
  try {
    return resolvePath(path, scope);
  } catch (e) {
    if (e instanceof PathNotFoundError || e instanceof InvalidPathError)
      throw runtimeError(`Invalid path '${path}' : ${e.message}`);
    throw e;
  }
}
