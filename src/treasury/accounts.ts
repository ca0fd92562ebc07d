import type { Database, Transaction } from '../db/database';
import { RuleViolationError } from '../errors';
import { treasuryMessages } from './messages';

/** The fund's bank account: where its payments leave from, and above what amount a second approver is needed. */
export type TreasuryAccount = {
  holderName: string;
  iban: string;
  bic: string;
  secondApprovalAboveMinor: bigint;
};

/** The fund's bank account recorded, once (a second call leaves the first one). */
export async function openTreasuryAccount(trx: Transaction, fundId: string, account: TreasuryAccount): Promise<void> {
  await trx('treasury_accounts')
    .insert({
      fund_id: fundId,
      holder_name: account.holderName,
      iban: account.iban,
      bic: account.bic,
      second_approval_above_minor: account.secondApprovalAboveMinor,
    })
    .onConflict('fund_id')
    .ignore();
}

export async function treasuryAccountOf(db: Database | Transaction, fundId: string): Promise<TreasuryAccount> {
  const row:
    { holder_name: string; iban: string; bic: string; second_approval_above_minor: bigint | string } | undefined =
    await db('treasury_accounts')
      .where('fund_id', fundId)
      .first('holder_name', 'iban', 'bic', 'second_approval_above_minor');
  if (!row) throw new RuleViolationError('treasury/no-paying-account', treasuryMessages.fundBankAccountMissing);
  return {
    holderName: row.holder_name,
    iban: row.iban,
    bic: row.bic,
    secondApprovalAboveMinor: BigInt(row.second_approval_above_minor),
  };
}
