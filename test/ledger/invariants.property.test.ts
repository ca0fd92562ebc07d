import fc from 'fast-check';
import type { Database } from '../../src/db/database';
import { DomainError } from '../../src/errors';
import { chartsByFundKind } from '../../src/ledger/charts';
import { postEntry, reverseEntry, type Entry } from '../../src/ledger/entries';
import { ensureFund } from '../../src/ledger/funds';
import { runLedgerHousekeeping } from '../../src/ledger/housekeeping';
import { closeFiscalYear, closeMonth, reopenMonth } from '../../src/ledger/periods';
import { verifyLedger } from '../../src/ledger/verify';
import { holdNumberingCounter } from '../support/ledger-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/services';

/**
 * Thousands of random postings, reversals and period closes and reopenings;
 * after every step, whether it was accepted or refused, every invariant holds
 * and the balances equal those of a model kept in memory.
 */
let database: TestDatabase;
let db: Database;
const actor = { userId: null };
const accountCodes = chartsByFundKind.endowment.accounts.map((account) => account.code);

type Operation =
  | { kind: 'post'; date: string; lines: { code: string; amountMinor: bigint }[]; counterBusy: boolean }
  | { kind: 'housekeeping' }
  | { kind: 'reverse'; pick: number; date: string }
  | { kind: 'close-month'; month: string }
  | { kind: 'reopen'; pick: number }
  | { kind: 'close-year'; year: number };

const dateArbitrary = fc
  .record({
    year: fc.constantFrom(2026, 2027),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);

/** Balanced by construction: the last line takes the opposite of the others' sum. */
const linesArbitrary = fc
  .array(
    fc.record({
      code: fc.constantFrom(...accountCodes),
      amountMinor: fc.bigInt({ min: -500_000n, max: 500_000n }).filter((amount) => amount !== 0n),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .chain((lines) =>
    fc.constantFrom(...accountCodes).map((closingCode) => {
      const total = lines.reduce((sum, line) => sum + line.amountMinor, 0n);
      return [...lines, { code: closingCode, amountMinor: -total }].filter((line) => line.amountMinor !== 0n);
    }),
  );

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('post' as const),
      date: dateArbitrary,
      lines: linesArbitrary,
      counterBusy: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('housekeeping' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat(), date: dateArbitrary }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('close-month' as const),
      month: dateArbitrary.map((date) => date.slice(0, 7)),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close-year' as const), year: fc.constant(2026) }) },
);

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database.drop());

/** Runs `work` while another transaction holds the fund-year's numbering counter, as a concurrent posting would. */
async function whileCounterBusy<T>(fundId: string, fiscalYear: number, work: () => Promise<T>): Promise<T> {
  const counter = await holdNumberingCounter(db, fundId, fiscalYear);
  try {
    return await work();
  } finally {
    await counter.release();
  }
}

/** Applies one operation; returns the entry that moves money, if any (opening entries only restate). */
async function apply(fundId: string, operation: Operation): Promise<Entry | null> {
  if (operation.kind === 'housekeeping') {
    await runLedgerHousekeeping(db);
    return null;
  }
  if (operation.kind === 'post' && operation.counterBusy) {
    return whileCounterBusy(fundId, Number(operation.date.slice(0, 4)), () =>
      apply(fundId, { ...operation, counterBusy: false }),
    );
  }
  return db.transaction(async (trx) => {
    switch (operation.kind) {
      case 'post':
        return (
          await postEntry(
            trx,
            {
              fundId,
              journalCode: 'OD',
              accountingDate: operation.date,
              label: 'aléatoire',
              lines: operation.lines.map((line) => ({ accountCode: line.code, amountMinor: line.amountMinor })),
            },
            actor,
          )
        ).entry;
      case 'reverse': {
        const entries = await trx('journal_entries')
          .where({ fund_id: fundId, is_opening: false })
          .orderBy('id')
          .select('id');
        if (entries.length === 0) return null;
        return reverseEntry(
          trx,
          fundId,
          Number(entries[operation.pick % entries.length]!.id),
          { accountingDate: operation.date, reason: 'test' },
          actor,
        );
      }
      case 'close-month':
        await closeMonth(trx, fundId, operation.month, 'test', actor);
        return null;
      case 'reopen': {
        const closures = await trx('period_closures')
          .where({ fund_id: fundId, kind: 'month' })
          .whereNull('reopened_at')
          .orderBy('id')
          .select('id');
        if (closures.length > 0)
          await reopenMonth(trx, fundId, Number(closures[operation.pick % closures.length]!.id), 'test', actor);
        return null;
      }
      case 'close-year':
        await closeFiscalYear(trx, fundId, operation.year, 'test', actor);
        return null;
    }
  });
}

let run = 0;

it('keeps every invariant after each of thousands of random steps', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(operationArbitrary, { minLength: 400, maxLength: 400 }), async (operations) => {
      run += 1;
      const fundId = `propriete-${run}`;
      await db.transaction((trx) =>
        ensureFund(trx, { id: fundId, kind: 'endowment', name: `Propriété ${run}`, siren: '900000001' }),
      );
      let accepted = 0;
      // The model: balances from the entries the service said it made, kept apart from the database.
      const model = new Map<string, bigint>();
      for (const operation of operations) {
        const entriesBefore = await db('journal_entries').where('fund_id', fundId).count({ total: '*' }).first();
        try {
          const entry = await apply(fundId, operation);
          for (const posting of entry?.postings ?? [])
            model.set(posting.accountCode, (model.get(posting.accountCode) ?? 0n) + posting.amountMinor);
          accepted += 1;
        } catch (error) {
          // Refusals are expected (closed periods, cash floors, second reversals) and typed; nothing half-written remains.
          const typed =
            error instanceof DomainError ||
            (typeof (error as { code?: string }).code === 'string' &&
              /^(ML|23)/.test((error as { code: string }).code));
          if (!typed) throw error;
          const entriesAfter = await db('journal_entries').where('fund_id', fundId).count({ total: '*' }).first();
          expect(entriesAfter).toEqual(entriesBefore);
        }
        const verification = await verifyLedger(db);
        expect(verification.problems).toEqual([]);
        const stored = await db('accounts as a')
          .join('account_balances as b', 'b.account_id', 'a.id')
          .where('a.fund_id', fundId)
          .select('a.code', 'b.balance_minor');
        for (const account of stored)
          expect([account.code, account.balance_minor]).toEqual([account.code, model.get(account.code) ?? 0n]);
      }
      expect(accepted).toBeGreaterThan(0);
      // Whatever waited for its number has one once the housekeeping has run.
      await runLedgerHousekeeping(db);
      const unnumbered = await db('journal_entries')
        .where('fund_id', fundId)
        .whereNull('entry_number')
        .count({ n: '*' })
        .first();
      expect(Number(unnumbered?.n)).toBe(0);
      expect((await verifyLedger(db)).problems).toEqual([]);
    }),
    { numRuns: 5 },
  );
});
