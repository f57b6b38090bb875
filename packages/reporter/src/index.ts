export { buildDailySummary, canonicalFailures } from './daily-summary.js';
export type { DailySummaryInput } from './daily-summary.js';
export { renderJson } from './render/json.js';
export { renderMarkdown } from './render/markdown.js';
export { renderHtml } from './render/html.js';
export { escapeHtml, markdownCode, stripControl } from './render/escape.js';
export { rebucketTimeline } from './render/view.js';
export type { ChartSeries, ChartBucket } from './render/view.js';
