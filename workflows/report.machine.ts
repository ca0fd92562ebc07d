import { assign, setup } from 'xstate';
import { defineWorkflow } from '../src/workflow-runtime/definition';

/**
 * A beneficiary's report on a grant (activity and use of the money). The
 * referent accepts it — which makes the next tranche payable — or asks for
 * changes, with feedback, and the beneficiary sends it again.
 */
export type ReportContext = { feedback: string | null; revisions: number };

export type ReportEvent = { type: 'ACCEPT' } | { type: 'REQUEST_CHANGES'; feedback: string } | { type: 'RESUBMIT' };

export const reportMachine = setup({
  types: { context: {} as ReportContext, events: {} as ReportEvent },
}).createMachine({
  id: 'report',
  context: { feedback: null, revisions: 0 },
  initial: 'submitted',
  states: {
    submitted: {
      on: {
        ACCEPT: { target: 'accepted' },
        REQUEST_CHANGES: { target: 'changesRequested', actions: assign({ feedback: ({ event }) => event.feedback }) },
      },
    },
    changesRequested: {
      on: { RESUBMIT: { target: 'submitted', actions: assign({ revisions: ({ context }) => context.revisions + 1 }) } },
    },
    accepted: { type: 'final' },
  },
});

export const reportWorkflow = defineWorkflow({
  name: 'report',
  machine: reportMachine,
  mayBeSentBy: {
    ACCEPT: ['referent', 'admin'],
    REQUEST_CHANGES: ['referent', 'admin'],
    RESUBMIT: ['applicant'],
  },
});
