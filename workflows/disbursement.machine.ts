import { and, assign, setup } from 'xstate';
import { defineWorkflow } from '../src/workflow-runtime/definition';

/**
 * One payment of money the fund owes. Four eyes: its requester never approves
 * it, and above the fund's threshold two distinct approvers are needed. It then
 * goes into a batch (a SEPA file), is sent to the bank, and is settled when the
 * bank confirms — or comes back (a return, an R-transaction) and may be issued
 * again once the beneficiary's bank details are corrected.
 */
export type DisbursementContext = {
  requestedBy: string;
  approvalsNeeded: number;
  approvals: string[];
  batchId: string | null;
  returnReason: string | null;
};

export type DisbursementEvent =
  | { type: 'APPROVE'; approverId: string }
  | { type: 'REJECT'; reason: string }
  | { type: 'CANCEL' }
  | { type: 'ADD_TO_BATCH'; batchId: string }
  | { type: 'REMOVE_FROM_BATCH' }
  | { type: 'SEND' }
  | { type: 'SETTLE' }
  | { type: 'RETURN'; reasonCode: string }
  /** Re-issued after a return (to corrected bank details): whoever re-issues counts as its requester and cannot approve it. */
  | { type: 'REISSUE'; reissuedBy: string; approvalsNeeded: number }
  /** The treasurer undid the bank match that settled or returned the payment: it goes back where it was. */
  | { type: 'UNSETTLE' }
  | { type: 'UNDO_RETURN'; backTo: 'sent' | 'settled' };

export type DisbursementInput = { requestedBy: string; approvalsNeeded: number };

export const disbursementMachine = setup({
  types: { context: {} as DisbursementContext, events: {} as DisbursementEvent, input: {} as DisbursementInput },
  guards: {
    freshApprover: ({ context, event }) =>
      event.type === 'APPROVE' &&
      event.approverId !== context.requestedBy &&
      !context.approvals.includes(event.approverId),
    lastApprovalNeeded: ({ context }) => context.approvals.length + 1 >= context.approvalsNeeded,
  },
  actions: {
    recordApproval: assign({
      approvals: ({ context, event }) =>
        event.type === 'APPROVE' ? [...context.approvals, event.approverId] : context.approvals,
    }),
  },
}).createMachine({
  id: 'disbursement',
  context: ({ input }) => ({
    requestedBy: input.requestedBy,
    approvalsNeeded: input.approvalsNeeded,
    approvals: [],
    batchId: null,
    returnReason: null,
  }),
  initial: 'requested',
  states: {
    requested: {
      on: {
        APPROVE: [
          { guard: and(['freshApprover', 'lastApprovalNeeded']), target: 'approved', actions: 'recordApproval' },
          { guard: 'freshApprover', actions: 'recordApproval' },
        ],
        REJECT: { target: 'rejected' },
        CANCEL: { target: 'cancelled' },
      },
    },
    approved: {
      on: {
        // A further approval, by yet another person: what a batch paying one beneficiary above the threshold asks of each payment.
        APPROVE: { guard: 'freshApprover', actions: 'recordApproval' },
        ADD_TO_BATCH: { target: 'batched', actions: assign({ batchId: ({ event }) => event.batchId }) },
        CANCEL: { target: 'cancelled' },
      },
    },
    batched: {
      on: {
        SEND: { target: 'sent' },
        REMOVE_FROM_BATCH: { target: 'approved', actions: assign({ batchId: null }) },
      },
    },
    sent: {
      on: {
        SETTLE: { target: 'settled' },
        RETURN: { target: 'returned', actions: assign({ returnReason: ({ event }) => event.reasonCode }) },
      },
    },
    settled: {
      on: {
        RETURN: { target: 'returned', actions: assign({ returnReason: ({ event }) => event.reasonCode }) },
        UNSETTLE: { target: 'sent' },
      },
    },
    returned: {
      on: {
        REISSUE: {
          target: 'requested',
          actions: assign({
            approvals: [],
            batchId: null,
            requestedBy: ({ event }) => event.reissuedBy,
            approvalsNeeded: ({ context, event }) => Math.max(context.approvalsNeeded, event.approvalsNeeded),
          }),
        },
        UNDO_RETURN: [
          {
            guard: ({ event }) => event.backTo === 'settled',
            target: 'settled',
            actions: assign({ returnReason: null }),
          },
          { target: 'sent', actions: assign({ returnReason: null }) },
        ],
      },
    },
    rejected: { type: 'final' },
    cancelled: { type: 'final' },
  },
});

export const disbursementWorkflow = defineWorkflow({
  name: 'disbursement',
  machine: disbursementMachine,
  mayBeSentBy: {
    APPROVE: ['approver'],
    REJECT: ['approver', 'admin'],
    CANCEL: ['treasurer', 'admin'],
    ADD_TO_BATCH: ['treasurer'],
    REMOVE_FROM_BATCH: ['treasurer'],
    SEND: ['treasurer'],
    SETTLE: ['treasurer', 'bank'],
    RETURN: ['treasurer', 'bank'],
    REISSUE: ['treasurer'],
    UNSETTLE: ['bank'],
    UNDO_RETURN: ['bank'],
  },
});
