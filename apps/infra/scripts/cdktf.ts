/**
 * `pnpm --filter @logflow/infra run deploy <env> [cdktf options]` (and `diff`, `synth`,
 * `output`): runs the pinned cdktf-cli on that environment's stack.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cdktfInvocation } from '../src/cdktf-command.js';

const infraDir = fileURLToPath(new URL('..', import.meta.url));
let invocation;
try {
  invocation = cdktfInvocation(infraDir, process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
// `cdktf` is the devDependency's binary: package scripts put node_modules/.bin on PATH.
const result = spawnSync('cdktf', invocation.args, {
  cwd: infraDir,
  stdio: 'inherit',
  env: { ...process.env, ...invocation.env },
});
if (result.error) {
  console.error(`cannot run cdktf: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
