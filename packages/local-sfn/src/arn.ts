/** ARNs of state machines, executions and Map Runs, and the names inside them. */
import { SfnError } from './errors.js';

export interface Account {
  region: string;
  accountId: string;
}

export const stateMachineArn = (a: Account, name: string) =>
  `arn:aws:states:${a.region}:${a.accountId}:stateMachine:${name}`;

export const executionArn = (a: Account, stateMachine: string, name: string) =>
  `arn:aws:states:${a.region}:${a.accountId}:execution:${stateMachine}:${name}`;

/** `arn:aws:states:<region>:<account>:<kind>:<rest>` → its parts, or InvalidArn. */
export function parseArn(arn: unknown, kind: 'stateMachine' | 'execution' | 'mapRun'): string[] {
  const text = typeof arn === 'string' ? arn : '';
  const parts = text.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || parts[2] !== 'states' || parts[5] !== kind)
    throw new SfnError(
      'InvalidArn',
      `Invalid Arn: '${kind === 'mapRun' ? 'Resource type not valid in this context: ' : ''}${text}'`,
    );
  return parts;
}

/** The state machine name of a state machine ARN (InvalidArn otherwise). */
export function stateMachineName(arn: unknown): string {
  return parseArn(arn, 'stateMachine').slice(6).join(':');
}

/** `{stateMachine, name}` of an execution ARN (the machine part has a `/` for Map Run children). */
export function executionParts(arn: unknown): { stateMachine: string; name: string } {
  const parts = parseArn(arn, 'execution');
  if (parts.length !== 8) throw new SfnError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
  return { stateMachine: parts[6] ?? '', name: parts[7] ?? '' };
}

/** Names: 1–80 characters, none of whitespace, `<>{}[]?*"#%\^|~`$&,;:/` or control characters. */
export function checkName(name: unknown, what: string): string {
  if (
    typeof name !== 'string' ||
    name.length < 1 ||
    name.length > 80 ||
    /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/.test(name) ||
    name === '.' ||
    name === '..'
  )
    throw new SfnError('InvalidName', `Invalid Name: '${String(name)}'${what ? ` (${what})` : ''}`);
  return name;
}
