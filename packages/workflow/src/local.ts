import { resourceNames } from '@logflow/shared-types';
import type { ResourceNameOptions } from '@logflow/shared-types';
import type { DailyWorkflowConfig } from './config.js';

/**
 * The workflow config for local runs: resources addressed by the plain names of
 * `resourceNames()`, which the local endpoints and the Terraform stack share.
 */
export function localWorkflowConfig(
  options: ResourceNameOptions = {},
  overrides: Partial<DailyWorkflowConfig> = {},
): DailyWorkflowConfig {
  const names = resourceNames(options);
  return {
    analyzerFunction: names.analyzerFunction,
    reporterFunction: names.reporterFunction,
    summaryTable: names.summaryTable,
    resultBucket: names.resultBucket,
    metricNamespace: names.metricNamespace,
    ...overrides,
  };
}
