import type { Database } from '../../src/db/database';
import { ConflictError, RuleViolationError, ValidationError } from '../../src/errors';
import { getEntry, postEntry, reverseEntry, type NewEntry } from '../../src/ledger/entries';
import { numberPendingEntries, runLedgerHousekeeping } from '../../src/ledger/housekeeping';
import { accountBalance } from '../../src/ledger/queries';
import { verifyLedger } from '../../src/ledger/verify';
import { ensureFund } from '../../src/ledger/funds';
import { createFunds, holdNumberingCounter, post, transfer } from '../support/ledger-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/services';

let database: TestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createTestDatabase({ poolMax: 40 });
  db = database.db;
  await createFunds(db);
  await post(db, { fundId: 'garantie', lines: transfer('512', '1025', 1_000_000_00n), date: '2026-01-02' });
});
afterAll(() => database.drop());

const numbersOf = async (fundId: string, fiscalYear: number): Promise<number[]> =>
  (
    await db('journal_entries')
      .where({ fund_id: fundId, fiscal_year: fiscalYear })
      .orderBy('entry_number')
      .select('entry_number')
  ).map((row) => row.entry_number);

const gapless = (numbers: number[]) => numbers.every((number, index) => number === index + 1);

describe('numbering', () => {
  it('stays gapless and strictly increasing with 200 concurrent posts', async () => {
    await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        post(db, {
          fundId: 'developpement',
          date: '2027-02-01',
          lines: transfer('109', '1011', BigInt(index + 1) * 100n),
        }),
      ),
    );
    // Entries committed while another held the counter are numbered by the next one, or by the housekeeping.
    await numberPendingEntries(db, 'developpement');
    const numbers = await numbersOf('developpement', 2027);
    expect(numbers).toHaveLength(200);
    expect(gapless(numbers)).toBe(true);
    // Numbers follow the order of validation: the counter is held until the numbering commits.
    const validated = (
      await db('journal_entries')
        .where({ fund_id: 'developpement', fiscal_year: 2027 })
        .orderBy('entry_number')
        .select('created_at')
    ).map((row) => row.created_at.getTime());
    expect(validated).toEqual([...validated].sort((left, right) => left - right));
  });

  it('leaves no gap when a post is rolled back', async () => {
    const first = await post(db, { fundId: 'developpement', date: '2028-01-10', lines: transfer('109', '1011', 100n) });
    await expect(
      db.transaction(async (trx) => {
        await postEntry(
          trx,
          {
            fundId: 'developpement',
            journalCode: 'OD',
            accountingDate: '2028-01-11',
            label: 'annulée',
            lines: transfer('109', '1011', 100n),
          },
          { userId: null },
        );
        throw new Error('the business change failed after the entry');
      }),
    ).rejects.toThrow('business change failed');
    const next = await post(db, { fundId: 'developpement', date: '2028-01-12', lines: transfer('109', '1011', 100n) });
    expect([first.entryNumber, next.entryNumber]).toEqual([1, 2]);
  });

  it('numbers each fund and fiscal year on its own', async () => {
    const endowment = await post(db, { fundId: 'dotation', date: '2031-05-05', lines: transfer('512', '7541', 100n) });
    const guarantee = await post(db, { fundId: 'garantie', date: '2031-05-05', lines: transfer('512', '1025', 100n) });
    expect([endowment.entryNumber, guarantee.entryNumber, endowment.reference]).toEqual([1, 1, '2031-000001']);
  });

  it('lets entries of two fiscal years cross on the same accounts without deadlock', async () => {
    // Different years take different counters; the accounts are then the only shared locks, taken in id order.
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, index) =>
        post(db, {
          fundId: 'dotation',
          date: index % 2 === 0 ? '2032-03-03' : '2033-03-03',
          lines: index % 2 === 0 ? transfer('6571', '4671', 100n) : [...transfer('6571', '4671', 100n)].reverse(),
        }),
      ),
    );
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    await numberPendingEntries(db, 'dotation');
    expect(await numbersOf('dotation', 2032)).toHaveLength(30);
    expect(gapless(await numbersOf('dotation', 2033))).toBe(true);
  });
});

describe('idempotency', () => {
  const entry = (amountMinor: bigint): NewEntry => ({
    fundId: 'dotation',
    journalCode: 'DONS',
    accountingDate: '2026-06-01',
    label: 'Don de Mme Martin',
    idempotencyKey: 'don-martin-2026-06-01',
    lines: transfer('512', '7541', amountMinor),
  });

  it('makes exactly one entry out of 50 concurrent identical posts', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, () => db.transaction((trx) => postEntry(trx, entry(50_00n), { userId: null }))),
    );
    expect(new Set(results.map((result) => result.entry.id)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    const stored = await db('journal_entries').where({ idempotency_key: 'don-martin-2026-06-01' });
    expect(stored).toHaveLength(1);
  });

  it('refuses the same key with different content', async () => {
    await expect(db.transaction((trx) => postEntry(trx, entry(60_00n), { userId: null }))).rejects.toBeInstanceOf(
      ConflictError,
    );
  });
});

