import type { WorkflowDefinition } from '../src/workflow-runtime/definition';
import { applicationWorkflow } from './application.machine';
import { bankMatchWorkflow } from './bank-match.machine';
import { capitalCallWorkflow } from './capital-call.machine';
import { closingWorkflow } from './closing.machine';
import { distributionWorkflow } from './distribution.machine';
import { disbursementWorkflow } from './disbursement.machine';
import { investmentWorkflow } from './investment.machine';
import { quarterlyReportWorkflow } from './quarterly-report.machine';
import { reportWorkflow } from './report.machine';
import { valuationWorkflow } from './valuation.machine';
import { voteWorkflow } from './vote.machine';

/** Every workflow, by name: for the CLI's diagrams and the README. */
export const workflows: Record<string, WorkflowDefinition> = {
  application: applicationWorkflow,
  vote: voteWorkflow,
  report: reportWorkflow,
  disbursement: disbursementWorkflow,
  'bank-match': bankMatchWorkflow,
  closing: closingWorkflow,
  'capital-call': capitalCallWorkflow,
  distribution: distributionWorkflow,
  investment: investmentWorkflow,
  valuation: valuationWorkflow,
  'quarterly-report': quarterlyReportWorkflow,
};
