import type { Database, Transaction } from '../db/database';
import { ConflictError, NotFoundError } from '../errors';
import { isAdmin, scopesHeld, type Principal } from '../identity/roles';
import { euros, toApiAmount } from '../money';
import { bankConfirms } from './service';

/**
 * Matching statement lines with what the fund expects. This first matcher knows
 * our own transfers by their end-to-end id: a debit of the same amount settles
 * the payment, a credit carrying a return reason returns it. Every proposal has
 * a reason and a confidence; nothing moves until the treasurer confirms.
 */
export async function proposeMatches(trx: Transaction, fundId: string, statementId: string): Promise<number> {
  const { rows } = await trx.raw(
    `insert into bank_matches (line_id, target_type, target_id, action, reason, confidence)
     select l.id, 'disbursement', d.id,
            case when l.return_reason is not null then 'return' else 'settle' end,
            case when l.return_reason is not null
                 then 'Retour de la banque (motif ' || l.return_reason || ') sur la référence de bout en bout ' || d.end_to_end_id
                 else 'Même référence de bout en bout (' || d.end_to_end_id || ') et même montant' end,
            1.00
     from bank_lines l
     join bank_statements s on s.id = l.statement_id and s.fund_id = ?
     join disbursements d on d.end_to_end_id = l.end_to_end_id and d.fund_id = s.fund_id and d.amount_minor = abs(l.amount_minor)
     join workflow_instances w on w.workflow = 'disbursement' and w.subject_type = 'disbursement' and w.subject_id = d.id::text
     where l.statement_id = ?
       and ((l.amount_minor < 0 and l.return_reason is null and w.state = 'sent')
         or (l.amount_minor > 0 and l.return_reason is not null and w.state in ('sent', 'settled')))
     on conflict (line_id, target_id, action) where status <> 'rejected' do nothing
     returning id`,
    [fundId, statementId],
  );
  return rows.length;
}

export async function listMatches(db: Database, fundId: string, statementId: string) {
  const rows = await db('bank_matches')
    .join('bank_lines', 'bank_lines.id', 'bank_matches.line_id')
    .join('bank_statements', 'bank_statements.id', 'bank_lines.statement_id')
    .where({ 'bank_statements.id': statementId, 'bank_statements.fund_id': fundId })
    .orderBy([{ column: 'bank_lines.entry_number' }, { column: 'bank_lines.detail_number' }])
    .select('bank_matches.*', 'bank_lines.amount_minor', 'bank_lines.entry_number', 'bank_lines.detail_number');
  return rows.map((row) => ({ id: row.id, line: { entry: row.entry_number, detail: row.detail_number, amount: toApiAmount(euros(row.amount_minor)) }, targetType: row.target_type, targetId: row.target_id, action: row.action, reason: row.reason, confidence: String(Number(row.confidence)), status: row.status, decidedBy: row.decided_by, decidedAt: row.decided_at }));
}

/** The treasurer's decision on a proposal: confirming it moves the payment (and the books); rejecting it leaves a trace. */
export async function decideMatch(trx: Transaction, matchId: string, decision: 'confirm' | 'reject', principal: Principal): Promise<void> {
  const match = await trx('bank_matches').join('bank_lines', 'bank_lines.id', 'bank_matches.line_id').join('bank_statements', 'bank_statements.id', 'bank_lines.statement_id').where('bank_matches.id', matchId).forUpdate().first('bank_matches.*', 'bank_lines.return_reason', 'bank_statements.fund_id', 'bank_statements.bank_statement_id');
  if (!match || !(isAdmin(principal) || scopesHeld(principal, ['treasurer'], 'fund').includes(match.fund_id))) throw new NotFoundError('Ce rapprochement est introuvable.');
  if (match.status !== 'proposed') throw new ConflictError(`Ce rapprochement est déjà ${match.status === 'confirmed' ? 'confirmé' : 'rejeté'}.`);
  await trx('bank_matches').where('id', matchId).update({ status: decision === 'confirm' ? 'confirmed' : 'rejected', decided_by: principal.userId, decided_at: trx.fn.now() });
  if (decision === 'reject') return;
  const reason = `Relevé ${match.bank_statement_id} : ${match.reason}`;
  await bankConfirms(trx, match.target_id, match.action === 'settle' ? { type: 'SETTLE' } : { type: 'RETURN', reasonCode: match.return_reason }, principal.userId, reason);
}
