/// <reference lib="dom" />
/**
 * The console in real headless Chromium: start a day-like execution from the page, watch it
 * fail, find the failed child on the Map Run page, redrive it and see the execution succeed.
 * Screenshots land in packages/sfn-console/test-artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { LambdaRegistry } from '@logflow/asl-runtime';
import { startLocalAws, type LocalAws } from '@logflow/local-aws';
import { mountStepFunctions, type StepFunctionsService } from '@logflow/local-sfn';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowed, startConsole, type RunningConsole } from './server.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const available = existsSync(CHROMIUM);

if (!available && process.env.CI === 'true')
  describe('the console in Chromium', () => {
    it('needs Chromium', () => {
      throw new Error(`${CHROMIUM} is missing; CI must install Debian chromium to run the browser test`);
    });
  });

/** Waiting on the page, not on a clock: each poll re-reads the DOM until it matches. */
const WAIT = { timeout: 20_000 };
class UnrecognizedLogFormatError extends Error {
  override name = 'UnrecognizedLogFormatError';
}

const FILES = ['a.log', 'b.log', 'c.log', 'd.log', 'e.log'];
const broken = new Set(['c.log']);
const processed: string[] = [];

const definition = {
  StartAt: 'ProcessFiles',
  States: {
    ProcessFiles: {
      Type: 'Map',
      ItemsPath: '$.files',
      ToleratedFailurePercentage: 0,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Analyze',
        States: {
          Analyze: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'analyze', 'Payload.$': '$' },
            OutputPath: '$.Payload',
            End: true,
          },
        },
      },
      ResultPath: '$.results',
      Next: 'Report',
    },
    Report: { Type: 'Pass', Parameters: { 'files.$': 'States.ArrayLength($.results)' }, End: true },
  },
};

describe.runIf(available)('the console in Chromium', () => {
  let aws: LocalAws;
  let service: StepFunctionsService;
  let console_: RunningConsole;
  let browser: Browser;

  beforeAll(async () => {
    const lambdas = new LambdaRegistry().register('analyze', async (file: string) => {
      processed.push(file);
      if (broken.has(file)) throw new UnrecognizedLogFormatError(`${file}: line 1 is not a log line`);
      return { file, ok: true };
    });
    aws = await startLocalAws({
      inMemory: true,
      stepFunctions: mountStepFunctions({ lambdas, noWait: true, onOpen: (s) => (service = s) }),
    });
    const sfn = new SFNClient(aws.clientConfig());
    await sfn.send(
      new CreateStateMachineCommand({
        name: 'daily-like',
        definition: JSON.stringify(definition),
        roleArn: 'arn:aws:iam::123456789012:role/console',
      }),
    );
    sfn.destroy();
    console_ = await startConsole({ service });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await console_?.close();
    await aws?.stop();
  });

  it(
    'finds the failed child of a Map Run, redrives it and sees the execution succeed',
    { timeout: 120_000 },
    async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(console_.url);

      // Start the day from the page.
      const machine = page.locator('section[data-machine="daily-like"]');
      await machine.locator('summary').click();
      await machine.locator('textarea').fill(JSON.stringify({ files: FILES }));
      await machine.getByRole('button', { name: 'Start execution' }).click();
      await expect
        .poll(() => page.locator('#execution-status [data-status]').getAttribute('data-status'), WAIT)
        .toBe('FAILED');
      await expect
        .poll(() => page.locator('[data-state="ProcessFiles"]').getAttribute('data-outcome'), WAIT)
        .toBe('failed');
      expect(await page.locator('[data-state="Report"]').getAttribute('data-outcome')).toBe('idle');
      await page.screenshot({ path: `${ARTIFACTS}01-execution-failed.png`, fullPage: true });

      // The Map Run page shows the failed child first, with its error and cause.
      await page
        .getByRole('link', { name: /ProcessFiles/ })
        .first()
        .click();
      await expect
        .poll(() => page.locator('#maprun-status [data-status]').getAttribute('data-status'), WAIT)
        .toBe('FAILED');
      const failedRow = page.locator('#children tr[data-status="FAILED"]');
      await expect.poll(() => failedRow.count(), WAIT).toBe(1);
      expect(await failedRow.locator('td.error').textContent()).toBe('UnrecognizedLogFormatError');
      expect(await failedRow.textContent()).toContain('c.log: line 1 is not a log line');
      expect(await page.locator('#children tr[data-status="SUCCEEDED"]').count()).toBe(4);
      await page.screenshot({ path: `${ARTIFACTS}02-map-run-failed-child.png`, fullPage: true });

      // The file is fixed; redrive from the Map Run page re-runs only that child.
      broken.clear();
      processed.length = 0;
      await page.getByRole('button', { name: 'Redrive execution' }).click();
      await expect
        .poll(() => page.locator('#execution-status [data-status]').getAttribute('data-status'), WAIT)
        .toBe('SUCCEEDED');
      await expect
        .poll(() => page.locator('[data-state="Report"]').getAttribute('data-outcome'), WAIT)
        .toBe('succeeded');
      expect(await page.locator('[data-state="ProcessFiles"]').getAttribute('data-outcome')).toBe(
        'succeeded',
      );
      expect(processed).toEqual(['c.log']);
      expect(await page.locator('#history').textContent()).toContain('ExecutionRedriven');
      await page.screenshot({ path: `${ARTIFACTS}03-redriven-succeeded.png`, fullPage: true });

      expect(errors).toEqual([]);
      // The page asked nothing of anyone but the console.
      expect(requests.filter((u) => !u.startsWith(console_.url))).toEqual([]);
      await page.close();
    },
  );

  it('refuses other Hosts and cross-site requests', async () => {
    const port = Number(new URL(console_.url).port);
    const api = (headers: Record<string, string>) =>
      fetch(`${console_.url}api`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AWSStepFunctions.ListStateMachines',
          ...headers,
        },
        body: '{}',
      });
    expect((await api({})).status).toBe(200);
    expect((await api({ origin: 'http://evil.example' })).status).toBe(403);
    const req = (host: string, method = 'GET', origin?: string) =>
      allowed({ headers: { host, ...(origin ? { origin } : {}) }, method } as never, port);
    expect(req(`localhost:${port}`)).toEqual({ ok: true });
    expect(req(`rebound.example:${port}`)).toMatchObject({ ok: false, status: 421 });
    expect(req(`127.0.0.1:${port}`, 'POST', `http://127.0.0.1:${port}`)).toEqual({ ok: true });
  });
});
