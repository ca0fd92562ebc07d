import { assign, setup } from 'xstate';
import { defineWorkflow } from '../src/workflow-runtime/definition';

/**
 * A closing of a unit fund: it takes subscriptions while open; one person
 * submits it, another closes it (four eyes) — or sends it back open with a
 * reason. Closed, its commitments are booked and it takes nothing more.
 */
export type ClosingContext = { submittedBy: string | null };

export type ClosingEvent =
  | { type: 'SUBMIT'; submittedBy: string }
  | { type: 'APPROVE'; approverId: string }
  | { type: 'SEND_BACK'; reason: string };

export const closingMachine = setup({
  types: { context: {} as ClosingContext, events: {} as ClosingEvent },
  guards: {
    otherThanSubmitter: ({ context, event }) => event.type === 'APPROVE' && event.approverId !== context.submittedBy,
  },
}).createMachine({
  id: 'closing',
  context: { submittedBy: null },
  initial: 'open',
  states: {
    open: {
      on: { SUBMIT: { target: 'submitted', actions: assign({ submittedBy: ({ event }) => event.submittedBy }) } },
    },
    submitted: {
      on: {
        APPROVE: { guard: 'otherThanSubmitter', target: 'closed' },
        SEND_BACK: { target: 'open', actions: assign({ submittedBy: null }) },
      },
    },
    closed: { type: 'final' },
  },
});

export const closingWorkflow = defineWorkflow({
  name: 'closing',
  machine: closingMachine,
  mayBeSentBy: {
    SUBMIT: ['treasurer', 'admin'],
    APPROVE: ['treasurer', 'admin'],
    SEND_BACK: ['treasurer', 'admin'],
  },
});
