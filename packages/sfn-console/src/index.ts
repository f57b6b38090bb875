/**
 * @logflow/sfn-console — a browser console for the local Step Functions API: state machines and
 * executions, the definition's graph coloured by what ran, the history, Map Run pages, and
 * start, stop and redrive, served on 127.0.0.1.
 */
export { allowed, startConsole, type ConsoleOptions, type RunningConsole } from './server.js';
