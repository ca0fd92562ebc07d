import { committeeThatApproved } from '../committees/membership';
import { getFund } from '../ledger/queries';
import type { Database } from '../db/database';
import type { DocumentKind } from '../documents/service';
import { grantTerms } from '../endowment/grants';
import { getOrganisation } from '../organisations/service';
import { findWorkflow, workflowHistory } from '../workflow-runtime';
import type { ApplicationContext } from '../../workflows/application.machine';
import { grantAgreement } from '../../templates/grant-agreement';

/** The grant agreement of an approved application, from the file as it stands. */
export const grantAgreementDocument: DocumentKind = {
  kind: 'grant-agreement',
  build: async (db: Database, applicationId: string, createdAt: Date) => {
    const application = await db('applications').where('id', applicationId).first();
    const instance = await findWorkflow<ApplicationContext>(db, 'application', {
      type: 'application',
      id: applicationId,
    });
    if (!instance.context.approvedAmountMinor) throw new Error(`Application ${applicationId} has no approved amount`);
    const organisation = await getOrganisation(db, application.organisation_id);
    const fund = await getFund(db, application.fund_id);
    const approval = (await workflowHistory(db, instance.id)).filter((row) => row.event === 'APPROVE').at(-1);
    const committeeName = await committeeThatApproved(db, applicationId);
    const reference = `CS-${applicationId.slice(0, 8).toUpperCase()}`;
    const terms = await grantTerms(db, applicationId);
    return {
      fileName: `convention-${reference}.pdf`,
      definition: grantAgreement({
        reference,
        fund: { name: fund.name, siren: fund.siren },
        organisation: {
          name: organisation.name,
          legalForm: organisation.legalForm,
          siren: organisation.siren,
          rna: organisation.rna,
          address: organisation.addressLine
            ? `${organisation.addressLine}, ${organisation.postalCode ?? ''} ${organisation.city ?? ''}`.trim()
            : null,
          iban: organisation.iban,
        },
        project: application.pre_proposal?.project ?? application.first_message,
        amountMinor: BigInt(instance.context.approvedAmountMinor),
        pool: terms?.pool ?? null,
        tranches: terms?.tranches ?? [],
        decidedOn: approval?.occurredAt ?? createdAt,
        decidedBy: committeeName ?? "comité d'engagement",
        generatedAt: createdAt,
      }),
    };
  },
};
