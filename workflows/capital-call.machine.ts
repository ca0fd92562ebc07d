import { defineWorkflow } from '../src/workflow-runtime/definition';
import { fourEyesMachine, type FourEyesContext } from './four-eyes';

/**
 * A capital call of a unit fund: drafted by one person, approved by another
 * (four eyes), then issued — its amounts booked as called and its notices
 * sent. What is paid of it afterwards is the investors' (paid, partly paid,
 * late), read from its payments, not a state of the call.
 */
export type CapitalCallContext = FourEyesContext;

export const capitalCallMachine = fourEyesMachine('capital-call', 'ISSUE', 'issued');

export const capitalCallWorkflow = defineWorkflow({
  name: 'capital-call',
  machine: capitalCallMachine,
  mayBeSentBy: { APPROVE: ['treasurer', 'admin'], ISSUE: ['treasurer', 'admin'], CANCEL: ['treasurer', 'admin'] },
});
