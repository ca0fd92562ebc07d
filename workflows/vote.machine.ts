import { assign, setup } from 'xstate';
import { defineWorkflow } from '../src/workflow-runtime/definition';

/**
 * One vote session of a committee on one motion. Each member first declares
 * whether they have a conflict of interest; a conflicted member is recused and
 * can no longer vote. Votes may change while the session is open; the chair,
 * an admin or the deadline closes it, with the outcome computed by the tally.
 */
export type VoteContext = {
  memberIds: string[];
  /** memberId → conflicted */
  declarations: Record<string, boolean>;
  voterIds: string[];
  outcome: VoteOutcome | null;
};

export type VoteEvent =
  | { type: 'DECLARE'; memberId: string; conflicted: boolean }
  | { type: 'CAST_VOTE'; memberId: string; choice: 'for' | 'against' | 'abstain' }
  | { type: 'CLOSE'; outcome: VoteOutcome };

/** The tally's outcomes, and two endings of an adopted motion or of the file: not fundable after all, file withdrawn. */
export type VoteOutcome = 'adopted' | 'rejected' | 'no-quorum' | 'adopted-not-fundable' | 'withdrawn';

export type VoteInput = { memberIds: string[] };

export const voteMachine = setup({
  types: { context: {} as VoteContext, events: {} as VoteEvent, input: {} as VoteInput },
  guards: {
    firstDeclaration: ({ context, event }) =>
      event.type === 'DECLARE' &&
      context.memberIds.includes(event.memberId) &&
      !(event.memberId in context.declarations),
    declaredWithoutConflict: ({ context, event }) =>
      event.type === 'CAST_VOTE' && context.declarations[event.memberId] === false,
  },
}).createMachine({
  id: 'vote',
  context: ({ input }) => ({ memberIds: input.memberIds, declarations: {}, voterIds: [], outcome: null }),
  initial: 'open',
  states: {
    open: {
      on: {
        DECLARE: {
          guard: 'firstDeclaration',
          actions: assign({
            declarations: ({ context, event }) => ({ ...context.declarations, [event.memberId]: event.conflicted }),
          }),
        },
        CAST_VOTE: {
          guard: 'declaredWithoutConflict',
          actions: assign({
            voterIds: ({ context, event }) =>
              context.voterIds.includes(event.memberId) ? context.voterIds : [...context.voterIds, event.memberId],
          }),
        },
        CLOSE: { target: 'closed', actions: assign({ outcome: ({ event }) => event.outcome }) },
      },
    },
    closed: { type: 'final' },
  },
});

export const voteWorkflow = defineWorkflow({
  name: 'vote',
  machine: voteMachine,
  mayBeSentBy: {
    DECLARE: ['member'],
    CAST_VOTE: ['member'],
    CLOSE: ['chair', 'admin', 'deadline'],
  },
});
