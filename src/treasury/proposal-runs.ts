import type { Database } from '../db/database';
import { enqueue } from '../jobs/outbox';
import { openLinesOf, proposeMatches, statementOf } from './bank-matches';

/**
 * A statement's matches proposed as a job, asked for from the reconciliation
 * workspace: queued, running (on so many open lines), done (so many proposed),
 * or failed with its reason, for the page to show until it is done.
 */
const runColumns = ['id', 'statement_id', 'state', 'open_lines', 'proposed_count', 'failure'] as const;

export type ProposalRun = {
  id: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  openLines: number | null;
  proposed: number | null;
  failure: string | null;
};

const runView = (row: Record<string, any>): ProposalRun => ({
  id: row.id as string,
  state: row.state as ProposalRun['state'],
  openLines: row.open_lines as number | null,
  proposed: row.proposed_count as number | null,
  failure: row.failure as string | null,
});

/** Queues the proposals of a statement; asked again while one is pending, finds it. */
export async function requestMatchProposals(
  db: Database,
  fundId: string,
  statementId: string,
  userId: string,
): Promise<ProposalRun> {
  await statementOf(db, fundId, statementId);
  return db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`match-proposals:${statementId}`]);
    const pending = await trx('match_proposal_runs')
      .where({ statement_id: statementId })
      .whereIn('state', ['queued', 'running'])
      .first(runColumns);
    if (pending) return runView(pending);
    const [row] = await trx('match_proposal_runs')
      .insert({ fund_id: fundId, statement_id: statementId, requested_by: userId })
      .returning(runColumns);
    await enqueue(trx, {
      jobName: 'reconcile.propose',
      payload: { runId: row.id },
      dedupeKey: `match-proposals:${row.id}`,
    });
    return runView(row);
  });
}

/** The job: the proposals in one transaction (the matcher sees the statement whole), the run's outcome recorded. */
export async function runMatchProposals(db: Database, runId: string): Promise<{ proposed: number }> {
  const run = await db('match_proposal_runs').where('id', runId).first('fund_id', 'statement_id', 'state');
  if (!run || run.state === 'done') return { proposed: 0 };
  try {
    const openLines = (await openLinesOf(db, run.statement_id)).length;
    await db('match_proposal_runs')
      .where('id', runId)
      .update({ state: 'running', open_lines: openLines, started_at: db.fn.now(), failure: null });
    const proposed = await db.transaction((trx) => proposeMatches(trx, run.fund_id, run.statement_id));
    await db('match_proposal_runs')
      .where('id', runId)
      .update({ state: 'done', proposed_count: proposed, finished_at: db.fn.now() });
    return { proposed };
  } catch (error) {
    await db('match_proposal_runs')
      .where('id', runId)
      .update({ state: 'failed', failure: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

/** The statement's latest proposal run, if any: what its workspace says of it. */
export async function latestProposalRun(db: Database, statementId: string): Promise<ProposalRun | undefined> {
  const row = await db('match_proposal_runs')
    .where('statement_id', statementId)
    .orderBy('created_at', 'desc')
    .first(runColumns);
  return row ? runView(row) : undefined;
}
