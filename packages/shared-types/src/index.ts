export * from './summary.js';
export * from './report.js';
export * from './workflow-io.js';
export * from './names.js';
export * from './metrics.js';
export * from './clock.js';
