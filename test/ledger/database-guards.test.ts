import type { Database } from '../../src/db/database';
import { createTestDatabase, type TestDatabase } from '../support/services';
import { accountId, createFunds, post, transfer } from '../support/ledger-fixtures';

/**
 * The database refuses what would break the books, whoever asks: these tests
 * speak raw SQL, bypassing the service and its own checks.
 */
let database: TestDatabase;
let db: Database;
let bank: number;
let donations: number;
let fees: number;
let fpciBank: number;

async function insertEntry(trx: Database, values: Record<string, unknown> = {}): Promise<number> {
  const [row] = await trx('journal_entries')
    .insert({ fund_id: 'dotation', journal_code: 'OD', accounting_date: '2026-03-01', label: 'brut', ...values })
    .returning('id');
  return Number(row.id);
}

/** A balanced two-line entry written by hand, so that only the rule under test can refuse it. */
async function insertBalancedEntry(trx: Database, values: Record<string, unknown> = {}): Promise<number> {
  const entryId = await insertEntry(trx, values);
  await trx('postings').insert([
    { entry_id: entryId, account_id: fees, amount_minor: 10 },
    { entry_id: entryId, account_id: bank, amount_minor: -10 },
  ]);
  return entryId;
}

/** An entry off by one cent: only the commit-time check can refuse it. */
async function insertUnbalancedEntry(trx: Database): Promise<void> {
  const entryId = await insertEntry(trx);
  await trx('postings').insert([
    { entry_id: entryId, account_id: bank, amount_minor: 7 },
    { entry_id: entryId, account_id: donations, amount_minor: -6 },
  ]);
}

const sqlState = (code: string) => expect.objectContaining({ code });

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await createFunds(db);
  bank = await accountId(db, 'dotation', '512');
  donations = await accountId(db, 'dotation', '7541');
  fees = await accountId(db, 'dotation', '627');
  fpciBank = await accountId(db, 'developpement', '512');
  await post(db, { lines: transfer('512', '7541', 100_00n) });
});
afterAll(() => database.drop());

it('refuses, at commit, an entry whose postings do not sum to zero', async () => {
  await expect(
    db.transaction(async (trx) => {
      const entryId = await insertEntry(trx);
      await trx('postings').insert([
        { entry_id: entryId, account_id: bank, amount_minor: 1000 },
        { entry_id: entryId, account_id: donations, amount_minor: -999 },
      ]);
    }),
  ).rejects.toEqual(sqlState('ML001'));
});

it('refuses an entry with a single posting, and one with none', async () => {
  await expect(
    db.transaction(async (trx) => {
      const entryId = await insertEntry(trx);
      await trx('postings').insert({ entry_id: entryId, account_id: bank, amount_minor: 1 });
    }),
  ).rejects.toEqual(sqlState('ML001'));
  await expect(db.transaction((trx) => insertEntry(trx))).rejects.toEqual(sqlState('ML001'));
});

it('accepts a balanced entry written by hand, numbers it, and updates the balances', async () => {
  const before = await db('account_balances').where('account_id', bank).first('balance_minor');
  await db.transaction(async (trx) => {
    const entryId = await insertEntry(trx, { entry_number: 999, fiscal_year: 1999 });
    await trx('postings').insert([
      { entry_id: entryId, account_id: bank, amount_minor: 250 },
      { entry_id: entryId, account_id: donations, amount_minor: -250 },
    ]);
  });
  const last = await db('journal_entries').orderBy('id', 'desc').first();
  // The trigger, not the caller, decides the number and the fiscal year.
  expect(last.fiscal_year).toBe(2026);
  expect(last.entry_number).not.toBe(999);
  const after = await db('account_balances').where('account_id', bank).first('balance_minor');
  expect(after.balance_minor - before.balance_minor).toBe(250n);
});

it('refuses any UPDATE, DELETE or TRUNCATE of entries and postings, numbers included', async () => {
  await expect(db('journal_entries').update({ label: 'modifié' })).rejects.toEqual(sqlState('ML002'));
  await expect(db('journal_entries').update({ entry_number: 42 })).rejects.toEqual(sqlState('ML002'));
  await expect(
    db.transaction(async (trx) => {
      const entryId = await insertBalancedEntry(trx);
      // Before commit the number is still empty; nobody but the commit-time check may give it.
      await trx('journal_entries').where('id', entryId).update({ entry_number: 1 });
    }),
  ).rejects.toEqual(sqlState('ML002'));
  await expect(db('journal_entries').del()).rejects.toEqual(sqlState('ML002'));
  await expect(db('postings').update({ amount_minor: 1 })).rejects.toEqual(sqlState('ML002'));
  await expect(db('postings').del()).rejects.toEqual(sqlState('ML002'));
  await expect(db.raw('truncate postings cascade')).rejects.toEqual(sqlState('ML002'));
  await expect(db.raw('truncate journal_entries cascade')).rejects.toEqual(sqlState('ML002'));
});

