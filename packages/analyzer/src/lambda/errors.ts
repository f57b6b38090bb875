/**
 * Errors of the AnalyzeLogData handler. `name` is the class name: Lambda reports it as the
 * error type, which the state machine's Retry and Catch match on.
 */

/** The listed object is gone (S3 `NoSuchKey` / 404). Not retryable. */
export class LogObjectNotFoundError extends Error {
  override readonly name = 'LogObjectNotFoundError';

  constructor(
    readonly bucket: string,
    readonly key: string,
    cause?: unknown,
  ) {
    super(`s3://${bucket}/${key}: object not found`, { cause });
  }
}

/** Reading the object failed in transit (network, throttling, S3 5xx, broken stream). Retryable. */
export class LogObjectReadError extends Error {
  override readonly name = 'LogObjectReadError';

  constructor(
    readonly bucket: string,
    readonly key: string,
    cause: unknown,
  ) {
    super(`s3://${bucket}/${key}: reading the object failed (${describe(cause)})`, { cause });
  }
}

/** The event is not an AnalyzeLogData payload. */
export class InvalidAnalyzeEventError extends Error {
  override readonly name = 'InvalidAnalyzeEventError';
}

/** The handler's environment lacks or misconfigures a setting. */
export class HandlerConfigError extends Error {
  override readonly name = 'HandlerConfigError';
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code)
      ? `${code}: ${cause.message}`
      : cause.message || cause.name;
  }
  return String(cause);
}
