import { latestProposalRun, requestMatchProposals, runMatchProposals } from '../../src/treasury/proposal-runs';
import { createTestApi, personas, type TestApi } from '../support/http';

/**
 * A statement's matches proposed as a job: asked twice while pending, one run;
 * run, its outcome recorded for the workspace; run again (a retried job),
 * nothing proposed twice; a statement of another fund is not found.
 */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

it('proposes a statement’s matches once, as a job whose outcome the workspace reads', async () => {
  const userId = String((await api.app.db('users').where('email', personas.treasurer).first('id')).id);
  const statementId = String((await api.app.db('bank_statements').where('fund_id', 'dotation').first('id')).id);
  const run = await requestMatchProposals(api.app.db, 'dotation', statementId, userId);
  expect(run).toMatchObject({ state: 'queued', openLines: null, proposed: null });
  expect((await requestMatchProposals(api.app.db, 'dotation', statementId, userId)).id).toBe(run.id);

  const { proposed } = await runMatchProposals(api.app.db, run.id);
  expect(proposed).toBeGreaterThan(0);
  expect(await latestProposalRun(api.app.db, statementId)).toEqual({
    id: run.id,
    state: 'done',
    openLines: 3,
    proposed,
    failure: null,
  });
  const matches = async () =>
    Number((await api.app.db('bank_matches').where('statement_id', statementId).count('* as n').first())!.n);
  const made = await matches();
  expect(made).toBe(proposed);

  // A retried job, then a new request: the lines proposed are no longer open, nothing is proposed twice.
  await runMatchProposals(api.app.db, run.id);
  const again = await requestMatchProposals(api.app.db, 'dotation', statementId, userId);
  expect(again.id).not.toBe(run.id);
  await runMatchProposals(api.app.db, again.id);
  expect(await matches()).toBe(made);

  await expect(requestMatchProposals(api.app.db, 'garantie', statementId, userId)).rejects.toMatchObject({
    status: 404,
  });
});
