/**
 * The subset of Amazon States Language (JSONata query language) the logflow workflows use,
 * typed so that a misspelt field fails the type check instead of the deployment.
 */

/** A JSONata expression as ASL embeds it: `{% ... %}`. */
export type JsonataString = `{%${string}%}`;

/** Any JSON value; strings of the form `{% ... %}` are evaluated as JSONata. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
}

interface StateBase {
  Comment?: string;
  QueryLanguage?: 'JSONata' | 'JSONPath';
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
}

/** Either `Next` or `End: true`. */
type Transition = { Next: string; End?: never } | { End: true; Next?: never };

export type PassState = StateBase & Transition & { Type: 'Pass' };

export type TaskState = StateBase &
  Transition & {
    Type: 'Task';
    Resource: string;
    Arguments?: JsonValue;
    TimeoutSeconds?: number;
    Retry?: Retrier[];
    Catch?: Catcher[];
  };

export interface ItemProcessor {
  ProcessorConfig?: { Mode: 'INLINE' } | { Mode: 'DISTRIBUTED'; ExecutionType: ChildExecutionType };
  StartAt: string;
  States: Record<string, State>;
}

export type ChildExecutionType = 'EXPRESS' | 'STANDARD';

export type MapState = StateBase &
  Transition & {
    Type: 'Map';
    Items?: JsonValue;
    ItemReader?: { Resource: string; Arguments?: JsonValue; ReaderConfig?: { MaxItems?: number } };
    ItemSelector?: JsonValue;
    ItemBatcher?: { MaxItemsPerBatch?: number; MaxInputBytesPerBatch?: number; BatchInput?: JsonValue };
    ItemProcessor: ItemProcessor;
    MaxConcurrency?: number;
    ToleratedFailurePercentage?: number;
    ResultWriter?: { Resource: string; Arguments?: JsonValue };
    Label?: string;
    Retry?: Retrier[];
    Catch?: Catcher[];
  };

export type ChoiceRule = {
  Condition: JsonataString;
  Next: string;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
};

export type ChoiceState = StateBase & {
  Type: 'Choice';
  Choices: ChoiceRule[];
  Default?: string;
};

export type State = PassState | TaskState | MapState | ChoiceState;

export interface StateMachineDefinition {
  Comment?: string;
  QueryLanguage: 'JSONata';
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, State>;
}

/** Wraps a JSONata expression for embedding in a definition. */
export function jsonata(expression: string): JsonataString {
  return `{% ${expression} %}`;
}

/** The definition as Step Functions and Terraform take it: stable, readable JSON. */
export function toJson(definition: StateMachineDefinition): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}
