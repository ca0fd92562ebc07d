import fc from 'fast-check';
import { tally, type CommitteeRules, type VoteChoice } from '../../src/committees/tally';

const majority: CommitteeRules = {
  quorumShare: '0.5',
  decisionRule: 'majority',
  qualifiedShare: null,
  abstentionsCount: false,
  chairCastingVote: false,
};
const members = ['chair', 'b', 'c', 'd', 'e', 'f'].map((userId) => ({ userId, chair: userId === 'chair' }));
const votes = (...choices: [string, VoteChoice][]) => choices.map(([userId, choice]) => ({ userId, choice }));

it('adopts on a simple majority of votes cast, abstentions aside', () => {
  const result = tally({
    rules: majority,
    members,
    recused: [],
    votes: votes(['chair', 'for'], ['b', 'for'], ['c', 'against'], ['d', 'abstain']),
  });
  expect([result.outcome, result.forShare, result.counts]).toEqual([
    'adopted',
    '0.6667',
    { for: 2, against: 1, abstain: 1 },
  ]);
});

it('counts abstentions against adoption when the committee says so', () => {
  const result = tally({
    rules: { ...majority, abstentionsCount: true },
    members,
    recused: [],
    votes: votes(['chair', 'for'], ['b', 'for'], ['c', 'against'], ['d', 'abstain']),
  });
  expect([result.outcome, result.forShare]).toEqual(['rejected', '0.5000']);
});

it("breaks a tie with the chair's vote only when the rules give it", () => {
  const tie = votes(['chair', 'for'], ['b', 'for'], ['c', 'against'], ['d', 'against']);
  expect(tally({ rules: majority, members, recused: [], votes: tie }).outcome).toBe('rejected');
  const casting = tally({ rules: { ...majority, chairCastingVote: true }, members, recused: [], votes: tie });
  expect([casting.outcome, casting.tieBrokenByChair]).toEqual(['adopted', true]);
  const chairAgainst = votes(['chair', 'against'], ['b', 'for'], ['c', 'against'], ['d', 'for']);
  expect(
    tally({ rules: { ...majority, chairCastingVote: true }, members, recused: [], votes: chairAgainst }).outcome,
  ).toBe('rejected');
});

it('compares a qualified majority of two thirds exactly, with no float rounding', () => {
  const rules: CommitteeRules = { ...majority, decisionRule: 'qualified', qualifiedShare: '0.6667' };
  const twoOfThree = votes(['chair', 'for'], ['b', 'for'], ['c', 'against']);
  // 2/3 = 0.66666… is below 0.6667: a committee wanting "two thirds" writes 0.6666.
  expect(tally({ rules, members, recused: [], votes: twoOfThree }).outcome).toBe('rejected');
  expect(
    tally({ rules: { ...rules, qualifiedShare: '0.6666' }, members, recused: [], votes: twoOfThree }).outcome,
  ).toBe('adopted');
});

it('gives no decision without a quorum of non-recused members, and recused members count for nothing', () => {
  const few = tally({ rules: majority, members, recused: [], votes: votes(['chair', 'for'], ['b', 'for']) });
  expect([few.outcome, few.participating, few.eligible]).toEqual(['no-quorum', 2, 6]);
  expect(few.explanation).toMatch(/Quorum non atteint : 2 votant\(s\) sur 6/);
  // Recusals shrink the base of the quorum; a recused member's ballot, had it slipped in, is ignored.
  const withRecusals = tally({
    rules: majority,
    members,
    recused: ['d', 'e', 'f'],
    votes: votes(['chair', 'for'], ['b', 'for'], ['d', 'against']),
  });
  expect([withRecusals.outcome, withRecusals.eligible, withRecusals.counts.against]).toEqual(['adopted', 3, 0]);
  expect(tally({ rules: majority, members, recused: members.map((member) => member.userId), votes: [] }).outcome).toBe(
    'no-quorum',
  );
});

it('never adopts a motion with more votes against than for, whatever the rules', () => {
  const choice = fc.constantFrom<VoteChoice>('for', 'against', 'abstain');
  fc.assert(
    fc.property(
      fc.array(choice, { minLength: 6, maxLength: 6 }),
      fc.boolean(),
      fc.boolean(),
      (choices, abstentionsCount, chairCastingVote) => {
        const result = tally({
          rules: { ...majority, abstentionsCount, chairCastingVote },
          members,
          recused: [],
          votes: choices.map((choice, index) => ({ userId: members[index]!.userId, choice })),
        });
        if (
          result.counts.against >= result.counts.for &&
          !(result.counts.against === result.counts.for && result.tieBrokenByChair)
        )
          expect(result.outcome).not.toBe('adopted');
        expect(result.counts.for + result.counts.against + result.counts.abstain).toBe(6);
      },
    ),
  );
});
