import type { AnyStateMachine, EventFromLogic, StateValue } from 'xstate';

/**
 * A workflow: a pure xstate machine (in workflows/) and, for each event it
 * accepts, who may send it. "Who" is a relation of the actor to the workflow's
 * subject — the applicant of *this* organisation, the referent of *this* file,
 * an admin, the system — which the domain module works out before sending.
 */
export type WorkflowDefinition<TMachine extends AnyStateMachine = AnyStateMachine> = {
  name: string;
  machine: TMachine;
  mayBeSentBy: Record<EventFromLogic<TMachine>['type'], readonly string[]>;
};

export function defineWorkflow<TMachine extends AnyStateMachine>(
  definition: WorkflowDefinition<TMachine>,
): WorkflowDefinition<TMachine> {
  return definition;
}

/** "agreement.countersigning" for a nested state, "dialogue" for a top-level one. */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [parent, child] = Object.entries(value as Record<string, unknown>)[0]!;
  return `${parent}.${stateName(child)}`;
}

/** The inverse of `stateName`, for restoring a persisted snapshot. */
export function stateValue(name: string): StateValue {
  const [head, ...rest] = name.split('.');
  return rest.length === 0 ? head! : { [head!]: stateValue(rest.join('.')) };
}
