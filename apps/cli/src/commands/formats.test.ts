import { LOG_FORMATS } from '@logflow/shared-types';
import { describe, expect, it } from 'vitest';
import { formatsText } from './formats.js';

describe('logflow formats', () => {
  it('lists every preset with its example line', async () => {
    const text = await formatsText();
    for (const name of LOG_FORMATS.filter((f) => !f.endsWith('-format'))) {
      expect(text).toMatch(new RegExp(`^${name}  `, 'm'));
    }
    expect(text).toContain('  nginx: $remote_addr - $remote_user [$time_local] "$request" $status');
    expect(text).toContain('  e.g. Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317');
    // Tab-separated CloudFront lines are shown escaped.
    expect(text).not.toContain('\t');
  });
});
