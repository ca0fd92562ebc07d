import { setup } from 'xstate';

/**
 * A decision taken by two people: drafted by one, approved by another, then
 * carried out (a call issued, a distribution booked) — or cancelled before.
 * Carried out, it stands: a mistake is undone by another entry, not by going back.
 */
export type FourEyesContext = { draftedBy: string };

export function fourEyesMachine<Done extends string>(id: string, done: Done, doneState: string) {
  return setup({
    types: {
      context: {} as FourEyesContext,
      events: {} as { type: 'APPROVE'; approverId: string } | { type: Done } | { type: 'CANCEL' },
      input: {} as { draftedBy: string },
    },
    guards: {
      otherThanDrafter: ({ context, event }) =>
        'approverId' in event && event.type === 'APPROVE' && event.approverId !== context.draftedBy,
    },
  }).createMachine({
    id,
    context: ({ input }) => ({ draftedBy: input.draftedBy }),
    initial: 'draft',
    states: {
      draft: { on: { APPROVE: { guard: 'otherThanDrafter', target: 'approved' }, CANCEL: { target: 'cancelled' } } },
      approved: { on: { [done]: { target: doneState }, CANCEL: { target: 'cancelled' } } },
      [doneState]: { type: 'final' },
      cancelled: { type: 'final' },
    },
  });
}
