import type { Transaction } from '../db/database';
import { euros, formatFrench } from '../money';
import { holdersOf } from '../identity/service';
import { notify } from '../notifications/service';
import { getOrganisation } from '../organisations/service';
import type { WorkflowActor, WorkflowInstance } from '../workflow-runtime';
import type { ApplicationContext, ApplicationEvent, ProposalStep } from '../../workflows/application.machine';
import type { ApplicationRow } from './access';

/** What each step is called for the people on the pathway. */
export const stateLabels: Record<string, string> = {
  firstContact: 'premier contact',
  dialogue: 'dialogue avec le référent',
  preProposal: 'pré-proposition',
  proposal: 'proposition',
  instruction: 'instruction',
  committee: 'comité',
  declined: 'non retenu',
  redirected: 'réorienté',
  'agreement.awaitingApplicant': 'convention à accepter',
  'agreement.awaitingCountersignature': 'convention à contresigner',
  active: 'subvention active',
  closed: 'clôturé',
  withdrawn: 'retiré',
};

/** The parts of a proposal, as the applicant sees them. */
export const stepLabels: Record<ProposalStep, string> = {
  organisation: 'la structure',
  project: 'le projet',
  budget: 'le budget',
  impact: 'les impacts',
};

export const eventLabels: Record<ApplicationEvent['type'], string> = {
  ASSIGN_REFERENT: 'Un référent accompagne le projet',
  INVITE_PRE_PROPOSAL: 'Invitation à écrire une pré-proposition',
  SUBMIT_PRE_PROPOSAL: 'Pré-proposition envoyée',
  COMPLETE_STEP: 'Une partie de la proposition est complétée',
  SUBMIT_PROPOSAL: 'Proposition envoyée',
  GIVE_OPINION: 'Avis du référent donné',
  SEND_TO_COMMITTEE: 'Dossier présenté au comité',
  APPROVE: 'Le comité accorde la subvention',
  DECLINE: 'Le comité ne retient pas le projet',
  NOT_FUNDABLE: 'Le comité a adopté la proposition, mais elle ne peut pas être financée',
  REDIRECT: 'Le comité oriente le projet vers un autre financeur',
  SEND_BACK: 'Le comité demande de retravailler le dossier',
  REOPEN: 'Le dossier est rouvert',
  ACCEPT_AGREEMENT: 'Convention acceptée par le porteur',
  COUNTERSIGN: 'Convention contresignée : la subvention est active',
  CLOSE: 'Dossier clôturé',
  WITHDRAW: 'Le porteur a retiré son dossier',
};

/** What the committee said, in words, for the people it concerns. */
function decisionText(context: ApplicationContext, event: ApplicationEvent): string | null {
  switch (event.type) {
    case 'APPROVE':
      return `Montant accordé : ${formatFrench(euros(BigInt(event.amountMinor)))}. La convention de subvention va vous être proposée.`;
    case 'DECLINE':
      return `Retour du comité : ${context.feedback}`;
    case 'REDIRECT':
      return context.redirectedToFileId
        ? `Orientation : ${context.redirectedTo}, où le dossier continue avec le même référent. Retour du comité : ${context.feedback}`
        : `Orientation : ${context.redirectedTo}. Retour du comité : ${context.feedback}`;
    case 'SEND_BACK':
      return `À retravailler : ${context.rework}`;
    case 'NOT_FUNDABLE':
      return `Raison : ${event.reason} Le dossier revient à l’instruction.`;
    default:
      return null;
  }
}

/** Applicants of the organisation and the referent, except whoever took the step. */
async function peopleConcerned(
  trx: Transaction,
  row: ApplicationRow,
  context: ApplicationContext,
  actor: WorkflowActor,
): Promise<string[]> {
  const applicants = await holdersOf(trx, 'applicant', { type: 'organisation', id: row.organisation_id });
  return [...applicants, ...(context.referentId ? [context.referentId] : [])].filter(
    (userId) => userId !== actor.userId,
  );
}

/** Progress that asks nothing of anyone: in the inbox, by e-mail only to those who want everything. */
const minorEvents: ReadonlySet<ApplicationEvent['type']> = new Set([
  'ASSIGN_REFERENT',
  'GIVE_OPINION',
  'REOPEN',
  'CLOSE',
]);

export async function announceTransition(
  trx: Transaction,
  change: {
    row: ApplicationRow;
    event: ApplicationEvent;
    from: string;
    to: WorkflowInstance<ApplicationContext>;
    actor: WorkflowActor;
    reason: string | undefined;
  },
): Promise<void> {
  // Each part of a proposal completed is not news: the referent hears of the proposal when it is sent whole.
  if (change.event.type === 'COMPLETE_STEP') return;
  const organisation = await getOrganisation(trx, change.row.organisation_id);
  const moved =
    change.from === change.to.state
      ? ''
      : ` Le dossier passe à l'étape « ${stateLabels[change.to.state] ?? change.to.state} ».`;
  const body = [
    `${eventLabels[change.event.type]}.${moved}`,
    decisionText(change.to.context, change.event),
    change.reason ? `Motif : ${change.reason}` : null,
  ]
    .filter(Boolean)
    .join('\n');
  await notify(trx, await peopleConcerned(trx, change.row, change.to.context, change.actor), {
    subject: { type: 'application', id: change.row.id },
    title: `${eventLabels[change.event.type]} — ${organisation.name}`,
    body,
    // A project redirected to one of our funds is followed in the file opened there.
    link: `/dossiers/${change.to.context.redirectedToFileId ?? change.row.id}`,
    important: !minorEvents.has(change.event.type),
  });
}

/** The members of the committee a file is sent to learn that it waits for them, with a link to it. */
export async function announceToCommittee(trx: Transaction, row: ApplicationRow, committeeId: string): Promise<void> {
  const members = await holdersOf(trx, 'committee_member', { type: 'committee', id: committeeId });
  const organisation = await getOrganisation(trx, row.organisation_id);
  await notify(trx, members, {
    subject: { type: 'application', id: row.id },
    title: `Nouveau dossier pour le comité — ${organisation.name}`,
    body: `Le dossier de ${organisation.name} est présenté au comité, avec l’avis de son référent. Vous pouvez le lire dès maintenant ; un vote sera ouvert par la présidence.`,
    link: `/dossiers/${row.id}`,
  });
}