describe('checks before the database', () => {
  it('refuses an unbalanced entry, a single line, a zero line and an unknown account', async () => {
    const attempt = (lines: NewEntry['lines']) =>
      db.transaction((trx) =>
        postEntry(
          trx,
          { fundId: 'dotation', journalCode: 'OD', accountingDate: '2026-06-02', label: 'x', lines },
          { userId: null },
        ),
      );
    await expect(
      attempt([
        { accountCode: '512', amountMinor: 10n },
        { accountCode: '7541', amountMinor: -9n },
      ]),
    ).rejects.toMatchObject({ type: 'ledger/unbalanced' });
    await expect(attempt([{ accountCode: '512', amountMinor: 10n }])).rejects.toBeInstanceOf(RuleViolationError);
    await expect(
      attempt([
        { accountCode: '512', amountMinor: 0n },
        { accountCode: '7541', amountMinor: 0n },
      ]),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt(transfer('512', '999', 10n))).rejects.toMatchObject({
      issues: [{ path: ['lines', 1, 'accountCode'] }],
    });
  });

  it('names an unknown journal and every unknown account at once, and writes nothing', async () => {
    const before = await db('journal_entries').count('* as n').first();
    const attempt = db.transaction((trx) =>
      postEntry(
        trx,
        {
          fundId: 'dotation',
          journalCode: 'ZZ',
          accountingDate: '2026-06-02',
          label: 'x',
          lines: [
            { accountCode: '6999', amountMinor: 10n },
            { accountCode: '512', amountMinor: 5n },
            { accountCode: '7999', amountMinor: -15n },
          ],
        },
        { userId: null },
      ),
    );
    await expect(attempt).rejects.toMatchObject({
      issues: [{ path: ['journalCode'] }, { path: ['lines', 0, 'accountCode'] }, { path: ['lines', 2, 'accountCode'] }],
    });
    expect(await db('journal_entries').count('* as n').first()).toEqual(before);
  });

  it('refuses a payment that the bank account cannot cover', async () => {
    const bankBalance = await accountBalance(db, 'garantie', '512');
    await expect(
      post(db, { fundId: 'garantie', lines: transfer('6581', '512', bankBalance + 1n) }),
    ).rejects.toMatchObject({ constraint: 'accounts_floor' });
  });
});

describe('committing without waiting for another transaction', () => {
  it('commits an entry while the counter is held elsewhere, with its fiscal year, and numbers it before the next one', async () => {
    const first = await post(db, { fundId: 'garantie', date: '2034-01-05', lines: transfer('512', '1025', 100n) });
    const counter = await holdNumberingCounter(db, 'garantie', 2034);
    const committedMeanwhile = await post(db, {
      fundId: 'garantie',
      date: '2034-01-06',
      lines: transfer('512', '1025', 200n),
    });
    expect([committedMeanwhile.fiscalYear, committedMeanwhile.entryNumber]).toEqual([2034, null]);
    expect(
      await db('ledger_entries_awaiting_number')
        .where({ entry_id: committedMeanwhile.id })
        .first('fund_id', 'fiscal_year'),
    ).toEqual({ fund_id: 'garantie', fiscal_year: 2034 });
    await counter.release();
    const next = await post(db, { fundId: 'garantie', date: '2034-01-07', lines: transfer('512', '1025', 300n) });
    const numbered = await getEntry(db, 'garantie', committedMeanwhile.id);
    expect(await db('ledger_entries_awaiting_number').where({ fund_id: 'garantie' }).first()).toBeUndefined();
    expect([first.entryNumber, numbered.entryNumber, next.entryNumber]).toEqual([1, 2, 3]);
  });

  it('lets the housekeeping number what no later posting did', async () => {
    await post(db, { fundId: 'garantie', date: '2035-01-05', lines: transfer('512', '1025', 100n) });
    const counter = await holdNumberingCounter(db, 'garantie', 2035);
    const pending = await Promise.all(
      [1, 2, 3].map((day) =>
        post(db, { fundId: 'garantie', date: `2035-01-0${day + 5}`, lines: transfer('512', '1025', 100n) }),
      ),
    );
    expect(pending.map((entry) => entry.entryNumber)).toEqual([null, null, null]);
    // An entry awaiting its number can be reversed: the reversal names it by its id.
    const reversal = await db.transaction((trx) =>
      reverseEntry(
        trx,
        'garantie',
        pending[0]!.id,
        { accountingDate: '2035-01-10', reason: 'doublon' },
        { userId: null },
      ),
    );
    expect(reversal.label).toBe(`Contre-passation de l'écriture n° interne ${pending[0]!.id}`);
    await counter.release();
    expect(await runLedgerHousekeeping(db)).toContain('garantie');
    expect(await numbersOf('garantie', 2035)).toEqual([1, 2, 3, 4, 5]);
    expect((await verifyLedger(db)).problems).toEqual([]);
  });

  it("keeps a cash account's floor whole while its increases are pending movements", async () => {
    // Money in is a pending movement; money out folds it in first, so that the floor judges the whole balance.
    await post(db, { fundId: 'developpement', date: '2036-02-01', lines: transfer('512', '1011', 500_00n) });
    const pending = await db('account_balance_movements as m')
      .join('accounts as a', 'a.id', 'm.account_id')
      .where({ 'a.fund_id': 'developpement', 'a.code': '512' })
      .count({ n: '*' })
      .first();
    expect(Number(pending?.n)).toBeGreaterThan(0);
    const balance = await accountBalance(db, 'developpement', '512');
    await expect(
      post(db, { fundId: 'developpement', date: '2036-02-02', lines: transfer('6226', '512', balance + 1n) }),
    ).rejects.toMatchObject({ constraint: 'accounts_floor' });
    await post(db, { fundId: 'developpement', date: '2036-02-02', lines: transfer('6226', '512', balance) });
    expect(await accountBalance(db, 'developpement', '512')).toBe(0n);
    const folded = await db('account_balance_movements as m')
      .join('accounts as a', 'a.id', 'm.account_id')
      .where({ 'a.fund_id': 'developpement', 'a.code': '512' })
      .count({ n: '*' })
      .first();
    expect(Number(folded?.n)).toBe(0);
    expect((await verifyLedger(db)).problems).toEqual([]);
  });
});

