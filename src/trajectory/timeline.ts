import { eventLabels, stateLabels } from '../pathway/notices';
import { portfolioWords } from '../portfolio/messages';
import { todayInParis } from '../time';
import { trajectoryMessages as words } from './messages';
import type { Trajectory } from './schema';

/** One moment of the trajectory: when (a day or an instant), in which fund, what, for how much. */
export type Moment = { at: string; fundId: string; what: string; amount: string | null; fileId: string | null };

/**
 * An instant on its day in Paris (an evening's step in UTC is still that day's); a day alone — money
 * received on that day — after that day's instants, the steps that made it due.
 */
const sortKey = (at: string) =>
  at.length === 10 ? `${at}T~` : `${todayInParis(new Date(at))}T${new Date(at).toISOString().slice(11)}`;

/**
 * The trajectory told as one history, the oldest first: every step of every
 * file (a grant's agreement, a redirection to another fund), then of every
 * investment (the vote, the term sheet, held, exited), each drawdown and each
 * amount the organisation paid back. Moments of the same day keep the order
 * they happened in.
 */
export function timelineOf(trajectory: Trajectory): Moment[] {
  const moments: Moment[] = [];
  for (const file of trajectory.files)
    for (const step of file.history)
      moments.push({
        at: step.occurredAt,
        fundId: file.fundId,
        what: words.fileStep(
          eventLabels[step.event as keyof typeof eventLabels] ?? stateLabels[step.toState] ?? step.event,
        ),
        amount: null,
        fileId: file.id,
      });
  for (const investment of trajectory.investments) {
    const about = { fundId: investment.fundId, fileId: investment.applicationId };
    for (const step of investment.history)
      moments.push({
        ...about,
        at: step.at,
        what: words.investmentStep(investment.name, portfolioWords.states[step.toState] ?? step.toState),
        amount: null,
      });
    for (const drawdown of investment.drawdowns)
      moments.push({
        ...about,
        at: drawdown.requestedAt,
        what: words.drawdown(investment.name, drawdown.number),
        amount: drawdown.amount,
      });
    for (const given of investment.returns)
      moments.push({
        ...about,
        at: given.receivedOn,
        what: (words.returned[given.kind] ?? words.returned.repayment!)(investment.name),
        amount: given.amount,
      });
  }
  return (
    moments
      .map((moment, order) => ({ moment, order, key: sortKey(moment.at) }))
      // By code point: a locale's collation would put « ~ » before the digits of an instant.
      .sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : left.order - right.order))
      .map(({ moment }) => moment)
  );
}
