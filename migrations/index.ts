import type { Knex } from 'knex';
import * as identity from './20261125_001_identity';
import * as ledger from './20261125_002_ledger';
import * as workflows from './20261125_003_workflows';
import * as organisations from './20261125_004_organisations';
import * as applications from './20261125_005_applications';
import * as outbox from './20261125_006_outbox_documents_notifications';
import * as committees from './20261125_007_committees';
import * as exchangesPeopleFiles from './20261125_008_exchanges_people_files';
import * as endowmentGifts from './20261125_009_endowment_gifts';
import * as grantsPools from './20261125_010_grants_pools';
import * as grantReports from './20261125_011_grant_reports';
import * as disbursements from './20261125_012_disbursements';
import * as bankStatements from './20261125_013_bank_statements';
import * as bankMatches from './20261125_014_bank_matches';
import * as csvStatementFormat from './20261125_015_csv_statement_format';
import * as reconciliation from './20261126_016_reconciliation';
import * as ledgerPostFunction from './20261126_017_ledger_post_function';
import * as ledgerHotPath from './20261126_018_ledger_hot_path';
import * as ledgerNoWaitAtCommit from './20261126_019_ledger_no_wait_at_commit';
import * as auxiliaryAccountsAndBounds from './20261201_020_auxiliary_accounts_and_bounds';
import * as decisions from './20261201_021_decisions';
import * as bankDetailsChanges from './20261201_022_bank_details_changes';
import * as statementPages from './20261201_023_statement_pages';
import * as outboxCompletion from './20261201_024_outbox_completion';
import * as notificationPreferences from './20261201_025_notification_preferences';
import * as organisationOpeners from './20261201_026_organisation_openers';
import * as passwordResets from './20261202_028_password_resets';
import * as donationImports from './20261201_027_donation_imports';
import * as donorChoices from './20261202_029_donor_choices';
import * as annualReceiptRuns from './20261202_030_annual_receipt_runs';
import * as matchProposalRuns from './20261202_031_match_proposal_runs';
import * as statementUploads from './20261202_032_statement_uploads';
import * as roleChanges from './20261202_033_role_changes';
import * as fpciInvestorsAndClosings from './20261202_034_fpci_investors_and_closings';
import * as capitalCalls from './20261202_035_capital_calls';
import * as distributions from './20261202_036_distributions';
import * as investorContacts from './20261202_037_investor_contacts';
import * as redirectedFiles from './20261207_038_redirected_files';
import * as distributionPayments from './20261207_039_distribution_payments';
import * as callPaymentsFromTheBank from './20261207_040_call_payments_from_the_bank';
import * as subscriptionPayments from './20261207_041_subscription_payments';
import * as equalisationInterest from './20261207_042_equalisation_interest';
import * as accountOpenings from './20261207_043_account_openings';
import * as investments from './20261207_044_investments';
import * as investmentDrawdowns from './20261207_045_investment_drawdowns';
import * as investmentReceipts from './20261207_046_investment_receipts';
import * as valuations from './20261207_047_valuations';
import * as quarterCloses from './20261207_048_quarter_closes';

/**
 * Every migration, in order. Listed explicitly rather than read from the folder
 * so that the same list runs under tsx, jest and a compiled build alike.
 * A landed migration is never edited: add a new one.
 */
export const migrations: Record<string, Knex.Migration> = {
  '20261125_001_identity': identity,
  '20261125_002_ledger': ledger,
  '20261125_003_workflows': workflows,
  '20261125_004_organisations': organisations,
  '20261125_005_applications': applications,
  '20261125_006_outbox_documents_notifications': outbox,
  '20261125_007_committees': committees,
  '20261125_008_exchanges_people_files': exchangesPeopleFiles,
  '20261125_009_endowment_gifts': endowmentGifts,
  '20261125_010_grants_pools': grantsPools,
  '20261125_011_grant_reports': grantReports,
  '20261125_012_disbursements': disbursements,
  '20261125_013_bank_statements': bankStatements,
  '20261125_014_bank_matches': bankMatches,
  '20261125_015_csv_statement_format': csvStatementFormat,
  '20261126_016_reconciliation': reconciliation,
  '20261126_017_ledger_post_function': ledgerPostFunction,
  '20261126_018_ledger_hot_path': ledgerHotPath,
  '20261126_019_ledger_no_wait_at_commit': ledgerNoWaitAtCommit,
  '20261201_020_auxiliary_accounts_and_bounds': auxiliaryAccountsAndBounds,
  '20261201_021_decisions': decisions,
  '20261201_022_bank_details_changes': bankDetailsChanges,
  '20261201_023_statement_pages': statementPages,
  '20261201_024_outbox_completion': outboxCompletion,
  '20261201_025_notification_preferences': notificationPreferences,
  '20261201_026_organisation_openers': organisationOpeners,
  '20261201_027_donation_imports': donationImports,
  '20261202_028_password_resets': passwordResets,
  '20261202_029_donor_choices': donorChoices,
  '20261202_030_annual_receipt_runs': annualReceiptRuns,
  '20261202_031_match_proposal_runs': matchProposalRuns,
  '20261202_032_statement_uploads': statementUploads,
  '20261202_033_role_changes': roleChanges,
  '20261202_034_fpci_investors_and_closings': fpciInvestorsAndClosings,
  '20261202_035_capital_calls': capitalCalls,
  '20261202_036_distributions': distributions,
  '20261202_037_investor_contacts': investorContacts,
  '20261207_038_redirected_files': redirectedFiles,
  '20261207_039_distribution_payments': distributionPayments,
  '20261207_040_call_payments_from_the_bank': callPaymentsFromTheBank,
  '20261207_041_subscription_payments': subscriptionPayments,
  '20261207_042_equalisation_interest': equalisationInterest,
  '20261207_043_account_openings': accountOpenings,
  '20261207_044_investments': investments,
  '20261207_045_investment_drawdowns': investmentDrawdowns,
  '20261207_046_investment_receipts': investmentReceipts,
  '20261207_047_valuations': valuations,
  '20261207_048_quarter_closes': quarterCloses,
};
