import { isDonorOf } from '../endowment/gifts';
import type { Database, Transaction } from '../db/database';
import { assert, ValidationError } from '../errors';
import { newCreditorReference } from '../identifiers/creditor-reference';
import { euros, toApiAmount } from '../money';
import { treasuryMessages } from './messages';

/**
 * Money the fund awaits — a donor's announced transfer — with the structured
 * reference (ISO 11649) the donor is asked to quote. The matcher pairs it with
 * the bank's credit line; confirming records the gift, with its receipt.
 */
export type NewExpectedReceipt = {
  donorId: string;
  amount: bigint;
  expectedOn: string;
  label: string;
  counterpartyIban?: string | null | undefined;
};

export async function expectReceipt(
  trx: Transaction,
  fundId: string,
  input: NewExpectedReceipt,
  userId: string,
): Promise<string> {
  if (!(await isDonorOf(trx, fundId, input.donorId)))
    throw new ValidationError([{ path: ['donorId'], message: treasuryMessages.donorUnknown }]);
  const [row] = await trx('expected_receipts')
    .insert({
      fund_id: fundId,
      kind: 'donation',
      donor_id: input.donorId,
      amount_minor: input.amount,
      structured_reference: newCreditorReference(),
      counterparty_iban: input.counterpartyIban ?? null,
      expected_on: input.expectedOn,
      label: input.label,
      created_by: userId,
    })
    .returning('id');
  return row.id;
}

/** The structured creditor reference (ISO 11649) the payer is asked to quote. */
export async function referenceOfExpectedReceipt(db: Database | Transaction, receiptId: string): Promise<string> {
  const row: { structured_reference: string } | undefined = await db('expected_receipts')
    .where('id', receiptId)
    .first('structured_reference');
  assert(row, `the expected receipt ${receiptId}`);
  return row.structured_reference;
}

export async function listExpectedReceipts(db: Database, fundId: string, filter: { awaitedBy?: string } = {}) {
  const query = db('expected_receipts as r')
    .leftJoin(
      db('bank_match_items as i')
        .join('bank_matches as m', 'm.id', 'i.match_id')
        .where({ 'i.live': true, 'i.item_type': 'expected-receipt', 'm.status': 'confirmed' })
        .select('i.item_key', 'm.id as match_id')
        .as('received'),
      'received.item_key',
      db.raw('r.id::text'),
    )
    .where('r.fund_id', fundId)
    .orderBy('r.expected_on')
    .select('r.*', db.raw('r.expected_on::text as expected_date'), 'received.match_id');
  if (filter.awaitedBy) query.whereNull('received.match_id').where('r.expected_on', '<=', filter.awaitedBy);
  const rows = await query;
  return rows.map((row) => ({
    id: row.id,
    donorId: row.donor_id,
    amount: toApiAmount(euros(BigInt(row.amount_minor))),
    structuredReference: row.structured_reference,
    counterpartyIban: row.counterparty_iban,
    expectedOn: row.expected_date,
    label: row.label,
    receivedByMatch: row.match_id ?? null,
  }));
}
