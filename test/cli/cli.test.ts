import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { createFunds, post, transfer } from '../support/ledger-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/services';

let database: TestDatabase;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli.ts', ...args], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

beforeAll(async () => {
  database = await createTestDatabase();
  await createFunds(database.db);
  await post(database.db, { lines: transfer('512', '7541', 42_00n), date: '2026-04-01' });
});
afterAll(() => database.drop());

it('creates a user with scoped roles, and refuses an unknown role', () => {
  const created = cli(
    'user:create',
    '--email',
    'Lea@Exemple.fr',
    '--name',
    'Léa',
    '--password',
    'un-mot-de-passe-solide',
    '--role',
    'treasurer:dotation',
    '--role',
    'referent',
  );
  expect(created).toMatchObject({ code: 0, output: expect.stringContaining('lea@exemple.fr') });
  const unknown = cli('user:create', '--email', 'x@exemple.fr', '--name', 'X', '--role', 'pirate');
  expect(unknown.code).toBe(2);
  expect(unknown.output).toContain('Rôle inconnu');
});

it('says to migrate a fresh database rather than printing a stack trace', async () => {
  const fresh = await createTestDatabase({ fresh: true });
  try {
    const result = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli.ts', 'ledger:verify'], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, DATABASE_URL: fresh.url, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(`${result.stdout}${result.stderr}`.trim()).toMatch(
      /^La base n'est pas à jour \(\d+ migration\(s\) en attente\) : lancez d'abord `npm run cli -- migrate`/,
    );
    expect(result.stderr).not.toMatch(/ {4}at /);
  } finally {
    await fresh.drop();
  }
});

it('exports the FEC to a file', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fec-'));
  const result = cli('fec:export', '--fund', 'dotation', '--year', '2026', '--out', folder);
  expect(result.code).toBe(0);
  expect(fs.readFileSync(path.join(folder, '900000001FEC20261231.txt'), 'latin1')).toContain('42,00');
});

it('verifies the books, and notices a balance tampered with behind the guards', async () => {
  const clean = cli('ledger:verify');
  expect(clean).toMatchObject({ code: 0, output: expect.stringContaining('aucun problème') });
  // Only a superuser disabling the guard can do this; the check must still see it.
  await database.db.transaction(async (trx) => {
    await trx.raw('alter table accounts disable trigger accounts_guard');
    await trx('accounts').where({ fund_id: 'dotation', code: '627' }).update({ balance_minor: 1 });
    await trx.raw('alter table accounts enable trigger accounts_guard');
  });
  const tampered = cli('ledger:verify');
  expect(tampered.code).toBe(1);
  expect(tampered.output).toMatch(/account-balance.*compte 627/);
  expect(tampered.output).toMatch(/trial-balance/);
});

it('names the bad variable when the configuration is wrong', () => {
  const bad = () => loadConfig({ PORT: 'quatre-vingt', REDIS_URL: 'http://nope' });
  expect(bad).toThrow(ConfigError);
  expect(bad).toThrow(/- PORT: /);
  expect(bad).toThrow(/- REDIS_URL: /);
  expect(loadConfig({}).port).toBe(3000);
});
