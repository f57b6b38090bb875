/**
 * CloudWatch errors as the service sends them over awsJson1_0 (query compatible): the JSON
 * body names the exception shape in `__type`, the `x-amzn-query-error` header carries the
 * classic query error code, e.g. `InvalidParameterValue;Sender`.
 */
export type CloudWatchErrorCode =
  | 'InvalidParameterValue'
  | 'InvalidParameterCombination'
  | 'MissingParameter'
  | 'InvalidNextToken'
  | 'InvalidAction'
  | 'InvalidQueryParameter'
  | 'RequestEntityTooLarge'
  | 'SerializationException'
  | 'InternalServiceError';

/** Exception shape names of the CloudWatch model, by query error code. */
const SHAPES: Record<CloudWatchErrorCode, string> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  MissingParameter: 'MissingRequiredParameterException',
  InvalidNextToken: 'InvalidNextToken',
  InvalidAction: 'InvalidAction',
  InvalidQueryParameter: 'InvalidQueryParameter',
  RequestEntityTooLarge: 'RequestEntityTooLarge',
  SerializationException: 'SerializationException',
  InternalServiceError: 'InternalServiceFault',
};

export class CloudWatchError extends Error {
  readonly status: number;
  constructor(
    readonly code: CloudWatchErrorCode,
    message: string,
  ) {
    super(message);
    this.name = SHAPES[code];
    this.status = code === 'InternalServiceError' ? 500 : code === 'RequestEntityTooLarge' ? 413 : 400;
  }

  /** The awsJson error body. */
  get body(): { __type: string; message: string } {
    const prefix =
      this.code === 'SerializationException' ? 'com.amazon.coral.service#' : 'com.amazonaws.cloudwatch#';
    return { __type: `${prefix}${SHAPES[this.code]}`, message: this.message };
  }

  get queryErrorHeader(): string {
    return `${this.code};${this.status >= 500 ? 'Receiver' : 'Sender'}`;
  }
}

export const invalidValue = (value: unknown, parameter: string, why = ''): CloudWatchError =>
  new CloudWatchError(
    'InvalidParameterValue',
    `The value ${typeof value === 'string' ? value : JSON.stringify(value)} for parameter ${parameter} is invalid.${why ? ` ${why}` : ''}`,
  );

export const missing = (parameter: string): CloudWatchError =>
  new CloudWatchError('MissingParameter', `The parameter ${parameter} is required.`);
