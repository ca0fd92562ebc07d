import type { Database } from '../../src/db/database';
import { ConflictError, ForbiddenError, RuleViolationError } from '../../src/errors';
import { createUser } from '../../src/identity/service';
import {
  findWorkflow,
  lockWorkflow,
  mermaidDiagram,
  sendWorkflowEvent,
  startWorkflow,
  workflowHistory,
  type WorkflowActor,
} from '../../src/workflow-runtime';
import { applicationWorkflow, type ApplicationEvent } from '../../workflows/application.machine';
import { createTestDatabase, type TestDatabase } from '../support/services';

let database: TestDatabase;
let db: Database;
let admin: WorkflowActor;
let applicant: WorkflowActor;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  const camille = await db.transaction((trx) =>
    createUser(trx, { email: 'camille@exemple.fr', displayName: 'Camille', roles: [{ role: 'admin' }] }),
  );
  const louis = await db.transaction((trx) =>
    createUser(trx, {
      email: 'louis@exemple.fr',
      displayName: 'Louis',
      roles: [{ role: 'applicant', scopeId: 'tiers-lieu' }],
    }),
  );
  admin = { userId: camille.id, relations: ['admin'] };
  applicant = { userId: louis.id, relations: ['applicant'] };
});
afterAll(() => database.drop());

let subjectCounter = 0;
async function newApplication() {
  const subject = { type: 'application', id: `dossier-${(subjectCounter += 1)}` };
  await db.transaction((trx) =>
    startWorkflow(
      trx,
      applicationWorkflow,
      subject,
      { organisationId: 'tiers-lieu', ticketMinMinor: '500000', ticketMaxMinor: '3000000' },
      applicant,
      'Premier contact',
    ),
  );
  return subject;
}

const send = (subject: { type: string; id: string }, event: ApplicationEvent, actor: WorkflowActor, reason?: string) =>
  db.transaction(async (trx) =>
    sendWorkflowEvent(trx, applicationWorkflow, await lockWorkflow(trx, 'application', subject), event, actor, reason),
  );

it('persists each transition and appends who, when, from, to, why and a digest of the event', async () => {
  const subject = await newApplication();
  const after = await send(subject, { type: 'ASSIGN_REFERENT', referentId: 'awa' }, admin, 'Awa connaît le territoire');
  expect([after.state, after.version, (after.context as { referentId: string }).referentId]).toEqual([
    'dialogue',
    2,
    'awa',
  ]);
  const history = await workflowHistory(db, after.id);
  expect(history.map((row) => [row.event, row.fromState, row.toState, row.actorId, row.reason])).toEqual([
    ['start', null, 'firstContact', applicant.userId, 'Premier contact'],
    ['ASSIGN_REFERENT', 'firstContact', 'dialogue', admin.userId, 'Awa connaît le territoire'],
  ]);
  expect(history[1]!.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
  expect(history[1]!.actorRelations).toEqual(['admin']);
});

it('refuses an actor whose relation may not send the event, and changes nothing', async () => {
  const subject = await newApplication();
  await expect(send(subject, { type: 'ASSIGN_REFERENT', referentId: 'x' }, applicant)).rejects.toBeInstanceOf(
    ForbiddenError,
  );
  expect((await findWorkflow(db, 'application', subject)).state).toBe('firstContact');
});

it('refuses an event the state does not accept with the events it does, and changes nothing', async () => {
  const subject = await newApplication();
  const refusal = send(subject, { type: 'CLOSE' }, admin);
  await expect(refusal).rejects.toBeInstanceOf(ConflictError);
  await expect(refusal).rejects.toMatchObject({
    extensions: { state: 'firstContact', allowedEvents: ['ASSIGN_REFERENT', 'WITHDRAW'] },
  });
  const instance = await findWorkflow(db, 'application', subject);
  expect([instance.state, instance.version, (await workflowHistory(db, instance.id)).length]).toEqual([
    'firstContact',
    1,
    1,
  ]);
});

it('refuses an accepted event whose conditions are not met', async () => {
  const subject = await newApplication();
  await send(subject, { type: 'ASSIGN_REFERENT', referentId: 'awa' }, admin);
  await send(subject, { type: 'INVITE_PRE_PROPOSAL' }, admin);
  await send(subject, { type: 'SUBMIT_PRE_PROPOSAL' }, applicant);
  await expect(send(subject, { type: 'SUBMIT_PROPOSAL' }, applicant)).rejects.toBeInstanceOf(RuleViolationError);
});

it('leaves the previous state intact when the transaction fails after the transition', async () => {
  const subject = await newApplication();
  await expect(
    db.transaction(async (trx) => {
      await sendWorkflowEvent(
        trx,
        applicationWorkflow,
        await lockWorkflow(trx, 'application', subject),
        { type: 'ASSIGN_REFERENT', referentId: 'awa' },
        admin,
      );
      throw new Error('la suite de la commande échoue');
    }),
  ).rejects.toThrow('la suite de la commande échoue');
  const instance = await findWorkflow(db, 'application', subject);
  expect([instance.state, (await workflowHistory(db, instance.id)).length]).toEqual(['firstContact', 1]);
});

it('applies one of two concurrent identical events; the other finds the new state', async () => {
  const subject = await newApplication();
  const results = await Promise.allSettled(
    [1, 2].map(() => send(subject, { type: 'ASSIGN_REFERENT', referentId: 'awa' }, admin)),
  );
  // The second, serialised by the row lock, meets "dialogue", where re-assigning is allowed: both succeed, in order.
  expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
  const instance = await findWorkflow(db, 'application', subject);
  expect((await workflowHistory(db, instance.id)).map((row) => row.fromState)).toEqual([
    null,
    'firstContact',
    'dialogue',
  ]);
});

it('accepts nothing once the workflow has ended', async () => {
  const subject = await newApplication();
  await send(subject, { type: 'WITHDRAW' }, applicant, 'Autre financement trouvé');
  await expect(send(subject, { type: 'WITHDRAW' }, applicant)).rejects.toMatchObject({
    extensions: { allowedEvents: [] },
  });
  expect((await findWorkflow(db, 'application', subject)).done).toBe(true);
});

it('keeps the history append-only in the database itself', async () => {
  await expect(db('workflow_history').update({ reason: 'réécrit' })).rejects.toMatchObject({ code: 'ML002' });
  await expect(db('workflow_history').del()).rejects.toMatchObject({ code: 'ML002' });
  await expect(db.raw('truncate workflow_history cascade')).rejects.toMatchObject({ code: 'ML002' });
});

it('draws every state and event of the pathway as a Mermaid diagram', () => {
  const diagram = mermaidDiagram(applicationWorkflow.machine);
  expect(diagram.startsWith('stateDiagram-v2\n')).toBe(true);
  for (const line of [
    'firstContact --> dialogue : ASSIGN_REFERENT',
    'firstContact --> dialogue : [continuesWithItsReferent]',
    'committee --> proposal : SEND_BACK',
    'agreement_awaitingCountersignature --> active : COUNTERSIGN',
    'active --> withdrawn : WITHDRAW',
  ]) {
    expect(diagram).toContain(line);
  }
  expect(diagram).not.toContain('closed --> withdrawn');
});
