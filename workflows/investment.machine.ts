import { assign, setup } from 'xstate';
import { defineWorkflow } from '../src/workflow-runtime/definition';

/**
 * An investment of a unit fund in an organisation: the team sources it and
 * runs its due diligence; the fund's committee votes on it (the committees'
 * vote sessions) — approved for an amount, declined, or sent back to the due
 * diligence; the term sheet signed, the fund disburses (through the treasury)
 * until the investment is held; held, it ends exited or written off.
 * Abandoned before the money goes out, it ends there.
 */
export type InvestmentContext = { approvedAmountMinor: string | null; dueDiligenceBy: string | null };

export type InvestmentEvent =
  | { type: 'START_DUE_DILIGENCE'; by: string }
  | { type: 'SUBMIT_TO_COMMITTEE' }
  | { type: 'COMMITTEE_APPROVED'; amountMinor: string }
  | { type: 'COMMITTEE_DECLINED'; feedback: string }
  | { type: 'SIGN_TERM_SHEET' }
  | { type: 'FULLY_DRAWN' }
  | { type: 'EXIT' }
  | { type: 'WRITE_OFF' }
  | { type: 'ABANDON'; reason: string };

export const investmentMachine = setup({
  types: { context: {} as InvestmentContext, events: {} as InvestmentEvent },
}).createMachine({
  id: 'investment',
  context: { approvedAmountMinor: null, dueDiligenceBy: null },
  initial: 'sourcing',
  states: {
    sourcing: {
      on: {
        START_DUE_DILIGENCE: {
          target: 'due-diligence',
          actions: assign({ dueDiligenceBy: ({ event }) => event.by }),
        },
        ABANDON: 'abandoned',
      },
    },
    'due-diligence': { on: { SUBMIT_TO_COMMITTEE: 'committee', ABANDON: 'abandoned' } },
    committee: {
      on: {
        COMMITTEE_APPROVED: {
          target: 'term-sheet',
          actions: assign({ approvedAmountMinor: ({ event }) => event.amountMinor }),
        },
        COMMITTEE_DECLINED: 'declined',
        ABANDON: 'abandoned',
      },
    },
    'term-sheet': { on: { SIGN_TERM_SHEET: 'disbursing', ABANDON: 'abandoned' } },
    disbursing: { on: { FULLY_DRAWN: 'held' } },
    held: { on: { EXIT: 'exited', WRITE_OFF: 'written-off' } },
    exited: { type: 'final' },
    'written-off': { type: 'final' },
    declined: { type: 'final' },
    abandoned: { type: 'final' },
  },
});

export const investmentWorkflow = defineWorkflow({
  name: 'investment',
  machine: investmentMachine,
  mayBeSentBy: {
    START_DUE_DILIGENCE: ['treasurer', 'admin'],
    SUBMIT_TO_COMMITTEE: ['treasurer', 'admin'],
    COMMITTEE_APPROVED: ['committee'],
    COMMITTEE_DECLINED: ['committee'],
    SIGN_TERM_SHEET: ['treasurer', 'admin'],
    FULLY_DRAWN: ['system'],
    EXIT: ['treasurer', 'admin'],
    WRITE_OFF: ['treasurer', 'admin'],
    ABANDON: ['treasurer', 'admin'],
  },
});
