import { assign, setup } from 'xstate';
import { defineWorkflow } from '../src/workflow-runtime/definition';

/**
 * A quarter's report to a unit fund's investors: the quarter closed (its
 * figures frozen) makes the draft; it is reviewed, approved and published,
 * each step by a person who took no earlier one. Published, each investor's
 * statement is rendered, kept and sent.
 */
export type QuarterlyReportContext = { draftedBy: string; reviewedBy: string | null; approvedBy: string | null };
export type QuarterlyReportEvent =
  { type: 'REVIEW'; by: string } | { type: 'APPROVE'; by: string } | { type: 'PUBLISH'; by: string };

/** Who took a step so far: none of them may take the next. */
export const earlierHands = (context: QuarterlyReportContext) =>
  [context.draftedBy, context.reviewedBy, context.approvedBy].filter((who) => who !== null);

export const quarterlyReportMachine = setup({
  types: {
    context: {} as QuarterlyReportContext,
    events: {} as QuarterlyReportEvent,
    input: {} as { draftedBy: string },
  },
  guards: {
    freshHands: ({ context, event }) => !earlierHands(context).includes(event.by),
  },
}).createMachine({
  id: 'quarterly-report',
  context: ({ input }) => ({ draftedBy: input.draftedBy, reviewedBy: null, approvedBy: null }),
  initial: 'draft',
  states: {
    draft: {
      on: {
        REVIEW: { guard: 'freshHands', target: 'reviewed', actions: assign({ reviewedBy: ({ event }) => event.by }) },
      },
    },
    reviewed: {
      on: {
        APPROVE: { guard: 'freshHands', target: 'approved', actions: assign({ approvedBy: ({ event }) => event.by }) },
      },
    },
    approved: { on: { PUBLISH: { guard: 'freshHands', target: 'published' } } },
    published: { type: 'final' },
  },
});

export const quarterlyReportWorkflow = defineWorkflow({
  name: 'quarterly-report',
  machine: quarterlyReportMachine,
  mayBeSentBy: { REVIEW: ['treasurer', 'admin'], APPROVE: ['treasurer', 'admin'], PUBLISH: ['treasurer', 'admin'] },
});
