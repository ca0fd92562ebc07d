import { createHash } from 'node:crypto';
import {
  initialTransition,
  transition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventFromLogic,
} from 'xstate';
import type { Database, Transaction } from '../db/database';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '../errors';
import { stateName, stateValue, type WorkflowDefinition } from './definition';
import { workflowRuntimeMessages } from './messages';

/**
 * Runs workflows against their persisted snapshot: one small runtime for every
 * machine in workflows/. Each call works inside the caller's transaction, so the
 * transition, its history row and the business change commit or fail together.
 */
export type WorkflowActor = {
  userId: string | null;
  /** The actor's relations to this workflow's subject, e.g. ['applicant'] or ['referent', 'admin']. */
  relations: readonly string[];
};

export type WorkflowInstance<TContext = unknown> = {
  id: string;
  workflow: string;
  subjectType: string;
  subjectId: string;
  state: string;
  context: TContext;
  done: boolean;
  version: number;
};

export type HistoryRow = {
  id: number;
  event: string;
  fromState: string | null;
  toState: string;
  actorId: string | null;
  actorRelations: string[];
  reason: string | null;
  payloadSha256: string;
  occurredAt: Date;
};

type InstanceRow = {
  id: string;
  workflow: string;
  subject_type: string;
  subject_id: string;
  state: string;
  context: unknown;
  done: boolean;
  version: number;
};

const toInstance = <TContext>(row: InstanceRow): WorkflowInstance<TContext> => ({
  id: row.id,
  workflow: row.workflow,
  subjectType: row.subject_type,
  subjectId: row.subject_id,
  state: row.state,
  context: row.context as TContext,
  done: row.done,
  version: row.version,
});

const digest = (payload: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(payload, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)))
    .digest('hex');

export async function startWorkflow<TMachine extends AnyStateMachine>(
  trx: Transaction,
  definition: WorkflowDefinition<TMachine>,
  subject: { type: string; id: string },
  input: unknown,
  actor: WorkflowActor,
  reason?: string,
): Promise<WorkflowInstance> {
  const [snapshot] = initialTransition(definition.machine, input as never) as [AnyMachineSnapshot, unknown];
  const [row] = await trx('workflow_instances')
    .insert({
      workflow: definition.name,
      subject_type: subject.type,
      subject_id: subject.id,
      state: stateName(snapshot.value),
      context: JSON.stringify(snapshot.context),
      done: snapshot.status === 'done',
    })
    .returning('*');
  await appendHistory(trx, row.id, { type: 'start' }, null, row.state, actor, reason);
  return toInstance(row);
}

/** The instance of a workflow for a subject, locked until the transaction ends. */
export async function lockWorkflow<TContext>(
  trx: Transaction,
  workflow: string,
  subject: { type: string; id: string },
): Promise<WorkflowInstance<TContext>> {
  const row: InstanceRow | undefined = await trx('workflow_instances')
    .where({ workflow, subject_type: subject.type, subject_id: subject.id })
    .forUpdate()
    .first();
  if (!row) throw new NotFoundError();
  return toInstance(row);
}

/**
 * The current state and context of every instance of a workflow, as a subquery a
 * module's list joins on its own rows by subject id (`subject_id`, `state`, `context`).
 */
export function workflowStates(db: Database | Transaction, workflow: string, subjectType: string) {
  return db('workflow_instances')
    .where({ workflow, subject_type: subjectType })
    .select('subject_id', 'state', 'context', 'updated_at');
}

/** A subject's workflow, if it has one yet. */
export async function findWorkflowIfAny<TContext>(
  db: Database | Transaction,
  workflow: string,
  subject: { type: string; id: string },
): Promise<WorkflowInstance<TContext> | undefined> {
  const row: InstanceRow | undefined = await db('workflow_instances')
    .where({ workflow, subject_type: subject.type, subject_id: subject.id })
    .first();
  return row && toInstance<TContext>(row);
}

export async function findWorkflow<TContext>(
  db: Database | Transaction,
  workflow: string,
  subject: { type: string; id: string },
): Promise<WorkflowInstance<TContext>> {
  const instance = await findWorkflowIfAny<TContext>(db, workflow, subject);
  if (!instance) throw new NotFoundError();
  return instance;
}