it('refuses a posting added later to an entry already committed', async () => {
  const entry = await db('journal_entries').first('id');
  await expect(
    db('postings').insert([
      { entry_id: entry.id, account_id: bank, amount_minor: 5 },
      { entry_id: entry.id, account_id: donations, amount_minor: -5 },
    ]),
  ).rejects.toEqual(sqlState('ML004'));
});

it('refuses an entry naming an unknown fund or journal, and the removal of a fund or journal entries name', async () => {
  await expect(db.transaction((trx) => insertBalancedEntry(trx, { fund_id: 'inconnu' }))).rejects.toEqual(
    sqlState('ML004'),
  );
  await expect(db.transaction((trx) => insertBalancedEntry(trx, { journal_code: 'XX' }))).rejects.toEqual(
    sqlState('ML004'),
  );
  await expect(db('funds').where('id', 'garantie').del()).rejects.toEqual(sqlState('ML002'));
  await expect(db('funds').where('id', 'garantie').update({ id: 'autre' })).rejects.toEqual(sqlState('ML002'));
  await expect(db('journals').where('code', 'OD').del()).rejects.toEqual(sqlState('ML002'));
  await expect(db('journals').where('code', 'OD').update({ code: 'ODX' })).rejects.toEqual(sqlState('ML002'));
  await expect(db.raw('truncate journals cascade')).rejects.toEqual(sqlState('ML002'));
});

it("refuses a posting on another fund's account", async () => {
  await expect(
    db.transaction(async (trx) => {
      const entryId = await insertEntry(trx);
      await trx('postings').insert([
        { entry_id: entryId, account_id: bank, amount_minor: 5 },
        { entry_id: entryId, account_id: fpciBank, amount_minor: -5 },
      ]);
    }),
  ).rejects.toEqual(sqlState('ML004'));
});

it('refuses an entry dated in a closed period, and accepts it once the month is reopened', async () => {
  const [closure] = await db('period_closures')
    .insert({
      fund_id: 'dotation',
      kind: 'month',
      fiscal_year: 2026,
      starts_on: '2026-02-01',
      ends_on: '2026-02-28',
      reason: 'clôture de février',
    })
    .returning('id');
  await expect(db.transaction((trx) => insertBalancedEntry(trx, { accounting_date: '2026-02-10' }))).rejects.toEqual(
    sqlState('ML003'),
  );
  await db('period_closures').where('id', closure.id).update({ reopened_at: db.fn.now(), reopen_reason: 'correction' });
  await db.transaction((trx) => insertBalancedEntry(trx, { accounting_date: '2026-02-10' }));
});

it('refuses to reopen a closed fiscal year, to edit or delete a closure', async () => {
  const [year] = await db('period_closures')
    .insert({
      fund_id: 'dotation',
      kind: 'year',
      fiscal_year: 2024,
      starts_on: '2024-01-01',
      ends_on: '2024-12-31',
      reason: 'clôture 2024',
    })
    .returning('id');
  await expect(
    db('period_closures').where('id', year.id).update({ reopened_at: db.fn.now(), reopen_reason: 'oups' }),
  ).rejects.toEqual(sqlState('ML005'));
  await expect(db('period_closures').where('id', year.id).update({ reason: 'autre' })).rejects.toEqual(
    sqlState('ML005'),
  );
  await expect(db('period_closures').where('id', year.id).del()).rejects.toEqual(sqlState('ML002'));
  await expect(db.transaction((trx) => insertBalancedEntry(trx, { accounting_date: '2024-06-30' }))).rejects.toEqual(
    sqlState('ML003'),
  );
});

