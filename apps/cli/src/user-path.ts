import { resolve } from 'node:path';

/** Paths a user types are relative to where they ran `pnpm logflow` (pnpm's INIT_CWD), not to the repo root. */
export function userPath(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}
