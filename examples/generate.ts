/**
 * Rewrites `examples/logs/`: the sample logs of 2026-11-22 (UTC), kept in the repository to
 * browse and to analyse. `logflow run` with no folder generates the same files for yesterday.
 *
 *   node --import tsx examples/generate.ts
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_LOGS_DATE, writeSampleLogs } from '../apps/cli/src/samples/sample-logs.js';

const out = join(dirname(fileURLToPath(import.meta.url)), 'logs');
for (const file of await writeSampleLogs(out, EXAMPLE_LOGS_DATE)) console.log(file);
