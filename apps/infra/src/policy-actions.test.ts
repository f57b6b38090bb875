/**
 * Every action the synthesized identity policies name is one AWS knows, for the resource type
 * its statement names: a misspelt action or an ARN of the wrong kind grants nothing in AWS and
 * would pass the other tests unnoticed.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from './policies.js';
import { ACCOUNT, resolveReferences } from './test-support/iam.js';
import { TEST_KMS_KEY, synthBootstrap, synthStack } from './test-support/synth.js';
import type { TerraformJson } from './test-support/synth.js';

const stacks: [string, TerraformJson][] = [
  ['environment stack', synthStack({ kmsKeyArn: TEST_KMS_KEY }).tf],
  ['bootstrap stack', synthBootstrap({ kmsKeyArns: [TEST_KMS_KEY] })],
];

/**
 * Example resources a pattern covers: `*` filled in as a name, a log stream (`<group>:*`) or a
 * Distributed Map child execution (`<machine>/*`). One of them must be a valid resource.
 */
const examples = (pattern: string) =>
  pattern === '*' ? ['*'] : ['x1', 'log-stream:x1', 'x1:x2'].map((fill) => pattern.replaceAll('*', fill));

describe.each(stacks)('actions of the %s', (_name, tf) => {
  it('are IAM actions that apply to the resources their statements name', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [id, p] of Object.entries(tf.resource.aws_iam_role_policy ?? {})) {
      const policy = JSON.parse(resolveReferences(tf, p.policy as string)) as PolicyDocument;
      for (const statement of policy.Statement) {
        for (const action of statement.Action) {
          for (const resource of statement.Resource ?? []) {
            checked += 1;
            const errors: unknown[] = [];
            for (const candidate of examples(resource)) {
              const result = await runSimulation(
                {
                  request: {
                    principal: `arn:aws:iam::${ACCOUNT}:role/checker`,
                    action,
                    resource: { resource: candidate, accountId: ACCOUNT },
                    contextVariables: {},
                  },
                  identityPolicies: [{ name: 'inline', policy }],
                  serviceControlPolicies: [],
                  resourceControlPolicies: [],
                },
                {},
              );
              if (result.resultType !== 'error') break;
              errors.push(result.errors);
            }
            if (errors.length === examples(resource).length) {
              problems.push(`${id} ${statement.Sid} ${action} on ${resource}: ${JSON.stringify(errors[0])}`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  }, 60_000);
});
