import type { Database } from '../../src/db/database';
import { ConflictError, RuleViolationError } from '../../src/errors';
import { exportFec } from '../../src/ledger/fec';
import { closeFiscalYear, closeMonth, fiscalYearBounds, fiscalYearOf, reopenMonth } from '../../src/ledger/periods';
import { accountBalance } from '../../src/ledger/queries';
import { verifyLedger } from '../../src/ledger/verify';
import { createFunds, holdFundLockShared, holdNumberingCounter, post, transfer } from '../support/ledger-fixtures';
import { fecCents, fecRecordsFollowingTheRules } from '../support/fec';
import { createTestDatabase, type TestDatabase } from '../support/services';

let database: TestDatabase;
let db: Database;
const actor = { userId: null };

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await createFunds(db);
});
afterAll(() => database.drop());

describe('fiscal years', () => {
  it('runs from January to December by default, and across two calendar years otherwise', () => {
    expect(fiscalYearBounds(1, 2026)).toEqual({ startsOn: '2026-01-01', endsOn: '2026-12-31' });
    expect(fiscalYearBounds(7, 2026)).toEqual({ startsOn: '2025-07-01', endsOn: '2026-06-30' });
    expect(fiscalYearBounds(3, 2028)).toEqual({ startsOn: '2027-03-01', endsOn: '2028-02-29' });
    expect(fiscalYearOf(7, '2025-07-01')).toBe(2026);
    expect(fiscalYearOf(7, '2026-06-30')).toBe(2026);
    expect(fiscalYearOf(1, '2026-12-31')).toBe(2026);
  });
});