function restore(machine: AnyStateMachine, instance: WorkflowInstance): AnyMachineSnapshot {
  return machine.resolveState({ value: stateValue(instance.state), context: instance.context });
}

/** Event types the current state has a transition for and that an actor with these relations may send. */
export function allowedEventsFor(
  definition: WorkflowDefinition,
  instance: WorkflowInstance,
  relations: readonly string[],
): string[] {
  return acceptedEvents(definition.machine, instance).filter((type) =>
    definition.mayBeSentBy[type as never]?.some((relation) => relations.includes(relation)),
  );
}

/** Event types the current state has a transition for (guards aside). */
export function acceptedEvents(machine: AnyStateMachine, instance: WorkflowInstance): string[] {
  return eventsOf(restore(machine, instance));
}

function eventsOf(snapshot: AnyMachineSnapshot): string[] {
  if (snapshot.status === 'done') return [];
  return [...new Set(snapshot._nodes.flatMap((node) => node.ownEvents))]
    .filter((type) => !type.startsWith('xstate.'))
    .sort();
}

/**
 * Sends one event to a locked instance: refuses it when the actor may not send
 * it (403) or when the current state does not take it (409, with the events it
 * takes), persists the new snapshot and appends the history row.
 */
export async function sendWorkflowEvent<TMachine extends AnyStateMachine>(
  trx: Transaction,
  definition: WorkflowDefinition<TMachine>,
  instance: WorkflowInstance,
  event: EventFromLogic<TMachine>,
  actor: WorkflowActor,
  reason?: string,
): Promise<WorkflowInstance> {
  const type = event.type as EventFromLogic<TMachine>['type'];
  const allowedRelations = definition.mayBeSentBy[type] ?? [];
  if (!actor.relations.some((relation) => allowedRelations.includes(relation))) {
    throw new ForbiddenError(workflowRuntimeMessages.roleCannotTakeStep);
  }
  const snapshot = restore(definition.machine, instance);
  const accepted = eventsOf(snapshot);
  if (!accepted.includes(type)) {
    throw new ConflictError(workflowRuntimeMessages.stepRefusesEvent(instance.state, type), {
      state: instance.state,
      allowedEvents: accepted,
    });
  }
  if (!snapshot.can(event)) {
    throw new RuleViolationError(
      'workflow/condition-not-met',
      workflowRuntimeMessages.guardNotMet(type, instance.state),
      {
        state: instance.state,
      },
    );
  }
  const [next] = transition(definition.machine, snapshot as never, event) as [AnyMachineSnapshot, unknown];
  const toState = stateName(next.value);
  const [row] = await trx('workflow_instances')
    .where({ id: instance.id, version: instance.version })
    .update({
      state: toState,
      context: JSON.stringify(next.context),
      done: next.status === 'done',
      version: instance.version + 1,
      updated_at: trx.fn.now(),
    })
    .returning('*');
  // The row is locked by lockWorkflow; a missing row means the caller skipped the lock.
  if (!row) throw new ConflictError(workflowRuntimeMessages.changedMeanwhile);
  await appendHistory(trx, instance.id, event, instance.state, toState, actor, reason);
  return toInstance(row);
}

async function appendHistory(
  trx: Transaction,
  instanceId: string,
  event: { type: string },
  fromState: string | null,
  toState: string,
  actor: WorkflowActor,
  reason: string | undefined,
): Promise<void> {
  await trx('workflow_history').insert({
    instance_id: instanceId,
    event: event.type,
    from_state: fromState,
    to_state: toState,
    actor_id: actor.userId,
    actor_relations: [...actor.relations],
    reason: reason ?? null,
    payload_sha256: digest(event),
  });
}

export async function workflowHistory(db: Database | Transaction, instanceId: string): Promise<HistoryRow[]> {
  const rows = await db('workflow_history').where('instance_id', instanceId).orderBy('id');
  return rows.map((row) => ({
    id: Number(row.id),
    event: row.event,
    fromState: row.from_state,
    toState: row.to_state,
    actorId: row.actor_id,
    actorRelations: row.actor_relations,
    reason: row.reason,
    payloadSha256: row.payload_sha256,
    occurredAt: row.occurred_at,
  }));
}
