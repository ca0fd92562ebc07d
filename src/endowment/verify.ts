import type { BookCheck } from '../ledger/verify';

/**
 * The endowment fund's part of `ledger:verify`: what its gifts, receipts, grants
 * and pools say must agree with the entries and auxiliary accounts of the books.
 * Each query lists the fund and a French sentence per disagreement.
 */
export const endowmentBookChecks: readonly BookCheck[] = [
  {
    check: 'gift-entry',
    sql: `
      select d.fund_id, format('don %s de %s centimes : son écriture %s porte %s centimes en banque ou caisse', d.id, d.amount_minor, d.entry_id, coalesce(t.debit, 0)) as detail
      from donations d
      left join journal_entries e on e.id = d.entry_id and e.fund_id = d.fund_id and e.source_type = 'donation' and e.source_id = d.id::text
      left join lateral (select sum(p.amount_minor) filter (where p.amount_minor > 0) as debit from postings p where p.entry_id = e.id) t on true
      where e.id is null or coalesce(t.debit, 0) <> d.amount_minor`,
  },
  {
    check: 'gift-cancellation',
    sql: `
      select d.fund_id, case when d.cancelled_at is null
               then format('don %s non annulé mais son écriture %s est contre-passée', d.id, d.entry_id)
               else format('don %s annulé sans que son écriture %s soit contre-passée par %s', d.id, d.entry_id, d.cancellation_entry_id) end as detail
      from donations d
      where (d.cancelled_at is null and exists (select 1 from journal_entries r where r.reverses_entry_id = d.entry_id))
         or (d.cancelled_at is not null and not exists (select 1 from journal_entries r where r.id = d.cancellation_entry_id and r.reverses_entry_id = d.entry_id))`,
  },
  {
    check: 'receipt-amount',
    sql: `
      select r.fund_id, format('reçu %s : %s centimes pour des dons de %s centimes%s', r.reference, r.amount_minor, sum(d.amount_minor),
                               case when bool_or(d.cancelled_at is not null) then ', dont un don annulé' else '' end) as detail
      from tax_receipts r join tax_receipt_donations rd on rd.receipt_id = r.id join donations d on d.id = rd.donation_id
      where r.cancelled_at is null
      group by r.id having sum(d.amount_minor) <> r.amount_minor or bool_or(d.cancelled_at is not null)`,
  },
  {
    check: 'receipt-once',
    sql: `
      select d.fund_id, format('don %s sur %s reçus valides', d.id, count(*)) as detail
      from donations d join tax_receipt_donations rd on rd.donation_id = d.id join tax_receipts r on r.id = rd.receipt_id and r.cancelled_at is null
      group by d.id having count(*) > 1`,
  },
  {
    check: 'auxiliary-account-holder',
    sql: `
      select g.fund_id, format('aide %s de %s : compte %s, qui n''est pas le compte de tiers de ce bénéficiaire', g.id, g.organisation_id, g.payable_account_code) as detail
      from grants g
      where not exists (
        select 1 from auxiliary_accounts x join accounts a on a.id = x.account_id
        where x.fund_id = g.fund_id and x.root_code = '4671' and x.holder_type = 'organisation' and x.holder_id = g.organisation_id and a.code = g.payable_account_code)
      union all
      select r.fund_id, format('demande de paiement %s de %s : compte %s au lieu de %s', r.id, r.organisation_id, r.payable_account_code, g.payable_account_code)
      from disbursement_requests r join grant_tranches t on t.id = r.tranche_id join grants g on g.id = t.grant_id
      where r.payable_account_code <> g.payable_account_code
      union all
      select p.fund_id, format('pool %s : compte %s, qui n''est pas le sien', p.id, p.account_code)
      from pools p
      where not exists (
        select 1 from auxiliary_accounts x join accounts a on a.id = x.account_id
        where x.fund_id = p.fund_id and x.root_code = '195' and x.holder_type = 'pool' and x.holder_id = p.id and a.code = p.account_code)`,
  },
];
