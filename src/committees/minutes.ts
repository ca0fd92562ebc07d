import { namesOf } from '../identity/service';
import { getFund } from '../ledger/queries';
import { getOrganisation } from '../organisations/service';
import { applicationRow } from '../pathway/access';
import type { Database } from '../db/database';
import type { DocumentKind } from '../documents/service';
import { committeeMinutes } from '../../templates/committee-minutes';
import { motionText, outcomeLabels, sessionSeats, type SessionRow } from './sessions';

/** The minutes of a closed session, from what the database recorded. */
export const committeeMinutesDocument: DocumentKind = {
  kind: 'committee-minutes',
  build: async (db: Database, sessionId: string) => {
    const session: (SessionRow & { closed_by: string | null }) | undefined = await db('vote_sessions')
      .where('id', sessionId)
      .first();
    if (!session?.closed_at || !session.tally) throw new Error(`Vote session ${sessionId} is not closed`);
    const committee = await db('committees').where('id', session.committee_id).first('name', 'fund_id');
    const fund = await getFund(db, committee.fund_id);
    const organisation = await getOrganisation(db, (await applicationRow(db, session.application_id)).organisation_id);
    const closer = session.closed_by ? (await namesOf(db, [session.closed_by])).get(session.closed_by) : undefined;
    const members = await sessionSeats(db, sessionId);
    const { rules, tally } = session;
    const majority =
      rules.decisionRule === 'qualified' ? `majorité qualifiée (${rules.qualifiedShare})` : 'majorité simple';
    return {
      fileName: `proces-verbal-${session.reference}.pdf`,
      definition: committeeMinutes({
        committeeName: committee.name,
        fundName: fund.name,
        sessionReference: session.reference,
        motion: motionText(session.motion, session.amount_minor, session.motion_details),
        organisationName: organisation.name,
        openedAt: session.opened_at,
        closedAt: session.closed_at,
        closedBy: closer ? `par ${closer}` : 'à l’échéance',
        rules: `Quorum : ${rules.quorumShare} des membres non déportés ; ${majority} ; abstentions ${rules.abstentionsCount ? 'comptées' : 'non comptées'} ; voix prépondérante de la présidence : ${rules.chairCastingVote ? 'oui' : 'non'}.`,
        members: members.map((member) => ({
          name: member.name,
          chair: member.chair,
          recused: member.conflicted === true,
          conflict: member.details,
          vote: member.choice,
          comment: member.comment,
        })),
        counts: tally.counts,
        // The session's own ending: the tally's, or what became of an adopted motion (not fundable, file withdrawn).
        result: `Résultat : ${outcomeLabels[(session.outcome ?? tally.outcome) as keyof typeof outcomeLabels]}.${session.outcome_reason ? ` ${session.outcome_reason}` : ''}`,
        explanation: tally.explanation,
      }),
    };
  },
};
