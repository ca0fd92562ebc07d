export { defineWorkflow, stateName, type WorkflowDefinition } from './definition';
export { mermaidDiagram } from './diagram';
export {
  acceptedEvents,
  allowedEventsFor,
  findWorkflow,
  findWorkflowIfAny,
  lockWorkflow,
  sendWorkflowEvent,
  startWorkflow,
  workflowHistory,
  workflowStates,
  type HistoryRow,
  type WorkflowActor,
  type WorkflowInstance,
} from './runtime';
