import Decimal from 'decimal.js';

/**
 * The result of a vote, from the committee's rules and the ballots: pure, so
 * that every rule is tested on its own and the minutes can explain it.
 * Shares are decimal.js, never floats: 2/3 is compared exactly.
 */
export type VoteChoice = 'for' | 'against' | 'abstain';

export type CommitteeRules = {
  /** Share of non-recused members who must take part (vote, abstention included). */
  quorumShare: string;
  decisionRule: 'majority' | 'qualified';
  /** For a qualified majority: the share of the base that must vote for, e.g. "0.6667". */
  qualifiedShare: string | null;
  /** Whether abstentions count in the base the majority is computed on. */
  abstentionsCount: boolean;
  /** On a tie, the chair's vote decides. */
  chairCastingVote: boolean;
};

export type TallyInput = {
  rules: CommitteeRules;
  members: readonly { userId: string; chair: boolean }[];
  recused: readonly string[];
  votes: readonly { userId: string; choice: VoteChoice }[];
};

export type Outcome = 'adopted' | 'rejected' | 'no-quorum';

export type Tally = {
  outcome: Outcome;
  eligible: number;
  participating: number;
  counts: Record<VoteChoice, number>;
  quorumReached: boolean;
  /** Votes for, over the base the rule uses ("0.6667"), or null when the base is empty. */
  forShare: string | null;
  tieBrokenByChair: boolean;
  explanation: string;
};

const share = (part: number, whole: number) => new Decimal(part).div(whole);
const shown = (value: Decimal) => value.toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4);
const percentText = (value: Decimal | string) =>
  `${new Decimal(value).mul(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toString().replace('.', ',')} %`;

export function tally(input: TallyInput): Tally {
  const recused = new Set(input.recused);
  const eligibleMembers = input.members.filter((member) => !recused.has(member.userId));
  const eligibleIds = new Set(eligibleMembers.map((member) => member.userId));
  const ballots = input.votes.filter((vote) => eligibleIds.has(vote.userId));
  const counts: Record<VoteChoice, number> = { for: 0, against: 0, abstain: 0 };
  for (const ballot of ballots) counts[ballot.choice] += 1;
  const eligible = eligibleMembers.length;
  const participating = ballots.length;
  const quorumReached = eligible > 0 && share(participating, eligible).gte(input.rules.quorumShare);
  const base = counts.for + counts.against + (input.rules.abstentionsCount ? counts.abstain : 0);
  const common = {
    eligible,
    participating,
    counts,
    quorumReached,
    forShare: base > 0 ? shown(share(counts.for, base)) : null,
  };

  if (!quorumReached) {
    return {
      ...common,
      outcome: 'no-quorum',
      tieBrokenByChair: false,
      explanation: `Quorum non atteint : ${participating} votant(s) sur ${eligible} membre(s) non déporté(s), il en fallait au moins ${percentText(input.rules.quorumShare)}. Aucune décision n'est prise.`,
    };
  }
  const baseText = input.rules.abstentionsCount
    ? 'des votes exprimés, abstentions comprises'
    : 'des suffrages exprimés (hors abstentions)';
  if (base === 0) {
    return {
      ...common,
      outcome: 'rejected',
      tieBrokenByChair: false,
      explanation: 'Aucun suffrage exprimé pour ou contre : la proposition n’est pas adoptée.',
    };
  }
  const forShare = share(counts.for, base);
  if (input.rules.decisionRule === 'qualified') {
    const needed = new Decimal(input.rules.qualifiedShare ?? '1');
    const adopted = forShare.gte(needed);
    return {
      ...common,
      outcome: adopted ? 'adopted' : 'rejected',
      tieBrokenByChair: false,
      explanation: `Majorité qualifiée de ${percentText(needed)} ${baseText} : ${percentText(shown(forShare))} pour. La proposition ${adopted ? 'est adoptée' : 'n’est pas adoptée'}.`,
    };
  }
  const half = new Decimal(1).div(2);
  if (forShare.gt(half)) {
    return {
      ...common,
      outcome: 'adopted',
      tieBrokenByChair: false,
      explanation: `Majorité ${baseText} : ${percentText(shown(forShare))} pour. La proposition est adoptée.`,
    };
  }
  if (forShare.eq(half) && input.rules.chairCastingVote) {
    const chair = eligibleMembers.find((member) => member.chair);
    const chairVote = chair && ballots.find((ballot) => ballot.userId === chair.userId)?.choice;
    if (chairVote === 'for' || chairVote === 'against') {
      return {
        ...common,
        outcome: chairVote === 'for' ? 'adopted' : 'rejected',
        tieBrokenByChair: true,
        explanation: `Partage des voix : la voix de la présidence est prépondérante et la proposition ${chairVote === 'for' ? 'est adoptée' : 'n’est pas adoptée'}.`,
      };
    }
  }
  return {
    ...common,
    outcome: 'rejected',
    tieBrokenByChair: false,
    explanation: forShare.eq(half)
      ? 'Partage des voix sans voix prépondérante : la proposition n’est pas adoptée.'
      : `Majorité ${baseText} non atteinte : ${percentText(shown(forShare))} pour. La proposition n’est pas adoptée.`,
  };
}
