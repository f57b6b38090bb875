/// <reference lib="dom" />
/**
 * Opens the HTML report in real headless Chromium: charts and tables render, nothing is fetched,
 * nothing logs an error, hostile log strings stay text, and the page fits a phone. Screenshots
 * land in packages/reporter/test-artifacts/.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyDay, HOSTILE, onlyFailuresDay } from '../test-support/fixtures.js';
import { stripControl } from './escape.js';
import { renderHtml } from './html.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const available = existsSync(CHROMIUM);

if (!available) {
  if (process.env.CI === 'true') {
    describe('HTML report in Chromium', () => {
      it('needs Chromium', () => {
        throw new Error(`${CHROMIUM} is missing; CI must install Debian chromium to run the browser test`);
      });
    });
  } else {
    console.warn(`skipping the HTML report browser test: ${CHROMIUM} is missing`);
  }
}

interface PageLog {
  requests: string[];
  errors: string[];
}

describe.runIf(available)('HTML report in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
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
  });

  /** Writes the report to the artifacts folder and opens it from its file:// URL. */
  async function open(name: string, html: string, viewport: { width: number; height: number }, dark = false) {
    const file = `${ARTIFACTS}${name}.html`;
    writeFileSync(file, html);
    const url = pathToFileURL(file).href;
    const page = await browser.newPage({ viewport, colorScheme: dark ? 'dark' : 'light' });
    const log: PageLog = { requests: [], errors: [] };
    page.on('request', (request) => {
      if (request.url() !== url) log.requests.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') log.errors.push(message.text());
    });
    page.on('pageerror', (error) => log.errors.push(String(error)));
    await page.goto(url, { waitUntil: 'load' });
    return { page, log };
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
  }

  it('renders charts and tables with no request and no error on a desktop', async () => {
    const { page, log } = await open('report-desktop', renderHtml(busyDay()), { width: 1280, height: 900 });
    try {
      const charts = await page.$$eval('svg[data-chart]', (svgs) =>
        svgs.map((svg) => ({
          chart: svg.getAttribute('data-chart'),
          width: svg.getBoundingClientRect().width,
          data: svg.querySelectorAll('[data-value]').length,
          title: svg.querySelector('title')?.textContent ?? '',
        })),
      );
      expect(charts.map((c) => c.chart)).toEqual(['timeline', 'status', 'latency']);
      for (const c of charts) {
        expect(c.width).toBeGreaterThan(300);
        expect(c.data).toBeGreaterThan(0);
        expect(c.title).not.toBe('');
      }
      const requestBars = await page.$$eval('svg[data-chart="timeline"] .bars-requests rect', (rects) =>
        rects.map((r) => Number(r.getAttribute('data-value'))),
      );
      expect(requestBars.reduce((a, b) => a + b, 0)).toBe(busyDay().requests);

      const rows = await page.$$eval('#paths tbody tr', (trs) => trs.length);
      expect(rows).toBe(busyDay().topPaths.entries.length);
      for (const id of ['#clients', '#agents', '#files', '#malformed', '#status', '#latency']) {
        expect(await page.$$eval(`${id} table, ${id} svg, ${id} ol`, (els) => els.length)).toBeGreaterThan(0);
      }
      // the CSP admits our stylesheet (by hash), so the page is styled
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe('rgb(244, 246, 249)');

      expect(log.requests).toEqual([]);
      expect(log.errors).toEqual([]);
      await shot(page, 'report-desktop');
    } finally {
      await page.close();
    }
  }, 60_000);

  it('shows hostile log strings as text and injects no element', async () => {
    const { page, log } = await open('report-hostile', renderHtml(busyDay()), { width: 1280, height: 900 });
    try {
      const injected = await page.evaluate(
        () => document.querySelectorAll('script, iframe, img, object, embed, b, [onerror], [onload]').length,
      );
      expect(injected).toBe(0);
      const cellTexts = await page.$$eval('td', (tds) => tds.map((td) => td.textContent ?? ''));
      for (const raw of [
        HOSTILE.path,
        HOSTILE.pathImg,
        HOSTILE.pathMarkdown,
        HOSTILE.client,
        HOSTILE.fileKey,
        HOSTILE.cause,
      ]) {
        expect(cellTexts, raw).toContain(raw);
      }
      const agents = await page.$$eval('#agents td.value', (tds) => tds.map((td) => td.textContent));
      expect(agents).toContain(HOSTILE.userAgent);
      const samples = await page.$$eval('#malformed pre code', (codes) => codes.map((c) => c.textContent));
      expect(samples).toContain(stripControl(HOSTILE.malformedLine));
      const methods = await page.$$eval('#status td.mono', (tds) => tds.map((td) => td.textContent));
      expect(methods).toContain('<BREW>');
      expect(log.requests).toEqual([]);
      expect(log.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('fits a phone screen and has a dark theme', async () => {
    const phone = await open('report-phone', renderHtml(busyDay()), { width: 390, height: 844 });
    try {
      const overflow = await phone.page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      const kpiColumns = await phone.page.$$eval(
        '.kpi',
        (kpis) => new Set(kpis.map((k) => k.getBoundingClientRect().left)).size,
      );
      expect(kpiColumns).toBe(2);
      expect(phone.log.requests).toEqual([]);
      expect(phone.log.errors).toEqual([]);
      await shot(phone.page, 'report-phone');
    } finally {
      await phone.page.close();
    }

    const dark = await open('report-dark', renderHtml(busyDay()), { width: 1280, height: 900 }, true);
    try {
      const background = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe('rgb(13, 17, 23)');
      expect(dark.log.errors).toEqual([]);
      await shot(dark.page, 'report-dark');
    } finally {
      await dark.page.close();
    }
  }, 60_000);

  it('prints and renders a day with only failures', async () => {
    const { page, log } = await open('report-failures', renderHtml(onlyFailuresDay()), {
      width: 1280,
      height: 900,
    });
    try {
      expect(await page.textContent('.health')).toBe('2 files failed');
      expect(await page.$$eval('#failed tbody tr', (trs) => trs.length)).toBe(2);
      await page.emulateMedia({ media: 'print' });
      expect(await page.$eval('nav', (nav) => getComputedStyle(nav).display)).toBe('none');
      await shot(page, 'report-failures-print');
      expect(log.requests).toEqual([]);
      expect(log.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
