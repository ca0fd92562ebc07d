import { setup } from 'xstate';
import { defineWorkflow } from '../src/workflow-runtime/definition';

/**
 * An investment's fair value at a quarter end (IPEV): proposed by one person of
 * the fund's team with its technique, inputs and calibration note, approved by
 * another — approved, its difference from the books is posted — or rejected
 * with why, and proposed again.
 */
export type ValuationContext = { proposedBy: string };
export type ValuationEvent = { type: 'APPROVE'; approverId: string } | { type: 'REJECT'; reason: string };

export const valuationMachine = setup({
  types: {
    context: {} as ValuationContext,
    events: {} as ValuationEvent,
    input: {} as { proposedBy: string },
  },
  guards: {
    otherThanProposer: ({ context, event }) => event.type === 'APPROVE' && event.approverId !== context.proposedBy,
  },
}).createMachine({
  id: 'valuation',
  context: ({ input }) => ({ proposedBy: input.proposedBy }),
  initial: 'proposed',
  states: {
    proposed: { on: { APPROVE: { guard: 'otherThanProposer', target: 'approved' }, REJECT: 'rejected' } },
    approved: { type: 'final' },
    rejected: { type: 'final' },
  },
});

export const valuationWorkflow = defineWorkflow({
  name: 'valuation',
  machine: valuationMachine,
  mayBeSentBy: { APPROVE: ['treasurer', 'admin'], REJECT: ['treasurer', 'admin'] },
});
