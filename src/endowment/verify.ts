import type { BookCheck } from '../ledger/verify';

/**
 * The endowment fund's part of `ledger:verify`: what its gifts, receipts, grants
 * and pools say must agree with the entries and auxiliary accounts of the books.
 * Each query lists the fund and a French sentence per disagreement.
 */
export const endowmentBookChecks: readonly BookCheck[] = [
  {
    check: 'gift-entry',
    kind: 'entries',
    sql: `
      select d.fund_id, format('don %s de %s centimes', d.id, d.amount_minor) as subject,
             d.entry_id, 'donation' as source_type, d.id::text as source_id, d.amount_minor as debit_minor
      from donations d`,
  },
  {
    check: 'gift-cancellation',
    kind: 'reversals',
    sql: `
      select d.fund_id, format('don %s', d.id) as subject, d.entry_id,
             d.cancelled_at is not null as reversed, d.cancellation_entry_id as reversal_entry_id
      from donations d`,
  },
  {
    check: 'receipt-amount',
    kind: 'records',
    sql: `
      select r.fund_id, format('reçu %s : %s centimes pour des dons de %s centimes%s', r.reference, r.amount_minor, sum(d.amount_minor),
                               case when bool_or(d.cancelled_at is not null) then ', dont un don annulé' else '' end) as detail
      from tax_receipts r join tax_receipt_donations rd on rd.receipt_id = r.id join donations d on d.id = rd.donation_id
      where r.cancelled_at is null
      group by r.id having sum(d.amount_minor) <> r.amount_minor or bool_or(d.cancelled_at is not null)`,
  },
  {
    check: 'receipt-once',
    kind: 'records',
    sql: `
      select d.fund_id, format('don %s sur %s reçus valides', d.id, count(*)) as detail
      from donations d join tax_receipt_donations rd on rd.donation_id = d.id join tax_receipts r on r.id = rd.receipt_id and r.cancelled_at is null
      group by d.id having count(*) > 1`,
  },
  {
    check: 'auxiliary-account-holder',
    kind: 'auxiliary-accounts',
    sql: `
      select g.fund_id, format('aide %s de %s', g.id, g.organisation_id) as subject,
             '4671' as root_code, 'organisation' as holder_type, g.organisation_id as holder_id, g.payable_account_code as account_code
      from grants g
      union all
      select p.fund_id, format('pool %s', p.id), '195', 'pool', p.id::text, p.account_code
      from pools p`,
  },
];
