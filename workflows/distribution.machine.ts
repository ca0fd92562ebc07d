import { defineWorkflow } from '../src/workflow-runtime/definition';
import { fourEyesMachine, type FourEyesContext } from './four-eyes';

/**
 * A distribution of a unit fund: drafted by one person, approved by another,
 * then booked as owed to the investors — once the auditor's special report is
 * recorded when it reaches the carry units (the service checks it).
 */
export type DistributionContext = FourEyesContext;

export const distributionMachine = fourEyesMachine('distribution', 'BOOK', 'booked');

export const distributionWorkflow = defineWorkflow({
  name: 'distribution',
  machine: distributionMachine,
  mayBeSentBy: { APPROVE: ['treasurer', 'admin'], BOOK: ['treasurer', 'admin'], CANCEL: ['treasurer', 'admin'] },
});
