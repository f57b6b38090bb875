export type { LogRecord } from './record.js';
export { emptyRecord } from './record.js';
export * from './summary-api.js';
