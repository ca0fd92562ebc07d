import { ledgerMessages } from './messages';
import type { Transaction } from '../db/database';
import { ValidationError } from '../errors';
import { isValidSiren } from '../identifiers/luhn';
import { chartsByFundKind, journals, type FundKind } from './charts';

export type FundDefinition = {
  id: string;
  kind: FundKind;
  name: string;
  siren: string;
  fiscalYearStartMonth?: number;
};

/**
 * Creates a fund with its chart of accounts and the shared journals, or
 * completes an existing one with any account its chart gained since. Idempotent.
 */
export async function ensureFund(trx: Transaction, definition: FundDefinition): Promise<void> {
  if (!isValidSiren(definition.siren)) {
    throw new ValidationError([{ path: ['siren'], message: ledgerMessages.sirenInvalid(definition.siren) }]);
  }
  const chart = chartsByFundKind[definition.kind];
  await trx('journals').insert(journals).onConflict('code').ignore();
  await trx('funds')
    .insert({
      id: definition.id,
      kind: definition.kind,
      name: definition.name,
      siren: definition.siren,
      fiscal_year_start_month: definition.fiscalYearStartMonth ?? 1,
      accounting_standard: chart.standard,
    })
    .onConflict('id')
    .ignore();
  await trx('accounts')
    .insert(
      chart.accounts.map((account) => ({
        fund_id: definition.id,
        code: account.code,
        label: account.label,
        type: account.type,
        may_go_negative: account.mayGoNegative,
      })),
    )
    .onConflict(['fund_id', 'code'])
    .ignore();
}
