/**
 * Definition validation: asl-validator's checks, minus the ones where it is stricter than AWS
 * (JSONata literal Output/Condition values, any JSON value in Assign, payload templates), plus
 * our own structural checks so a definition that passes can run. Every message names the state
 * and the field.
 */
import { createRequire } from 'node:module';
import jsonata from 'jsonata';
import { jsonataExpression } from './jsonata-eval.js';
import type { StateDefinition, StateMachineDefinition } from './types.js';

export interface ValidationIssue {
  /** The state's name, when the issue is inside a state. */
  state?: string;
  /** The field, e.g. `Next` or `Choices[0].Condition`. */
  field?: string;
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  issues: ValidationIssue[];
}

interface AslError {
  'Error code'?: string;
  Message?: string;
  schemaError?: { instancePath?: string };
  path?: string;
}

type AslValidator = (definition: unknown, options?: unknown) => { isValid: boolean; errors: AslError[] };

let validator: AslValidator | undefined;

/**
 * asl-validator builds a new Ajv instance (and recompiles every schema, ~0.3 s) on each call.
 * While it runs, its `new Ajv()` gets one shared instance instead, so compiled schemas are
 * reused; the options are the same on every call, so the result is unchanged.
 */
function aslValidator(): AslValidator {
  if (validator) return validator;
  const require = createRequire(import.meta.url);
  const aslPath = require.resolve('asl-validator');
  const run = require(aslPath) as AslValidator;
  const aslRequire = createRequire(aslPath);
  const ajvModule = aslRequire('ajv') as { default: new (options: unknown) => unknown };
  const formatsModule = aslRequire('ajv-formats') as { default: (ajv: unknown) => unknown };
  const [ajvClass, addFormats] = [ajvModule.default, formatsModule.default];
  let shared: unknown;
  let formatsAdded = false;
  function SharedAjv(options: unknown) {
    shared ??= new ajvClass(options);
    return shared;
  }
  const addFormatsOnce = (ajv: unknown) => {
    if (!formatsAdded) addFormats(ajv);
    formatsAdded = true;
    return ajv;
  };
  validator = (definition, options) => {
    ajvModule.default = SharedAjv as unknown as typeof ajvClass;
    formatsModule.default = addFormatsOnce;
    try {
      return run(definition, options);
    } finally {
      ajvModule.default = ajvClass;
      formatsModule.default = addFormats;
    }
  };
  return validator;
}

/** AWS accepts any JSON value in Assign, in either query language. */
const LENIENT_ANY = new Set(['Assign']);

/** In JSONata states AWS accepts literals (not only `{% %}` strings) in these fields. */
const LENIENT_JSONATA = new Set([
  'Output',
  'Arguments',
  'ItemSelector',
  'Condition',
  'Items',
  'BatchInput',
  'ToleratedFailureCount',
  'ToleratedFailurePercentage',
  'MaxConcurrency',
  'Seconds',
  'Timestamp',
  'TimeoutSeconds',
  'HeartbeatSeconds',
  'Error',
  'Cause',
]);

/**
 * In either query language AWS accepts any number from 0 to 100 as ToleratedFailurePercentage
 * (asl-validator wants an integer).
 */
function lenientNumber(part: string, value: unknown): boolean {
  return part === 'ToleratedFailurePercentage' && typeof value === 'number' && value >= 0 && value <= 100;
}

interface StateInfo {
  language: string;
  state: StateDefinition;
}

/** Each state and its effective query language, by name (state names are unique in a machine). */
function statesByName(def: StateMachineDefinition, inherited: string, out = new Map<string, StateInfo>()) {
  if (!def || typeof def !== 'object' || !def.States || typeof def.States !== 'object') return out;
  for (const [name, st] of Object.entries(def.States)) {
    if (!st || typeof st !== 'object') continue;
    out.set(name, { language: st.QueryLanguage ?? inherited, state: st });
    for (const p of [st.ItemProcessor, st.Iterator, ...(Array.isArray(st.Branches) ? st.Branches : [])])
      if (p) statesByName(p as StateMachineDefinition, inherited, out);
  }
  return out;
}

/** `/States/A/ItemProcessor/States/B/Output/x` → state `B`, field `Output/x`. */
function locate(pointer: string): { state?: string; field?: string } {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let state: string | undefined;
  let fieldStart = 0;
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] === 'States') {
      state = parts[i + 1];
      fieldStart = i + 2;
      i++;
    }
  }
  const field = parts.slice(fieldStart).join('/') || undefined;
  return { state, field };
}

