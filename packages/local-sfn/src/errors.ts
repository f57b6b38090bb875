/** Step Functions API errors, named and shaped as AWS returns them over awsJson1_0; response helpers. */

export type SfnErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'ExecutionLimitExceeded'
  | 'ExecutionNotRedrivable'
  | 'InvalidArn'
  | 'InvalidDefinition'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidToken'
  | 'ResourceNotFound'
  | 'SerializationException'
  | 'StateMachineAlreadyExists'
  | 'StateMachineDeleting'
  | 'StateMachineDoesNotExist'
  | 'StateMachineTypeNotSupported'
  | 'UnknownOperationException'
  | 'ValidationException';

/** An API error: the HTTP status, AWS's error code and its message. */
export class SfnError extends Error {
  constructor(
    readonly code: SfnErrorCode,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

/** `1 validation error detected: Value null at 'field' failed to satisfy constraint: ...` */
export function validationError(field: string, value: unknown, constraint: string): SfnError {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  return new SfnError(
    'ValidationException',
    `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

/** Drops `undefined` members so responses carry only what is set. */
export function clean(o: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
