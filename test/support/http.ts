import type { Express } from 'express';
import request from 'supertest';
import type { Config } from '../../src/config';
import { demoPassword, demoUsers, seedDemo } from '../../src/demo/seed';
import { createApp } from '../../src/app';
import { createUser } from '../../src/identity/service';
import { createTestContext, type TestContext } from './services';

/** The people of the demo data set, plus a treasurer of the guarantee fund only, to test scopes. */
export const personas = {
  admin: 'admin@milliard.test',
  treasurer: 'tresoriere@milliard.test',
  guaranteeTreasurer: 'tresorier-garantie@milliard.test',
  committeeMember: 'comite@milliard.test',
  referent: 'referente@milliard.test',
  applicant: 'porteur@milliard.test',
  donor: 'donatrice@milliard.test',
  investor: 'investisseur@milliard.test',
  partnerLender: 'preteur@milliard.test',
} as const;
export type Persona = keyof typeof personas;

export type TestApi = { app: TestContext; http: Express; cookies: Record<Persona, string>; drop: () => Promise<void> };

export async function createTestApi(overrides: Partial<Config> = {}): Promise<TestApi> {
  const app = await createTestContext(overrides);
  await seedDemo(app.db);
  await app.db.transaction((trx) =>
    createUser(trx, {
      email: personas.guaranteeTreasurer,
      displayName: 'Tom Trésorier',
      password: demoPassword,
      roles: [{ role: 'treasurer', scopeId: 'garantie' }],
    }),
  );
  const http = createApp(app);
  return { app, http, cookies: await logInEveryone(http), drop: app.drop };
}

/** A session cookie for one demo (or test) user. */
export async function logIn(http: Express, email: string): Promise<string> {
  const response = await request(http).post('/api/auth/login').send({ email, password: demoPassword }).expect(200);
  return String(response.headers['set-cookie']).split(';')[0]!;
}

/** A fresh session cookie for every persona. */
export async function logInEveryone(http: Express): Promise<Record<Persona, string>> {
  const cookies = {} as Record<Persona, string>;
  for (const [persona, email] of Object.entries(personas) as [Persona, string][]) {
    const response = await request(http).post('/api/auth/login').send({ email, password: demoPassword }).expect(200);
    cookies[persona] = String(response.headers['set-cookie']).split(';')[0]!;
  }
  return cookies;
}

export const everyDemoEmail = demoUsers.map((user) => user.email);
