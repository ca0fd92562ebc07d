import { setup } from 'xstate';
import { defineWorkflow } from '../src/workflow-runtime/definition';

/**
 * An investment of a unit fund in an organisation: the team sources it and
 * runs its due diligence; the fund's committee votes on it (the committees'
 * vote sessions) — approved for an amount, declined, or sent back to the due
 * diligence; the term sheet signed, the fund disburses (through the treasury)
 * until the investment is held; held, it ends exited or written off.
 * Abandoned before the money goes out, it ends there.
 */
export type InvestmentEvent =
  | { type: 'START_DUE_DILIGENCE' }
  | { type: 'SUBMIT_TO_COMMITTEE' }
  | { type: 'COMMITTEE_APPROVED'; amountMinor: string }
  | { type: 'COMMITTEE_DECLINED'; feedback: string }
  | { type: 'SIGN_TERM_SHEET' }
  | { type: 'FULLY_DRAWN' }
  | { type: 'EXIT' }
  | { type: 'WRITE_OFF' }
  | { type: 'ABANDON'; reason: string };

export const investmentMachine = setup({
  // No context: the amount voted and the terms are the investment's own columns, who did what is in the history.
  types: { events: {} as InvestmentEvent },
}).createMachine({
  id: 'investment',
  initial: 'sourcing',
  states: {
    sourcing: {
      on: {
        START_DUE_DILIGENCE: 'due-diligence',
        ABANDON: 'abandoned',
      },
    },
    'due-diligence': { on: { SUBMIT_TO_COMMITTEE: 'committee', ABANDON: 'abandoned' } },
    committee: {
      on: {
        COMMITTEE_APPROVED: 'term-sheet',
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