/** Every `{% %}` expression of a JSONata state must parse (AWS rejects the definition otherwise). */
function checkJsonata(name: string, st: StateDefinition, issues: ValidationIssue[]): void {
  const visit = (value: unknown, field: string): void => {
    if (typeof value === 'string') {
      const expr = jsonataExpression(value);
      if (expr === null) return;
      try {
        jsonata(expr);
      } catch (e) {
        issues.push({
          state: name,
          field,
          message: `State '${name}', field '${field}': the JSONata expression '${expr}' is invalid: ${(e as Error).message}`,
        });
      }
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${field}[${i}]`));
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value))
        if (k !== 'States' && k !== 'Branches') visit(v, field ? `${field}.${k}` : k);
  };
  for (const [k, v] of Object.entries(st))
    if (k !== 'ItemProcessor' && k !== 'Iterator' && k !== 'Branches') visit(v, k);
}

function structural(
  def: StateMachineDefinition,
  issues: ValidationIssue[],
  where = '',
  queryLanguage = 'JSONPath',
): void {
  if (typeof def !== 'object' || def === null) {
    issues.push({ message: 'The definition must be a JSON object' });
    return;
  }
  const states = def.States;
  if (typeof states !== 'object' || states === null || Array.isArray(states)) {
    issues.push({ field: `${where}States`, message: `${where}States must be an object of states` });
    return;
  }
  if (typeof def.StartAt !== 'string' || !(def.StartAt in states))
    issues.push({
      field: `${where}StartAt`,
      message: `${where}StartAt '${String(def.StartAt)}' is not a state of this scope`,
    });
  const target = (state: string, field: string, next: unknown) => {
    if (typeof next !== 'string' || !(next in states))
      issues.push({
        state,
        field,
        message: `State '${state}': ${field} '${String(next)}' is not a state of this scope`,
      });
  };
  for (const [name, raw] of Object.entries(states)) {
    const st = raw as StateDefinition;
    if (typeof st !== 'object' || st === null) {
      issues.push({ state: name, message: `State '${name}' must be an object` });
      continue;
    }
    const types = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'];
    if (!types.includes(st.Type)) {
      issues.push({
        state: name,
        field: 'Type',
        message: `State '${name}': Type '${String(st.Type)}' is not one of ${types.join(', ')}`,
      });
      continue;
    }
    if ((st.QueryLanguage ?? queryLanguage) === 'JSONata') checkJsonata(name, st, issues);
    if (st.Type === 'Choice') {
      if (!Array.isArray(st.Choices) || st.Choices.length === 0)
        issues.push({
          state: name,
          field: 'Choices',
          message: `State '${name}': Choices must be a non-empty array`,
        });
      else st.Choices.forEach((c, i) => target(name, `Choices[${i}].Next`, (c as { Next?: unknown }).Next));
      if (st.Default !== undefined) target(name, 'Default', st.Default);
    } else if (st.Type !== 'Succeed' && st.Type !== 'Fail') {
      if (st.End === true && st.Next !== undefined)
        issues.push({ state: name, field: 'Next', message: `State '${name}': has both Next and End` });
      else if (st.End !== true) target(name, 'Next', st.Next);
    }
    for (const [i, c] of (st.Catch ?? []).entries()) target(name, `Catch[${i}].Next`, c.Next);
    if (st.Type === 'Task' && typeof st.Resource !== 'string')
      issues.push({ state: name, field: 'Resource', message: `State '${name}': Resource must be a string` });
    if (st.Type === 'Parallel') {
      if (!Array.isArray(st.Branches) || st.Branches.length === 0)
        issues.push({
          state: name,
          field: 'Branches',
          message: `State '${name}': Branches must be a non-empty array`,
        });
      else
        st.Branches.forEach((b, i) =>
          structural(b as StateMachineDefinition, issues, `${where}${name}.Branches[${i}].`, queryLanguage),
        );
    }
    if (st.Type === 'Map') {
      const p = st.ItemProcessor ?? st.Iterator;
      if (!p)
        issues.push({
          state: name,
          field: 'ItemProcessor',
          message: `State '${name}': ItemProcessor is required`,
        });
      else
        structural(
          p as StateMachineDefinition,
          issues,
          `${where}${name}.${st.ItemProcessor ? 'ItemProcessor' : 'Iterator'}.`,
          queryLanguage,
        );
    }
  }
}

/** Validates a definition; never stricter than AWS on the cases listed in the README. */
export function validateDefinition(definition: unknown): ValidationResult {
  let def = definition;
  if (typeof def === 'string') {
    try {
      def = JSON.parse(def);
    } catch (e) {
      return {
        valid: false,
        issues: [{ message: `The definition is not valid JSON: ${(e as Error).message}` }],
      };
    }
  }
  const issues: ValidationIssue[] = [];
  structural(
    def as StateMachineDefinition,
    issues,
    '',
    (def as StateMachineDefinition)?.QueryLanguage ?? 'JSONPath',
  );
  if (issues.length > 0) return { valid: false, issues };
  const { errors } = aslValidator()(structuredClone(def), { checkPaths: true, checkArn: false });
  const lenientStates = new Set<string>();
  const top = def as StateMachineDefinition;
  const states = statesByName(top, top.QueryLanguage ?? 'JSONPath');
  const kept: { issue: ValidationIssue; pointer: string; typeEnum: boolean }[] = [];
  for (const e of errors ?? []) {
    const pointer = e.schemaError?.instancePath ?? '';
    const { state, field } = locate(pointer);
    const parts = field?.split('/') ?? [];
    const info = state === undefined ? undefined : states.get(state);
    const jsonataState = info?.language === 'JSONata';
    const lenient =
      parts.some((part) => LENIENT_ANY.has(part) || (jsonataState && LENIENT_JSONATA.has(part))) ||
      (parts.length === 1 &&
        info !== undefined &&
        lenientNumber(parts[0] ?? '', (info.state as unknown as Record<string, unknown>)[parts[0] ?? '']));
    if (state !== undefined && lenient) {
      lenientStates.add(state);
      continue;
    }
    const message = e.Message ?? JSON.stringify(e);
    kept.push({
      issue: {
        state,
        field,
        message: state ? `State '${state}'${field ? `, field '${field}'` : ''}: ${message}` : message,
      },
      pointer,
      typeEnum:
        field === 'Type' ||
        (field === 'QueryLanguage' &&
          (info?.state.QueryLanguage === undefined ||
            info.state.QueryLanguage === 'JSONPath' ||
            info.state.QueryLanguage === 'JSONata')),
    });
  }
  // A rejected field makes the schema also reject the state's Type and QueryLanguage (no state
  // schema matched).
  const remaining = kept.filter((k) => !(k.typeEnum && k.issue.state && lenientStates.has(k.issue.state)));
  return { valid: remaining.length === 0, issues: remaining.map((k) => k.issue) };
}

/** One line per issue, for command-line output. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => i.message).join('\n');
}