describe('money in and out at once', () => {
  it('takes concurrent receipts, payments and housekeeping without deadlock, and never lets the bank go below zero', async () => {
    await db.transaction((trx) =>
      ensureFund(trx, { id: 'flux', kind: 'guarantee', name: 'Fonds de flux', siren: '900000035' }),
    );
    await post(db, { fundId: 'flux', date: '2037-01-02', lines: transfer('512', '1025', 100_00n) });
    // 100 € in the bank, 60 receipts of 10 € and 60 payments of 25 €: at most 28 payments can be covered,
    // and the first four always are.
    const receipts = Array.from({ length: 60 }, () =>
      post(db, { fundId: 'flux', date: '2037-01-03', lines: transfer('512', '1025', 10_00n) }),
    );
    const payments = Array.from({ length: 60 }, () =>
      post(db, { fundId: 'flux', date: '2037-01-03', lines: transfer('6226', '512', 25_00n) }),
    );
    const housekeeping = Array.from({ length: 5 }, () => runLedgerHousekeeping(db));
    const results = await Promise.allSettled([...receipts, ...payments, ...housekeeping]);
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    // Only payments may be refused, and only by the floor.
    expect(refused.every((result) => (result.reason as { constraint?: string }).constraint === 'accounts_floor')).toBe(
      true,
    );
    expect(results.slice(0, 60).every((result) => result.status === 'fulfilled')).toBe(true);
    const paid = results.slice(60, 120).filter((result) => result.status === 'fulfilled').length;
    expect(paid).toBeGreaterThanOrEqual(4);
    expect(paid).toBeLessThanOrEqual(28);
    const after = await accountBalance(db, 'flux', '512');
    expect(after).toBe(100_00n + 60n * 10_00n - BigInt(paid) * 25_00n);
    expect(after >= 0n).toBe(true);
    await runLedgerHousekeeping(db);
    expect((await verifyLedger(db)).problems).toEqual([]);
  });
});

describe('reversal', () => {
  it('mirrors the entry, links both, and happens once even when asked twice at once', async () => {
    const original = await post(db, {
      fundId: 'dotation',
      date: '2026-07-01',
      lines: [
        { accountCode: '512', amountMinor: 300_00n },
        { accountCode: '7541', amountMinor: -200_00n },
        { accountCode: '7542', amountMinor: -100_00n },
      ],
    });
    const attempts = await Promise.allSettled(
      [1, 2].map(() =>
        db.transaction((trx) =>
          reverseEntry(
            trx,
            'dotation',
            original.id,
            { accountingDate: '2026-07-02', reason: 'doublon' },
            { userId: null },
          ),
        ),
      ),
    );
    const reversals = attempts.filter((attempt) => attempt.status === 'fulfilled').map((attempt) => attempt.value);
    expect(reversals).toHaveLength(1);
    expect(attempts.find((attempt) => attempt.status === 'rejected')).toMatchObject({
      reason: expect.any(ConflictError),
    });
    const reversal = reversals[0]!;
    expect(reversal.reversesEntryId).toBe(original.id);
    expect(reversal.postings.map((posting) => [posting.accountCode, posting.amountMinor])).toEqual(
      original.postings.map((posting) => [posting.accountCode, -posting.amountMinor]),
    );
    expect((await verifyLedger(db)).ok).toBe(true);
  });
});
