import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Express } from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { jobHandlers } from '../../src/job-handlers';
import { startJobs, type RunningJobs } from '../../src/jobs/queue';
import { createTestApi, type TestApi } from './http';

/**
 * A real Chromium (the one `test/run.ts` found or installed) driving the pages
 * served by a real listening app; axe-core checks each page against WCAG 2.1 A
 * and AA; screenshots go to test-artifacts/ (not committed) for a person to look at.
 */
export type PageBrowser = { browser: Browser; baseUrl: string; close: () => Promise<void> };

export async function openBrowser(http: Express): Promise<PageBrowser> {
  const server: Server = await new Promise((resolve) => {
    const listening = http.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const executablePath = process.env.MILLIARD_TEST_CHROMIUM;
  if (!executablePath) throw new Error('MILLIARD_TEST_CHROMIUM is set by test/run.ts: run the tests with npm test');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  return {
    browser,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * The demo data set served to a real browser, for the tests of a file: both
 * opened before, closed after; with `jobs`, the real job worker too (documents
 * rendered, e-mails written), stopped before the database goes.
 */
export function pagesUnderTest(options: { jobs?: boolean } = {}): { api: TestApi; browser: PageBrowser } {
  const under = {} as { api: TestApi; browser: PageBrowser };
  let jobs: RunningJobs | undefined;
  beforeAll(async () => {
    under.api = await createTestApi();
    under.browser = await openBrowser(under.api.http);
    if (options.jobs) jobs = startJobs(under.api.app, jobHandlers, { relayEveryMs: 50 });
  });
  afterAll(async () => {
    await jobs?.close();
    await under.browser?.close();
    await under.api?.drop();
  });
  return under;
}

/** A fresh context (its own cookies); the pages' CSP is bypassed only so that axe-core can be injected. */
export async function newPage(opened: PageBrowser): Promise<Page> {
  const context = await opened.browser.newContext({ bypassCSP: true, locale: 'fr-FR', baseURL: opened.baseUrl });
  return context.newPage();
}

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** What axe-core finds against WCAG 2.1 A and AA on the page as it stands, one line per rule broken. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<any> } }).axe;
    const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return (result.violations as { id: string; nodes: { target: string[] }[] }[]).map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
  });
  return violations;
}

export const artifactsFolder = path.resolve(__dirname, '../../test-artifacts/screens');

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(artifactsFolder, { recursive: true });
  await page.screenshot({ path: path.join(artifactsFolder, `${name}.png`), fullPage: true });
}