describe('closing periods', () => {
  it('refuses entries in a closed month, accepts them once reopened, and refuses a second close', async () => {
    const closure = await db.transaction((trx) => closeMonth(trx, 'garantie', '2026-01', 'clôture mensuelle', actor));
    await expect(
      post(db, { fundId: 'garantie', date: '2026-01-20', lines: transfer('512', '1025', 100n) }),
    ).rejects.toMatchObject({ code: 'ML003' });
    const second = db.transaction((trx) => closeMonth(trx, 'garantie', '2026-01', 'encore', actor));
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    // Said in French, the date too: "1er janvier 2026", never 2026-01-01 in a sentence.
    await expect(second).rejects.toThrow('Cette période est déjà close (mois commençant le 1er janvier 2026).');
    await db.transaction((trx) => reopenMonth(trx, 'garantie', closure.id, 'pièce oubliée', actor));
    await post(db, { fundId: 'garantie', date: '2026-01-20', lines: transfer('512', '1025', 100n) });
  });

  it('closes a fiscal year, opens the next with the à-nouveaux, and never reopens it', async () => {
    await post(db, { date: '2026-02-01', lines: transfer('512', '1081', 10_000_00n) });
    await post(db, { date: '2026-03-01', journalCode: 'DONS', lines: transfer('512', '7541', 2_500_00n) });
    await post(db, { date: '2026-09-01', journalCode: 'AIDES', lines: transfer('6571', '4671', 1_200_00n) });
    await post(db, { date: '2026-10-01', lines: transfer('4671', '512', 1_200_00n) });
    const march = await db.transaction((trx) => closeMonth(trx, 'dotation', '2026-03', 'mars', actor));

    const { closure, openingEntry } = await db.transaction((trx) =>
      closeFiscalYear(trx, 'dotation', 2026, 'clôture 2026', actor),
    );
    expect(closure.kind).toBe('year');
    expect(openingEntry).not.toBeNull();
    expect(openingEntry!.accountingDate).toBe('2027-01-01');
    expect(openingEntry!.journalCode).toBe('AN');
    const lines = Object.fromEntries(
      openingEntry!.postings.map((posting) => [posting.accountCode, posting.amountMinor]),
    );
    // Bank 10 000 + 2 500 − 1 200; equity 10 000; surplus 2 500 − 1 200 = 1 300 on 120.
    expect(lines).toEqual({ '512': 11_300_00n, '1081': -10_000_00n, '120': -1_300_00n });

    await expect(post(db, { date: '2026-12-31', lines: transfer('512', '7541', 100n) })).rejects.toMatchObject({
      code: 'ML003',
    });
    await expect(
      db.transaction((trx) => reopenMonth(trx, 'dotation', march.id, 'trop tard', actor)),
    ).rejects.toBeInstanceOf(RuleViolationError);
    await expect(
      db.transaction((trx) => reopenMonth(trx, 'dotation', closure.id, 'trop tard', actor)),
    ).rejects.toBeInstanceOf(RuleViolationError);
    await expect(
      db.transaction((trx) => closeFiscalYear(trx, 'dotation', 2026, 'encore', actor)),
    ).rejects.toBeInstanceOf(ConflictError);

    // The opening entry restates balances: it does not move money a second time.
    expect(await accountBalance(db, 'dotation', '512')).toBe(11_300_00n);
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  it('waits, to close a month, for the entries being committed, and numbers those awaiting a number', async () => {
    // Hold the counter so that an entry of the month commits awaiting its number.
    await post(db, { fundId: 'garantie', date: '2029-03-01', lines: transfer('512', '1025', 100n) });
    const counter = await holdNumberingCounter(db, 'garantie', 2029);
    const waiting = await post(db, { fundId: 'garantie', date: '2029-03-02', lines: transfer('512', '1025', 100n) });
    await counter.release();
    expect(waiting.entryNumber).toBeNull();

    const commit = await holdFundLockShared(db, 'garantie');
    let closed = false;
    const closing = db
      .transaction((trx) => closeMonth(trx, 'garantie', '2029-03', 'fin du mois', actor))
      .then((closure) => {
        closed = true;
        return closure;
      });
    const waitingForLock = async () =>
      Number(
        (await db.raw("select count(*) as n from pg_locks where locktype = 'advisory' and not granted")).rows[0].n,
      ) > 0;
    while (!(await waitingForLock())) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(false);
    await commit.release();
    expect((await closing).startsOn).toBe('2029-03-01');
    expect((await db('journal_entries').where('id', waiting.id).first('entry_number')).entry_number).toBe(2);
  });

  it('closes years in order', async () => {
    await post(db, { fundId: 'developpement', date: '2026-05-05', lines: transfer('109', '1011', 100n) });
    await post(db, { fundId: 'developpement', date: '2027-05-05', lines: transfer('109', '1011', 100n) });
    await expect(
      db.transaction((trx) => closeFiscalYear(trx, 'developpement', 2027, 'trop tôt', actor)),
    ).rejects.toMatchObject({
      type: 'ledger/previous-year-open',
    });
  });
});

describe('FEC export', () => {
  it('follows every rule of LPF art. A47 A-1 for the year after closing', async () => {
    await post(db, {
      date: '2027-02-03',
      journalCode: 'DONS',
      label: 'Don — Mme Lœtitia Müller',
      lines: transfer('512', '7541', 1_234_56n),
    });
    await post(db, { date: '2027-02-04', label: 'Frais\tbancaires', lines: transfer('627', '512', 5_00n) });
    const fec = await exportFec(db, 'dotation', 2027);

    expect(fec.fileName).toBe('900000001FEC20271231.txt');
    const { text, records } = fecRecordsFollowingTheRules(fec.content, 2027);
    // ISO 8859-15 encodes œ and ü in one byte each; UTF-8 would use two.
    expect(fec.content.includes(Buffer.from('Lœtitia', 'utf8'))).toBe(false);
    expect(text).toContain('Lœtitia Müller');
    expect(text).toContain('Frais bancaires');
    expect(text).toContain('Don - Mme');

    // The result is the sum of classes 6 and 7: 1 234,56 € of gifts less 5,00 € of fees.
    const result = records
      .filter((record) => /^[67]/.test(record('CompteNum')))
      .reduce((total, record) => total + fecCents(record('Credit')) - fecCents(record('Debit')), 0n);
    expect(result).toBe(1_229_56n);
  });
});
