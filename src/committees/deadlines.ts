import type { Database } from '../db/database';
import { lockWorkflow, workflowStates } from '../workflow-runtime';
import { type VoteContext } from '../../workflows/vote.machine';
import { sessionSubject, closeSession } from './sessions';

/** The deadlines of open sessions, kept by a recurring job. */

/**
 * The recurring job: sessions whose deadline passed, or whose file left the
 * committee, close by themselves — each in its own transaction, so that one that
 * fails never holds up the others (the failures are reported together after).
 */
export async function closeDueSessions(db: Database): Promise<number> {
  const due = (await db('vote_sessions')
    .join(
      workflowStates(db, 'application', 'application').as('file'),
      'file.subject_id',
      db.raw('vote_sessions.application_id::text'),
    )
    .whereNull('vote_sessions.closed_at')
    .andWhere((query) => {
      query.where('vote_sessions.deadline', '<=', db.fn.now()).orWhereNot('file.state', 'committee');
    })
    .orderBy('vote_sessions.deadline')
    .pluck('vote_sessions.id')) as string[];
  let closed = 0;
  const failures: string[] = [];
  for (const sessionId of due) {
    await db
      .transaction(async (trx) => {
        const instance = await lockWorkflow<VoteContext>(trx, 'vote', sessionSubject(sessionId));
        // Closed by its chair since we listed it.
        if (instance.state !== 'open') return;
        await closeSession(
          trx,
          sessionId,
          { userId: null, relations: ['deadline'] },
          'Échéance du vote atteinte ou dossier retiré',
        );
        closed += 1;
      })
      .catch((error: unknown) =>
        failures.push(`${sessionId}: ${error instanceof Error ? error.message : String(error)}`),
      );
  }
  if (failures.length > 0)
    throw new Error(
      `${failures.length} séance(s) n'ont pas pu être closes (${closed} closes) : ${failures.join(' ; ')}`,
    );
  return closed;
}
