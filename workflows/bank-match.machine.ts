import { setup } from 'xstate';
import { defineWorkflow } from '../src/workflow-runtime/definition';

/**
 * A match between statement lines and what the fund expected. The matcher (or
 * the treasurer, by hand) proposes it; confirming it moves the money in the
 * books; a confirmed match can be undone, which reverses what it moved.
 */
export type BankMatchEvent = { type: 'CONFIRM' } | { type: 'REJECT' } | { type: 'UNDO' };

export const bankMatchMachine = setup({
  types: { events: {} as BankMatchEvent },
}).createMachine({
  id: 'bankMatch',
  initial: 'proposed',
  states: {
    proposed: { on: { CONFIRM: { target: 'confirmed' }, REJECT: { target: 'rejected' } } },
    confirmed: { on: { UNDO: { target: 'undone' } } },
    rejected: { type: 'final' },
    undone: { type: 'final' },
  },
});

export const bankMatchWorkflow = defineWorkflow({
  name: 'bank-match',
  machine: bankMatchMachine,
  mayBeSentBy: { CONFIRM: ['treasurer', 'admin'], REJECT: ['treasurer', 'admin'], UNDO: ['treasurer', 'admin'] },
});
