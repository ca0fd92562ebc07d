import type { Database, Transaction } from '../db/database';
import { NotFoundError, ValidationError } from '../errors';
import { euros, toApiAmount } from '../money';
import { endowmentMessages } from './messages';

/**
 * The endowment fund's own rules, data of the fund (endowment_settings): the
 * ceiling on one gift, and the bounds of a ticket outside any pool (a pool's
 * tickets follow its own rules and amendments).
 */
export type EndowmentRules = { giftAmountMaxMinor: bigint; ticketMinMinor: bigint; ticketMaxMinor: bigint };

export async function endowmentRules(db: Database | Transaction, fundId: string): Promise<EndowmentRules> {
  const row = await db('endowment_settings')
    .where('fund_id', fundId)
    .first('gift_amount_max_minor', 'ticket_min_minor', 'ticket_max_minor');
  if (!row) throw new NotFoundError(endowmentMessages.rulesMissing);
  return {
    giftAmountMaxMinor: BigInt(row.gift_amount_max_minor),
    ticketMinMinor: BigInt(row.ticket_min_minor),
    ticketMaxMinor: BigInt(row.ticket_max_minor),
  };
}

export async function setEndowmentRules(trx: Transaction, fundId: string, rules: EndowmentRules): Promise<void> {
  if (rules.ticketMaxMinor < rules.ticketMinMinor)
    throw new ValidationError([{ path: ['ticketMax'], message: endowmentMessages.ticketMaxBelowMin }]);
  const updated = await trx('endowment_settings').where('fund_id', fundId).update({
    gift_amount_max_minor: rules.giftAmountMaxMinor,
    ticket_min_minor: rules.ticketMinMinor,
    ticket_max_minor: rules.ticketMaxMinor,
  });
  if (updated === 0) throw new NotFoundError(endowmentMessages.rulesMissing);
}

/** Who the fund is, as its receipts say it; its rules take their defaults until they are set. */
export type EndowmentIdentity = {
  address: string;
  purpose: string;
  organisationType: string;
  signatoryName: string;
  signatoryCapacity: string;
};

/** The fund starts taking gifts: its identity recorded, once (a second call leaves the first one). */
export async function openEndowmentSettings(
  trx: Transaction,
  fundId: string,
  identity: EndowmentIdentity,
): Promise<void> {
  await trx('endowment_settings')
    .insert({
      fund_id: fundId,
      address: identity.address,
      purpose: identity.purpose,
      organisation_type: identity.organisationType,
      signatory_name: identity.signatoryName,
      signatory_capacity: identity.signatoryCapacity,
    })
    .onConflict('fund_id')
    .ignore();
}

export const endowmentRulesView = (rules: EndowmentRules) => ({
  giftAmountMax: toApiAmount(euros(rules.giftAmountMaxMinor)),
  ticketMin: toApiAmount(euros(rules.ticketMinMinor)),
  ticketMax: toApiAmount(euros(rules.ticketMaxMinor)),
});
