import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { applicationMachine, proposalSteps, type ApplicationEvent } from '../../workflows/application.machine';
import { stateName } from '../../src/workflow-runtime';

type Snapshot = SnapshotFrom<typeof applicationMachine>;

const start = () =>
  initialTransition(applicationMachine, {
    organisationId: 'tiers-lieu',
    ticketMinMinor: '500000',
    ticketMaxMinor: '3000000',
  })[0];
const bounds = { ticketMinMinor: '500000', ticketMaxMinor: '3000000' };
const walk = (snapshot: Snapshot, ...events: ApplicationEvent[]) =>
  events.reduce((current, event) => transition(applicationMachine, current, event)[0], snapshot);
const toCommittee = (): Snapshot =>
  walk(
    start(),
    { type: 'ASSIGN_REFERENT', referentId: 'awa' },
    { type: 'INVITE_PRE_PROPOSAL' },
    { type: 'SUBMIT_PRE_PROPOSAL' },
    ...proposalSteps.map((step) => ({ type: 'COMPLETE_STEP' as const, step })),
    { type: 'SUBMIT_PROPOSAL' },
    { type: 'GIVE_OPINION', opinion: 'Projet solide.' },
    { type: 'SEND_TO_COMMITTEE', committeeId: 'comite-dotation' },
  );

it('walks from first contact to an active grant, the fund countersigning the agreement the applicant accepted, then closed', () => {
  const committee = toCommittee();
  expect(stateName(committee.value)).toBe('committee');
  const awaiting = walk(
    committee,
    { type: 'APPROVE', amountMinor: '2000000', poolId: null, ...bounds },
    { type: 'ACCEPT_AGREEMENT', userId: 'louis', at: '2026-11-25T10:00:00Z', documentSha256: 'a'.repeat(64) },
  );
  expect(
    awaiting.can({
      type: 'COUNTERSIGN',
      userId: 'camille',
      at: '2026-11-26T10:00:00Z',
      documentSha256: 'b'.repeat(64),
    }),
  ).toBe(false);
  const active = walk(awaiting, {
    type: 'COUNTERSIGN',
    userId: 'camille',
    at: '2026-11-26T10:00:00Z',
    documentSha256: 'a'.repeat(64),
  });
  expect(stateName(active.value)).toBe('active');
  expect(active.context).toMatchObject({
    approvedAmountMinor: '2000000',
    acceptedBy: 'louis',
    countersignedBy: 'camille',
  });
  expect(walk(active, { type: 'CLOSE' }).status).toBe('done');
});

it('asks for every proposal step before instruction, and for an opinion before the committee', () => {
  const proposal = walk(
    start(),
    { type: 'ASSIGN_REFERENT', referentId: 'awa' },
    { type: 'INVITE_PRE_PROPOSAL' },
    { type: 'SUBMIT_PRE_PROPOSAL' },
  );
  const partly = walk(proposal, { type: 'COMPLETE_STEP', step: 'project' }, { type: 'COMPLETE_STEP', step: 'project' });
  expect(partly.context.completedSteps).toEqual(['project']);
  expect(partly.can({ type: 'SUBMIT_PROPOSAL' })).toBe(false);
  const instruction = walk(partly, ...proposalSteps.map((step) => ({ type: 'COMPLETE_STEP' as const, step })), {
    type: 'SUBMIT_PROPOSAL',
  });
  expect(stateName(instruction.value)).toBe('instruction');
  expect(instruction.can({ type: 'SEND_TO_COMMITTEE', committeeId: 'comite-dotation' })).toBe(false);
});

it('approves only an amount within the bounds of the rules it is decided under', () => {
  const committee = toCommittee();
  expect(committee.context.committeeId).toBe('comite-dotation');
  for (const amountMinor of ['499999', '3000001', '-1', '12.5', ''])
    expect(committee.can({ type: 'APPROVE', amountMinor, poolId: null, ...bounds })).toBe(false);
  for (const amountMinor of ['500000', '3000000'])
    expect(committee.can({ type: 'APPROVE', amountMinor, poolId: null, ...bounds })).toBe(true);
  // A pool's amended rules may allow more than the fund's bounds the file opened with.
  expect(
    committee.can({
      type: 'APPROVE',
      amountMinor: '4000000',
      poolId: 'ademe',
      ticketMinMinor: '500000',
      ticketMaxMinor: '5000000',
    }),
  ).toBe(true);
});

it('sends an adopted motion that cannot be funded back to instruction, with the reason', () => {
  const back = walk(toCommittee(), { type: 'NOT_FUNDABLE', reason: 'Le pool est épuisé.' });
  expect([stateName(back.value), back.context.feedback, back.context.referentOpinion]).toEqual([
    'instruction',
    'Le pool est épuisé.',
    'Projet solide.',
  ]);
});

it('never ends on a bare no: declined and redirected keep feedback and can reopen; sent back says what to rework', () => {
  const declined = walk(toCommittee(), { type: 'DECLINE', feedback: 'Budget à préciser.' });
  expect([stateName(declined.value), declined.context.feedback]).toEqual(['declined', 'Budget à préciser.']);
  expect(stateName(walk(declined, { type: 'REOPEN' }).value)).toBe('dialogue');
  const redirected = walk(toCommittee(), {
    type: 'REDIRECT',
    to: 'France Active',
    feedback: 'Besoin de prêt, pas de don.',
  });
  expect(redirected.context).toMatchObject({ redirectedTo: 'France Active' });
  for (const to of ['dialogue', 'preProposal', 'proposal'] as const) {
    const back = walk(toCommittee(), { type: 'SEND_BACK', to, rework: 'Revoir le plan de financement.' });
    expect([stateName(back.value), back.context.rework, back.context.referentOpinion]).toEqual([
      to,
      'Revoir le plan de financement.',
      null,
    ]);
  }
});

it('lets the applicant withdraw from any open state, and nothing happens after the end', () => {
  const withdrawn = walk(toCommittee(), { type: 'WITHDRAW' });
  expect([stateName(withdrawn.value), withdrawn.status]).toEqual(['withdrawn', 'done']);
  expect(walk(withdrawn, { type: 'REOPEN' }).value).toBe('withdrawn');
});

it('continues a redirected file in dialogue with its referent; a file of a new contact waits for one', () => {
  const continued = initialTransition(applicationMachine, {
    organisationId: 'tiers-lieu',
    ticketMinMinor: null,
    ticketMaxMinor: null,
    continuesFrom: { fileId: 'earlier-file', referentId: 'awa' },
  })[0];
  expect(stateName(continued.value)).toBe('dialogue');
  expect(continued.context).toMatchObject({ referentId: 'awa', redirectedFromFileId: 'earlier-file' });
  expect(stateName(start().value)).toBe('firstContact');
  const redirected = walk(toCommittee(), {
    type: 'REDIRECT',
    to: 'Fonds de développement',
    feedback: 'Des fonds propres plutôt.',
    fileId: 'new-file',
  });
  expect(stateName(redirected.value)).toBe('redirected');
  expect(redirected.context).toMatchObject({ redirectedTo: 'Fonds de développement', redirectedToFileId: 'new-file' });
});
