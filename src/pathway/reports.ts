import { grantOf } from '../endowment/grants';
import type { Database, Transaction } from '../db/database';
import { assert, NotFoundError, RuleViolationError } from '../errors';
import { releaseTranches } from '../endowment/grants';
import type { Principal } from '../identity/roles';
import { euros, toApiAmount } from '../money';
import { notify } from '../notifications/service';
import { findWorkflow, lockWorkflow, sendWorkflowEvent, startWorkflow, workflowHistory } from '../workflow-runtime';
import { reportWorkflow, type ReportContext, type ReportEvent } from '../../workflows/report.machine';
import { relationsOnApplication } from './access';
import { pathwayMessages } from './messages';

/**
 * A granted project reports on its activity and its use of the money; the
 * referent accepts the report — releasing the next tranche — or asks for changes.
 */
const reportSubject = (reportId: string) => ({ type: 'grant-report', id: reportId });

export async function submitReport(
  trx: Transaction,
  applicationId: string,
  report: { summary: string; spent: bigint },
  principal: Principal,
): Promise<string> {
  const { relations, instance, row } = await relationsOnApplication(trx, applicationId, principal);
  if (!relations.includes('applicant'))
    throw new RuleViolationError('pathway/applicant-only', pathwayMessages.onlyBeneficiaryReports);
  if (instance.state !== 'active')
    throw new RuleViolationError('pathway/not-active', pathwayMessages.reportOnActiveGrant);
  const grant = await grantOf(trx, applicationId);
  assert(grant, `the grant of the active file ${applicationId}`);
  const [created] = await trx('grant_reports')
    .insert({
      grant_id: grant.id,
      application_id: applicationId,
      summary: report.summary,
      spent_minor: report.spent,
      submitted_by: principal.userId,
    })
    .returning('id');
  await startWorkflow(
    trx,
    reportWorkflow,
    reportSubject(created.id),
    undefined,
    { userId: principal.userId, relations },
    'Compte rendu envoyé',
  );
  const referent = (instance.context as { referentId: string | null }).referentId;
  if (referent)
    await notify(trx, [referent], {
      subject: { type: 'application', id: row.id },
      title: 'Un compte rendu attend votre lecture',
      body: report.summary.slice(0, 500),
      link: `/dossiers/${row.id}#comptes-rendus`,
    });
  return created.id;
}

/** Accepts, asks changes to, or resubmits a report, each by its person. */
export async function reviewReport(
  trx: Transaction,
  reportId: string,
  step: { event: ReportEvent['type']; feedback?: string | undefined; summary?: string | undefined },
  principal: Principal,
): Promise<string> {
  const report = await trx('grant_reports').where('id', reportId).first();
  if (!report) throw new NotFoundError(pathwayMessages.reportMissing);
  const { relations } = await relationsOnApplication(trx, report.application_id, principal).catch(() => {
    throw new NotFoundError(pathwayMessages.reportMissing);
  });
  const instance = await lockWorkflow<ReportContext>(trx, 'report', reportSubject(reportId));
  const event: ReportEvent =
    step.event === 'REQUEST_CHANGES'
      ? { type: 'REQUEST_CHANGES', feedback: step.feedback ?? '' }
      : { type: step.event };
  const next = await sendWorkflowEvent(
    trx,
    reportWorkflow,
    instance,
    event,
    { userId: principal.userId, relations },
    step.feedback,
  );
  if (step.event === 'RESUBMIT' && step.summary)
    await trx('grant_reports').where('id', reportId).update({ summary: step.summary, updated_at: trx.fn.now() });
  if (next.state === 'accepted') await releaseTranches(trx, report.application_id, 'report-accepted');
  return next.state;
}

export async function reportsOf(db: Database | Transaction, applicationId: string) {
  const rows = await db('grant_reports').where('application_id', applicationId).orderBy('created_at');
  return Promise.all(
    rows.map(async (row) => {
      const instance = await findWorkflow<ReportContext>(db, 'report', reportSubject(row.id));
      return {
        id: row.id,
        summary: row.summary,
        spent: toApiAmount(euros(row.spent_minor)),
        state: instance.state,
        feedback: instance.context.feedback,
        history: await workflowHistory(db, instance.id),
      };
    }),
  );
}
