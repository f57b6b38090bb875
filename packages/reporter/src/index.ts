export {
  buildDailySummary,
  canonicalFailures,
  DailySummaryBuilder,
  MERGE_BATCH_SIZE,
} from './daily-summary.js';
export type { DailySummaryInput } from './daily-summary.js';
export { renderJson } from './render/json.js';
export { renderMarkdown } from './render/markdown.js';
export { renderHtml } from './render/html.js';
export { escapeHtml, markdownCode, stripControl } from './render/escape.js';
export { rebucketTimeline } from './render/view.js';
export type { ChartSeries, ChartBucket } from './render/view.js';
export { generateDailyReport } from './generate-report.js';
export type { GeneratedReport, ReportClients, ReportResources } from './generate-report.js';
export { batchSummaryPages } from './aws/summary-store.js';
export type { BatchSummaryPage } from './aws/summary-store.js';
export {
  outcomesFromResults,
  findLatestManifest,
  parseManifest,
  readMapRunOutcomes,
  InvalidResultsError,
} from './aws/result-writer.js';
export type { ResultWriterManifest, ChildResult, MapRunOutcomes } from './aws/result-writer.js';
export { dailyMetricData, publishDailyMetrics } from './aws/metrics.js';
export {
  renderReport,
  writeReport,
  readReportObject,
  REPORT_CONTENT_TYPES,
  REPORT_FORMATS,
} from './aws/report-store.js';
export { describeCause } from './cause.js';
export { formatInt } from './render/format.js';
