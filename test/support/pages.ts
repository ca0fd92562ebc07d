import type { Page } from 'playwright-core';
import { demoPassword } from '../../src/demo/seed';
import { accessibilityViolations, newPage, screenshot, type PageBrowser } from './browser';

/** Signs a demo person in through the login page, landing on `path`. */
export async function logInThroughPage(page: Page, email: string, path: string): Promise<void> {
  await page.goto(path);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(demoPassword);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((url) => url.pathname === path);
}

/** A fresh browser context (its own cookies) with this demo person signed in, on `path`. */
export async function signedInPage(opened: PageBrowser, email: string, path: string): Promise<Page> {
  const page = await newPage(opened);
  await logInThroughPage(page, email, path);
  return page;
}

/** A page as a person meets it: no axe-core violation, and its screenshot kept. */
export async function looked(page: Page, name: string): Promise<void> {
  expect(await accessibilityViolations(page)).toEqual([]);
  await screenshot(page, name);
}

/** Presses a form's button and waits for the page it leads to. */
export async function submit(page: Page, button: string): Promise<void> {
  await page.getByRole('button', { name: button }).click();
  await page.waitForLoadState('load');
}
