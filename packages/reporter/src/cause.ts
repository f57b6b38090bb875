/** Error causes as a report shows them. */
/**
 * A readable cause: Lambda reports errors as JSON (`{errorType, errorMessage, trace}`), of which
 * the message is what a reader needs; anything else is shown as it is.
 */
export function describeCause(cause: string | undefined): string {
  if (!cause) return '';
  if (!cause.startsWith('{')) return cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown; message?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // a cause cut short by the workflow is not valid JSON; pull the message out if it is there
    const m = /"errorMessage"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(cause);
    if (m?.[1] !== undefined) {
      try {
        return JSON.parse(`"${m[1]}"`) as string;
      } catch {
        return m[1];
      }
    }
  }
  return cause;
}
