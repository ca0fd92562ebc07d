import { assign, setup } from 'xstate';
import { defineWorkflow } from '../src/workflow-runtime/definition';

/**
 * The relational funding pathway of the endowment fund (BRIEF.md, "The relational
 * pathway"): a first contact needs no form, a referent accompanies the project,
 * what is asked grows step by step, a committee decides, and a "no" always comes
 * with feedback and a way back. Amounts are cents, as decimal strings (JSON).
 */
export const proposalSteps = ['organisation', 'project', 'budget', 'impact'] as const;
export type ProposalStep = (typeof proposalSteps)[number];
export const sendBackTargets = ['dialogue', 'preProposal', 'proposal'] as const;

export type ApplicationContext = {
  organisationId: string;
  /** The fund's ticket bounds as the file opened, for the applicant to see; none in a fund that does not grant. */
  ticketMinMinor: string | null;
  ticketMaxMinor: string | null;
  referentId: string | null;
  completedSteps: ProposalStep[];
  referentOpinion: string | null;
  approvedAmountMinor: string | null;
  /** The co-financing pool the grant draws on, if any. */
  poolId: string | null;
  /** The committee the file was sent to: only it decides. */
  committeeId?: string | null;
  feedback: string | null;
  redirectedTo: string | null;
  /** The file opened in another of our vehicles when the committee redirected the project there. */
  redirectedToFileId?: string | null;
  /** The file of another vehicle this one continues: its history is read with this one's. */
  redirectedFromFileId?: string | null;
  rework: string | null;
  /** The agreement PDF both parties accepted, by its SHA-256. */
  agreementSha256: string | null;
  acceptedBy: string | null;
  acceptedAt: string | null;
  countersignedBy: string | null;
  countersignedAt: string | null;
};

export type ApplicationEvent =
  | { type: 'ASSIGN_REFERENT'; referentId: string }
  | { type: 'INVITE_PRE_PROPOSAL' }
  | { type: 'SUBMIT_PRE_PROPOSAL' }
  | { type: 'COMPLETE_STEP'; step: ProposalStep }
  | { type: 'SUBMIT_PROPOSAL' }
  | { type: 'GIVE_OPINION'; opinion: string }
  | { type: 'SEND_TO_COMMITTEE'; committeeId: string }
  /** The bounds are those of the rules the grant is decided under: its pool's in force that day, else its fund's. */
  | { type: 'APPROVE'; amountMinor: string; poolId: string | null; ticketMinMinor: string; ticketMaxMinor: string }
  /** An adopted motion that could not be committed (pool exhausted, pool period over): the file goes back to instruction. */
  | { type: 'NOT_FUNDABLE'; reason: string }
  | { type: 'DECLINE'; feedback: string }
  /** To another funder by name, or to one of our vehicles, where `fileId` is the file opened there. */
  | { type: 'REDIRECT'; to: string; feedback: string; fileId?: string | null }
  | { type: 'SEND_BACK'; to: (typeof sendBackTargets)[number]; rework: string }
  | { type: 'REOPEN' }
  | { type: 'ACCEPT_AGREEMENT'; userId: string; at: string; documentSha256: string }
  | { type: 'COUNTERSIGN'; userId: string; at: string; documentSha256: string }
  | { type: 'CLOSE' }
  | { type: 'WITHDRAW' };

export type ApplicationInput = {
  organisationId: string;
  ticketMinMinor: string | null;
  ticketMaxMinor: string | null;
  /** A file redirected from another vehicle keeps its referent: the conversation goes on where it was. */
  continuesFrom?: { fileId: string; referentId: string | null };
};

const decided = { feedback: null, redirectedTo: null, rework: null } as const;

