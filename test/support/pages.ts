import type { Page } from 'playwright-core';
import { demoPassword } from '../../src/demo/seed';

/** Signs a demo person in through the login page, landing on `path`. */
export async function logInThroughPage(page: Page, email: string, path: string): Promise<void> {
  await page.goto(path);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(demoPassword);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((url) => url.pathname === path);
}
