import type { BookCheck } from '../ledger/verify';

/**
 * The treasury's part of `ledger:verify`: what it was asked to pay is owed to the payee's own account — under
 * 4671 for a grant's tranche, 404 for an investment's drawdown.
 */
export const treasuryBookChecks: readonly BookCheck[] = [
  {
    check: 'auxiliary-account-holder',
    kind: 'auxiliary-accounts',
    sql: `
      select r.fund_id, format('demande de paiement %s de %s', r.id, r.organisation_id) as subject,
             case when r.drawdown_id is null then '4671' else '404' end as root_code, 'organisation' as holder_type, r.organisation_id as holder_id, r.payable_account_code as account_code
      from disbursement_requests r
      where r.organisation_id is not null`,
  },
];
