/**
 * Who owns each table: the one module (folder under src/) that reads and
 * writes it. Another module calls that module's functions instead of naming the
 * table; test/tidy.test.ts fails when one does. A new table gets its line here
 * in the same change as its migration.
 */
export const tableOwners: Record<string, string> = {
  users: 'identity',
  role_grants: 'identity',
  role_changes: 'identity',
  sessions: 'identity',
  api_tokens: 'identity',
  password_resets: 'identity',

  funds: 'ledger',
  journals: 'ledger',
  accounts: 'ledger',
  auxiliary_accounts: 'ledger',
  period_closures: 'ledger',
  entry_number_counters: 'ledger',
  journal_entries: 'ledger',
  postings: 'ledger',
  ledger_entries_awaiting_number: 'ledger',
  account_balance_movements: 'ledger',
  account_balances: 'ledger',

  workflow_instances: 'workflow-runtime',
  workflow_history: 'workflow-runtime',

  outbox: 'jobs',
  documents: 'documents',
  notifications: 'notifications',

  organisations: 'organisations',
  organisation_invitations: 'organisations',
  organisation_files: 'organisations',
  organisation_bank_details_changes: 'organisations',

  applications: 'pathway',
  application_exchanges: 'pathway',
  grant_reports: 'pathway',

  committees: 'committees',
  committee_members: 'committees',
  vote_sessions: 'committees',
  vote_session_members: 'committees',
  conflict_declarations: 'committees',
  votes: 'committees',
  vote_ballots: 'committees',

  endowment_settings: 'endowment',
  tax_reduction_rates: 'endowment',
  donors: 'endowment',
  donations: 'endowment',
  donation_imports: 'endowment',
  annual_receipt_runs: 'endowment',
  donation_import_lines: 'endowment',
  tax_receipt_counters: 'endowment',
  tax_receipts: 'endowment',
  tax_receipt_donations: 'endowment',
  pools: 'endowment',
  pool_amendments: 'endowment',
  grants: 'endowment',
  grant_tranches: 'endowment',

  treasury_accounts: 'treasury',
  payment_batches: 'treasury',
  disbursement_requests: 'treasury',
  disbursements: 'treasury',
  bank_statements: 'treasury',
  bank_lines: 'treasury',
  bank_matches: 'treasury',
  match_proposal_runs: 'treasury',
  statement_uploads: 'treasury',
  vehicle_rules: 'fpci',
  investors: 'fpci',
  closings: 'fpci',
  subscriptions: 'fpci',
  bank_match_lines: 'treasury',
  bank_match_items: 'treasury',
  expected_receipts: 'treasury',
};
