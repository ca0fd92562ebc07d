import type { Database } from '../../src/db/database';
import { getEntry, postEntry, type Entry, type EntryLine } from '../../src/ledger/entries';
import { ensureFund } from '../../src/ledger/funds';

export const endowmentFund = {
  id: 'dotation',
  kind: 'endowment' as const,
  name: 'Fonds de Dotation pour la Transition Juste',
  siren: '900000001',
};
export const fpciFund = {
  id: 'developpement',
  kind: 'fpci' as const,
  name: 'Fonds de Développement pour la Transition Juste',
  siren: '900000019',
};
export const guaranteeFund = {
  id: 'garantie',
  kind: 'guarantee' as const,
  name: 'Mécanisme de Garantie ESS',
  siren: '900000027',
};

export async function createFunds(db: Database): Promise<void> {
  await db.transaction(async (trx) => {
    for (const fund of [endowmentFund, fpciFund, guaranteeFund]) await ensureFund(trx, fund);
  });
}

/** A two-line entry: debit one account, credit the other. */
export function transfer(debitCode: string, creditCode: string, amountMinor: bigint): EntryLine[] {
  return [
    { accountCode: debitCode, amountMinor },
    { accountCode: creditCode, amountMinor: -amountMinor },
  ];
}

export async function post(
  db: Database,
  options: {
    fundId?: string;
    date?: string;
    lines: EntryLine[];
    idempotencyKey?: string;
    label?: string;
    journalCode?: string;
  },
): Promise<Entry> {
  const { entry } = await db.transaction((trx) =>
    postEntry(
      trx,
      {
        fundId: options.fundId ?? endowmentFund.id,
        journalCode: options.journalCode ?? 'OD',
        accountingDate: options.date ?? '2026-03-15',
        label: options.label ?? 'Écriture de test',
        idempotencyKey: options.idempotencyKey,
        lines: options.lines,
      },
      { userId: null },
    ),
  );
  // Read back after commit, when the database has numbered it.
  return getEntry(db, entry.fundId, entry.id);
}

/** Account id by code, for raw-SQL tests. */
export async function accountId(db: Database, fundId: string, code: string): Promise<number> {
  const row = await db('accounts').where({ fund_id: fundId, code }).first('id');
  return Number(row.id);
}

/**
 * Holds a fund-year's numbering counter from another transaction, as a posting being
 * committed would, until `release()`: entries committed meanwhile await their number.
 */
export async function holdNumberingCounter(
  db: Database,
  fundId: string,
  fiscalYear: number,
): Promise<{ release: () => Promise<void> }> {
  return holdInTransaction(db, (trx) =>
    trx('entry_number_counters').where({ fund_id: fundId, fiscal_year: fiscalYear }).forUpdate().first(),
  );
}

/** Holds the fund's lock shared, as a posting's commit-time check does while it reads the closures. */
export async function holdFundLockShared(db: Database, fundId: string): Promise<{ release: () => Promise<void> }> {
  return holdInTransaction(db, (trx) =>
    trx.raw('select pg_advisory_xact_lock_shared(ledger_fund_lock_key(?))', [fundId]),
  );
}

async function holdInTransaction(
  db: Database,
  take: (trx: Database) => Promise<unknown>,
): Promise<{ release: () => Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let signalHeld!: () => void;
  const held = new Promise<void>((resolve) => (signalHeld = resolve));
  const holder = db.transaction(async (trx) => {
    await take(trx);
    signalHeld();
    await released;
  });
  await Promise.race([held, holder]);
  return {
    release: async () => {
      release();
      await holder;
    },
  };
}