it('refuses a posting that would take a cash account below zero', async () => {
  const { balance_minor: bankBalance } = await db('account_balances').where('account_id', bank).first('balance_minor');
  await expect(
    db.transaction(async (trx) => {
      const entryId = await insertEntry(trx);
      await trx('postings').insert([
        { entry_id: entryId, account_id: fees, amount_minor: String(bankBalance + 1n) },
        { entry_id: entryId, account_id: bank, amount_minor: String(-(bankBalance + 1n)) },
      ]);
    }),
  ).rejects.toEqual(expect.objectContaining({ constraint: 'accounts_floor' }));
});

it('refuses a balance, a balance movement, a numbering counter or an account changed by hand', async () => {
  await expect(db('accounts').where('id', bank).update({ balance_minor: 1 })).rejects.toEqual(sqlState('ML006'));
  await expect(db('accounts').where('id', bank).update({ type: 'expense' })).rejects.toEqual(sqlState('ML006'));
  await expect(db('accounts').where('id', bank).del()).rejects.toEqual(sqlState('ML002'));
  await expect(db('entry_number_counters').update({ last_number: 1 })).rejects.toEqual(sqlState('ML002'));
  await expect(
    db('entry_number_counters').insert({ fund_id: 'garantie', fiscal_year: 2030, last_number: 5 }),
  ).rejects.toEqual(sqlState('ML002'));
  // Pending balance movements, too, are only written by the ledger's own triggers.
  await expect(db('account_balance_movements').insert({ account_id: bank, delta_minor: 1 })).rejects.toEqual(
    sqlState('ML002'),
  );
  expect(
    Number((await db('account_balance_movements').where('account_id', donations).count({ n: '*' }).first())?.n),
  ).toBeGreaterThan(0);
  await expect(db('account_balance_movements').where('account_id', donations).del()).rejects.toEqual(sqlState('ML002'));
  await expect(
    db('account_balance_movements').where('account_id', donations).update({ delta_minor: 1 }),
  ).rejects.toEqual(sqlState('ML002'));
  await expect(db.raw('truncate account_balance_movements')).rejects.toEqual(sqlState('ML002'));
  const [entry] = await db('journal_entries').orderBy('id').limit(1).select('id');
  await expect(
    db('ledger_entries_awaiting_number').insert({ fund_id: 'dotation', fiscal_year: 2026, entry_id: entry.id }),
  ).rejects.toEqual(sqlState('ML002'));
});

it('checks every entry of a transaction once, however many statements insert them, and cannot be skipped', async () => {
  // A later unbalanced entry is caught even after an earlier one was checked on demand.
  await expect(
    db.transaction(async (trx) => {
      await insertBalancedEntry(trx);
      await trx.raw('set constraints all immediate');
      await trx.raw('set constraints all deferred');
      await insertUnbalancedEntry(trx);
    }),
  ).rejects.toEqual(sqlState('ML001'));
  // Nothing a session can set makes the check skip an entry.
  await expect(
    db.transaction(async (trx) => {
      await trx.raw("select set_config('milliard.entries_checked_up_to', '9000000000000000000', true)");
      await insertUnbalancedEntry(trx);
    }),
  ).rejects.toEqual(sqlState('ML001'));
  // The pending check of the transaction cannot be withdrawn.
  await expect(
    db.transaction(async (trx) => {
      await insertEntry(trx);
      await trx('ledger_pending_checks').del();
    }),
  ).rejects.toEqual(sqlState('ML002'));
  await expect(db.raw('truncate ledger_pending_checks')).rejects.toEqual(sqlState('ML002'));
  // Both entries of a two-statement transaction are numbered, consecutively.
  const ids = await db.transaction(async (trx) => [await insertBalancedEntry(trx), await insertBalancedEntry(trx)]);
  const numbers = (await db('journal_entries').whereIn('id', ids).orderBy('id').select('entry_number')).map(
    (row) => row.entry_number,
  );
  expect(numbers[1]).toBe(numbers[0] + 1);
  expect(await db('ledger_pending_checks').count('* as n').first()).toEqual({ n: 0n });
});

it('refuses a posting that names no entry or no account', async () => {
  await expect(
    db.transaction(async (trx) => {
      const entryId = await insertEntry(trx);
      await trx('postings').insert([
        { entry_id: entryId, account_id: bank, amount_minor: 5 },
        { entry_id: entryId, account_id: 987_654, amount_minor: -5 },
      ]);
    }),
  ).rejects.toEqual(sqlState('ML004'));
  await expect(db('postings').insert({ entry_id: 987_654, account_id: bank, amount_minor: 5 })).rejects.toEqual(
    sqlState('ML004'),
  );
});
