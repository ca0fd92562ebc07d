import type { Database, Transaction } from '../db/database';

/**
 * Auxiliary accounts: one account of the books per party a fund owes or holds
 * money for (a grant's beneficiary under 4671, a pool's dedicated funds under
 * 195, an investor to come). The register `auxiliary_accounts` ties each such
 * account to exactly one holder and each holder to one account per root, so two
 * parties never share an account whatever their names or identifiers: the code
 * is read from the register, never rebuilt from the holder's id
 * (migrations/…_020_auxiliary_accounts_and_bounds.ts, ledger_open_auxiliary_account).
 */
export type AuxiliaryHolder = { type: 'organisation' | 'pool' | 'investor'; id: string; name: string };

export type AuxiliaryAccountRequest = {
  fundId: string;
  /** The chart account it details (4671, 195…): the FEC's CompteNum. */
  rootCode: string;
  holder: AuxiliaryHolder;
  label: string;
  type: 'asset' | 'liability' | 'equity' | 'income' | 'expense';
  mayGoNegative: boolean;
};

/** The holder's account under this root (its code), opened the first time it is needed. */
export async function openAuxiliaryAccount(trx: Transaction, request: AuxiliaryAccountRequest): Promise<string> {
  const { rows } = await trx.raw('select ledger_open_auxiliary_account(?, ?, ?, ?, ?, ?, ?, ?) as code', [
    request.fundId,
    request.rootCode,
    request.holder.type,
    request.holder.id,
    request.holder.name,
    request.label,
    request.type,
    request.mayGoNegative,
  ]);
  return rows[0].code;
}

/** The funds that keep an account for this holder: those that owe it, or hold, money. */
export async function fundsOfHolder(
  db: Database | Transaction,
  holder: Pick<AuxiliaryHolder, 'type' | 'id'>,
): Promise<string[]> {
  const rows: { fund_id: string }[] = await db('auxiliary_accounts')
    .where({ holder_type: holder.type, holder_id: holder.id })
    .distinct('fund_id');
  return rows.map((row) => row.fund_id);
}
