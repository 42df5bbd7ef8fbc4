/**
 * An experiment report (`pam report`) opened from `file://` in headless Chromium (playwright-core, the browser of
 * test/support/chromium.ts), with every console error and every request it makes recorded, and its screenshot for
 * the docs (full page, at half the CSS pixel size).
 */
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';

export interface OpenedReport {
  browser: Browser;
  page: Page;
  /** Console messages of type error, and uncaught page errors. */
  errors: string[];
  /** Every URL the page requested, the report file itself included. */
  requests: string[];
}

export const SCREENSHOT_WIDTH = 1200;

export async function openReport(file: string): Promise<OpenedReport> {
  const browser = await launchChromium();
  // Half-size device pixels: the screenshot comes out at half the page's CSS size, small enough for the README.
  const page = await browser.newPage({ viewport: { width: SCREENSHOT_WIDTH, height: 900 }, deviceScaleFactor: 0.5 });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { browser, page, errors, requests };
}

/** The whole page as PNG bytes, downscaled by the half-size device pixels. */
export async function screenshotReport(page: Page): Promise<Buffer> {
  return page.screenshot({ fullPage: true, scale: 'device', type: 'png' });
}
