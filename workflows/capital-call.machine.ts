import { setup } from 'xstate';
import { defineWorkflow } from '../src/workflow-runtime/definition';

/**
 * A capital call of a unit fund: drafted by one person, approved by another
 * (four eyes), then issued — its amounts booked as called and its notices
 * sent. What is paid of it afterwards is the investors' (paid, partly paid,
 * late), read from its payments, not a state of the call. A draft or an
 * approved call may be cancelled; an issued one stands.
 */
export type CapitalCallContext = { draftedBy: string };
export type CapitalCallEvent = { type: 'APPROVE'; approverId: string } | { type: 'ISSUE' } | { type: 'CANCEL' };

export const capitalCallMachine = setup({
  types: {
    context: {} as CapitalCallContext,
    events: {} as CapitalCallEvent,
    input: {} as { draftedBy: string },
  },
  guards: {
    otherThanDrafter: ({ context, event }) => event.type === 'APPROVE' && event.approverId !== context.draftedBy,
  },
}).createMachine({
  id: 'capital-call',
  context: ({ input }) => ({ draftedBy: input.draftedBy }),
  initial: 'draft',
  states: {
    draft: { on: { APPROVE: { guard: 'otherThanDrafter', target: 'approved' }, CANCEL: { target: 'cancelled' } } },
    approved: { on: { ISSUE: { target: 'issued' }, CANCEL: { target: 'cancelled' } } },
    issued: { type: 'final' },
    cancelled: { type: 'final' },
  },
});

export const capitalCallWorkflow = defineWorkflow({
  name: 'capital-call',
  machine: capitalCallMachine,
  mayBeSentBy: { APPROVE: ['treasurer', 'admin'], ISSUE: ['treasurer', 'admin'], CANCEL: ['treasurer', 'admin'] },
});