export const applicationMachine = setup({
  types: {
    context: {} as ApplicationContext,
    events: {} as ApplicationEvent,
    input: {} as ApplicationInput,
  },
  guards: {
    proposalComplete: ({ context }) => proposalSteps.every((step) => context.completedSteps.includes(step)),
    opinionGiven: ({ context }) => context.referentOpinion !== null,
    withinTicketBounds: ({ event }) =>
      event.type === 'APPROVE' &&
      /^\d{1,15}$/.test(event.amountMinor) &&
      BigInt(event.amountMinor) >= BigInt(event.ticketMinMinor) &&
      BigInt(event.amountMinor) <= BigInt(event.ticketMaxMinor),
    // The fund countersigns the very document the applicant accepted.
    sameAgreement: ({ context, event }) =>
      event.type === 'COUNTERSIGN' && event.documentSha256 === context.agreementSha256,
    continuesWithItsReferent: ({ context }) => context.referentId !== null,
    backToDialogue: ({ event }) => event.type === 'SEND_BACK' && event.to === 'dialogue',
    backToPreProposal: ({ event }) => event.type === 'SEND_BACK' && event.to === 'preProposal',
    backToProposal: ({ event }) => event.type === 'SEND_BACK' && event.to === 'proposal',
  },
  actions: {
    recordRework: assign(({ event }) =>
      event.type === 'SEND_BACK' ? { ...decided, rework: event.rework, referentOpinion: null } : {},
    ),
  },
}).createMachine({
  id: 'application',
  context: ({ input }) => ({
    organisationId: input.organisationId,
    ticketMinMinor: input.ticketMinMinor,
    ticketMaxMinor: input.ticketMaxMinor,
    referentId: input.continuesFrom?.referentId ?? null,
    redirectedFromFileId: input.continuesFrom?.fileId ?? null,
    completedSteps: [],
    referentOpinion: null,
    approvedAmountMinor: null,
    poolId: null,
    committeeId: null,
    ...decided,
    agreementSha256: null,
    acceptedBy: null,
    acceptedAt: null,
    countersignedBy: null,
    countersignedAt: null,
  }),
  initial: 'firstContact',
  on: {
    WITHDRAW: { target: '.withdrawn' },
  },
  states: {
    firstContact: {
      always: { target: 'dialogue', guard: 'continuesWithItsReferent' },
      on: { ASSIGN_REFERENT: { target: 'dialogue', actions: assign({ referentId: ({ event }) => event.referentId }) } },
    },
    dialogue: {
      on: {
        ASSIGN_REFERENT: { actions: assign({ referentId: ({ event }) => event.referentId }) },
        INVITE_PRE_PROPOSAL: { target: 'preProposal' },
      },
    },
    preProposal: {
      on: { SUBMIT_PRE_PROPOSAL: { target: 'proposal' } },
    },
    proposal: {
      on: {
        COMPLETE_STEP: {
          actions: assign({
            completedSteps: ({ context, event }) =>
              context.completedSteps.includes(event.step)
                ? context.completedSteps
                : [...context.completedSteps, event.step],
          }),
        },
        SUBMIT_PROPOSAL: { target: 'instruction', guard: 'proposalComplete' },
      },
    },
    instruction: {
      on: {
        GIVE_OPINION: { actions: assign({ referentOpinion: ({ event }) => event.opinion }) },
        SEND_TO_COMMITTEE: {
          target: 'committee',
          guard: 'opinionGiven',
          actions: assign({ committeeId: ({ event }) => event.committeeId }),
        },
      },
    },
    committee: {
      on: {
        APPROVE: {
          target: 'agreement',
          guard: 'withinTicketBounds',
          actions: assign({
            approvedAmountMinor: ({ event }) => event.amountMinor,
            poolId: ({ event }) => event.poolId,
            ...decided,
          }),
        },
        DECLINE: { target: 'declined', actions: assign({ feedback: ({ event }) => event.feedback }) },
        NOT_FUNDABLE: { target: 'instruction', actions: assign({ feedback: ({ event }) => event.reason }) },
        REDIRECT: {
          target: 'redirected',
          actions: assign({
            feedback: ({ event }) => event.feedback,
            redirectedTo: ({ event }) => event.to,
            redirectedToFileId: ({ event }) => event.fileId ?? null,
          }),
        },
        SEND_BACK: [
          { target: 'dialogue', guard: 'backToDialogue', actions: 'recordRework' },
          { target: 'preProposal', guard: 'backToPreProposal', actions: 'recordRework' },
          { target: 'proposal', guard: 'backToProposal', actions: 'recordRework' },
        ],
      },
    },
    declined: {
      on: { REOPEN: { target: 'dialogue' } },
    },
    redirected: {
      on: { REOPEN: { target: 'dialogue' } },
    },
    agreement: {
      initial: 'awaitingApplicant',
      states: {
        awaitingApplicant: {
          on: {
            ACCEPT_AGREEMENT: {
              target: 'awaitingCountersignature',
              actions: assign({
                acceptedBy: ({ event }) => event.userId,
                acceptedAt: ({ event }) => event.at,
                agreementSha256: ({ event }) => event.documentSha256,
              }),
            },
          },
        },
        awaitingCountersignature: {
          on: {
            COUNTERSIGN: {
              target: '#application.active',
              guard: 'sameAgreement',
              actions: assign({
                countersignedBy: ({ event }) => event.userId,
                countersignedAt: ({ event }) => event.at,
              }),
            },
          },
        },
      },
    },
    active: {
      on: { CLOSE: { target: 'closed' } },
    },
    closed: { type: 'final' },
    withdrawn: { type: 'final' },
  },
});

/** Who may send each event: relations of the actor to the application (see src/pathway). */
export const applicationWorkflow = defineWorkflow({
  name: 'application',
  machine: applicationMachine,
  mayBeSentBy: {
    // A referent takes charge of a new contact (themselves only: see src/pathway); an admin assigns anyone.
    ASSIGN_REFERENT: ['admin', 'referent-pool'],
    INVITE_PRE_PROPOSAL: ['referent', 'admin'],
    SUBMIT_PRE_PROPOSAL: ['applicant'],
    COMPLETE_STEP: ['applicant'],
    SUBMIT_PROPOSAL: ['applicant'],
    GIVE_OPINION: ['referent'],
    SEND_TO_COMMITTEE: ['referent', 'admin'],
    APPROVE: ['committee'],
    DECLINE: ['committee'],
    REDIRECT: ['committee'],
    SEND_BACK: ['committee'],
    NOT_FUNDABLE: ['committee'],
    REOPEN: ['referent', 'admin'],
    ACCEPT_AGREEMENT: ['applicant'],
    COUNTERSIGN: ['admin'],
    CLOSE: ['admin'],
    WITHDRAW: ['applicant'],
  },
});
