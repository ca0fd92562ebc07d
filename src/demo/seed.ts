import { seedBankStatement } from './bank-statement';
import type { Database } from '../db/database';
import { postEntry } from '../ledger/entries';
import { ensureFund, type FundDefinition } from '../ledger/funds';
import { createCommittee } from '../committees/committees';
import { closeSessionAs, openSession } from '../committees/sessions';
import { castVote, declareInterests } from '../committees/votes';
import { documentKinds } from '../document-kinds';
import { renderDocument } from '../documents/service';
import { todayInParis } from '../time';
import { createBatch, requestDisbursement, takeDisbursementStep } from '../treasury/disbursements';
import { createUser, principalOf, userIdByEmail } from '../identity/service';
import { grantRole } from '../identity/role-grants';
import type { Transaction } from '../db/database';
import { hasFileOpenedWith, openApplication, takeStep } from '../pathway/service';
import { createDonor, donorIdByEmail, recordDonation } from '../endowment/gifts';
import { contributeToPool, createPool, poolExists, tranchePaymentsOf } from '../endowment/grants';
import { openEndowmentSettings, type EndowmentIdentity } from '../endowment/rules';
import { openTreasuryAccount, type TreasuryAccount } from '../treasury/accounts';
import type { TransitionBody } from '../pathway/schema';
import type { Role } from '../identity/roles';
import type { NewOrganisation } from '../organisations/schema';
import { createOrganisation, organisationNames } from '../organisations/service';
import { committeesOfFund } from '../committees/membership';
import { findWorkflow } from '../workflow-runtime';
import { applicationSubject } from '../pathway/access';

/**
 * The demo data set loaded by `npm start`: the three vehicles with their charts,
 * one person per role, and a few opening movements so that no screen is empty.
 * Idempotent: running it again changes nothing.
 */
export const demoPassword = 'milliard-demo-2026';

export const demoFunds: FundDefinition[] = [
  { id: 'dotation', kind: 'endowment', name: 'Fonds de Dotation pour la Transition Juste', siren: '900000001' },
  {
    id: 'developpement',
    kind: 'fpci',
    name: 'Fonds de Développement pour la Transition Juste (FPCI)',
    siren: '900000019',
  },
  { id: 'garantie', kind: 'guarantee', name: 'Mécanisme de Garantie ESS', siren: '900000027' },
];

export const demoUsers: { email: string; displayName: string; roles: { role: Role; scopeId?: string }[] }[] = [
  { email: 'admin@milliard.test', displayName: 'Camille Admin', roles: [{ role: 'admin' }] },
  {
    email: 'tresorier2@milliard.test',
    displayName: 'Nadia Contrôleuse',
    roles: [{ role: 'treasurer', scopeId: 'dotation' }],
  },
  {
    email: 'tresoriere@milliard.test',
    displayName: 'Inès Trésorière',
    roles: demoFunds.map((fund) => ({ role: 'treasurer' as const, scopeId: fund.id })),
  },
  {
    email: 'comite@milliard.test',
    displayName: 'Paul Comité',
    roles: [{ role: 'committee_member', scopeId: 'comite-dotation' }],
  },
  {
    email: 'comite2@milliard.test',
    displayName: 'Sofia Comité',
    roles: [{ role: 'committee_member', scopeId: 'comite-dotation' }],
  },
  {
    email: 'comite3@milliard.test',
    displayName: 'Hugo Comité',
    roles: [{ role: 'committee_member', scopeId: 'comite-dotation' }],
  },
  { email: 'referente@milliard.test', displayName: 'Awa Référente', roles: [{ role: 'referent' }] },
  {
    email: 'porteur@milliard.test',
    displayName: 'Louis Porteur de projet',
    roles: [{ role: 'applicant', scopeId: 'tiers-lieu-demo' }],
  },
  { email: 'donatrice@milliard.test', displayName: 'Jeanne Donatrice', roles: [{ role: 'donor' }] },
  {
    email: 'investisseur@milliard.test',
    displayName: 'Marc Investisseur',
    roles: [{ role: 'investor', scopeId: 'developpement' }],
  },
  { email: 'preteur@milliard.test', displayName: 'Banque Partenaire', roles: [{ role: 'partner_lender' }] },
];

// Each keeps the idempotency key it was first seeded with, so that re-seeding an existing database changes nothing.
const demoEntries = [
  {
    key: 'demo-0',
    fundId: 'dotation',
    journalCode: 'BQ',
    date: '2026-01-15',
    label: 'Dotation consomptible initiale',
    debit: '512',
    credit: '1081',
    amountMinor: 5_000_000n,
  },
  {
    key: 'demo-1',
    fundId: 'dotation',
    journalCode: 'DONS',
    date: '2026-03-12',
    label: 'Dons manuels — dîner de levée de fonds',
    debit: '512',
    credit: '7541',
    amountMinor: 1_250_000n,
  },
  {
    key: 'demo-3',
    fundId: 'developpement',
    journalCode: 'OD',
    date: '2026-01-20',
    label: 'Souscriptions du premier closing',
    debit: '109',
    credit: '1011',
    amountMinor: 250_000_000n,
  },
  {
    key: 'demo-4',
    fundId: 'garantie',
    journalCode: 'BQ',
    date: '2026-02-01',
    label: 'Dotation des contributeurs au fonds de garantie',
    debit: '512',
    credit: '1025',
    amountMinor: 50_000_000n,
  },
];

/** ACTED's co-financing pool, and the first €90,000 of the €180,000 it brings. */
export const demoPool = {
  id: 'acted',
  name: 'Transition juste ACTED',
  partnerName: 'ACTED',
  ticketMin: 5_000_00n,
  ticketMax: 30_000_00n,
  eligibleProjectTypes: ['energy', 'food', 'mobility'] as ('energy' | 'food' | 'mobility')[],
  startsOn: '2026-01-01',
  endsOn: '2027-12-31',
  tranchePercents: ['50', '30', '20'],
};

/** The applicant organisation of the demo: the scope of porteur@milliard.test. */
export const demoOrganisation: NewOrganisation = {
  id: 'tiers-lieu-demo',
  name: 'La Fabrique du Tiers-Lieu',
  legalForm: 'association',
  rna: 'W751234567',
  siren: '812345676',
  addressLine: '12 rue des Coopératives',
  postalCode: '75011',
  city: 'Paris',
  department: '75',
  region: 'Île-de-France',
  territory: 'Paris Est',
  iban: 'FR7630006000011234567890189',
  bic: 'AGRIFRPP',
};

/** The endowment fund's committee: Paul chairs, half the members make a quorum, a simple majority decides. */
export const demoCommittee = {
  id: 'comite-dotation',
  name: "Comité d'engagement du fonds de dotation",
  fundId: 'dotation',
  rules: {
    quorumShare: '0.5',
    decisionRule: 'majority' as const,
    qualifiedShare: null,
    abstentionsCount: false,
    chairCastingVote: true,
  },
  memberEmails: ['comite@milliard.test', 'comite2@milliard.test', 'comite3@milliard.test'],
};

const userOf = async (trx: Transaction, email: string): Promise<string> => {
  const userId = await userIdByEmail(trx, email);
  if (!userId) throw new Error(`The demo user ${email} is missing`);
  return userId;
};

const principalByEmail = async (trx: Transaction, email: string) =>
  (await principalOf(trx, await userOf(trx, email), 'session'))!;

/** A file of the demo organisation walked up to the committee, each step by its person. */
async function walkToCommittee(
  trx: Transaction,
  message: string,
  project: { title: string; summary: string },
): Promise<string> {
  const referent = await principalByEmail(trx, 'referente@milliard.test');
  const applicant = await principalByEmail(trx, 'porteur@milliard.test');
  const applicationId = await openApplication(
    trx,
    {
      organisationId: demoOrganisation.id,
      message,
      contactName: 'Louis Porteur',
      contactEmail: 'porteur@milliard.test',
    },
    referent,
  );
  const steps: [typeof referent, TransitionBody][] = [
    [referent, { event: 'ASSIGN_REFERENT', referentId: referent.userId }],
    [referent, { event: 'INVITE_PRE_PROPOSAL' }],
    [
      applicant,
      {
        event: 'SUBMIT_PRE_PROPOSAL',
        need: 'Le bâtiment est une passoire thermique.',
        project: project.summary,
        amountFrom: 15_000_00n,
        amountTo: 25_000_00n,
      },
    ],
    [applicant, { event: 'COMPLETE_STEP', step: 'organisation', answers: {} }],
    [
      applicant,
      {
        event: 'COMPLETE_STEP',
        step: 'project',
        answers: { title: project.title, projectType: 'energy', startsOn: '2027-03-01', endsOn: '2027-10-31' },
      },
    ],
    [
      applicant,
      {
        event: 'COMPLETE_STEP',
        step: 'budget',
        answers: { totalBudget: '80000.00', otherFunding: [{ funder: 'ADEME', amount: '30000.00', obtained: true }] },
      },
    ],
    [
      applicant,
      {
        event: 'COMPLETE_STEP',
        step: 'impact',
        answers: {
          beneficiaries: '300 usagers par semaine',
          ecologicalImpact: '60 % de chauffage en moins',
          socialImpact: 'Un lieu ouvert l’hiver',
          indicators: ['kWh par an'],
        },
      },
    ],
    [applicant, { event: 'SUBMIT_PROPOSAL' }],
    [referent, { event: 'GIVE_OPINION', opinion: 'Équipe solide, budget réaliste, cofinancement ADEME obtenu.' }],
    [referent, { event: 'SEND_TO_COMMITTEE' }],
  ];
  for (const [principal, step] of steps) await takeStep(trx, applicationId, step, principal);
  return applicationId;
}

const fileWith = (trx: Transaction, message: string) => hasFileOpenedWith(trx, demoOrganisation.id, message);

/**
 * A first file granted 15 000 € by the committee, its agreement signed, its first
 * tranche requested by Inès, approved by Nadia and put in a payment batch — so
 * that a newcomer can export a SEPA file at once.
 */
async function seedGrantBeingPaid(trx: Transaction): Promise<void> {
  const message = 'Nous voulons équiper notre atelier de réparation de vélos.';
  if (await fileWith(trx, message)) return;
  const applicationId = await walkToCommittee(trx, message, {
    title: 'Un atelier vélo solidaire',
    summary: 'Atelier de réparation de vélos ouvert aux habitants.',
  });
  // One after the other: a transaction is one connection, which runs one query at a time.
  const people = [];
  for (const email of [
    'comite@milliard.test',
    'comite3@milliard.test',
    'porteur@milliard.test',
    'admin@milliard.test',
    'tresoriere@milliard.test',
    'tresorier2@milliard.test',
  ])
    people.push(await principalByEmail(trx, email));
  const [chair, hugo, applicant, admin, ines, nadia] = people;
  const sessionId = await openSession(
    trx,
    demoCommittee.id,
    {
      applicationId,
      motion: { decision: 'approve', amount: 15_000_00n },
      deadline: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
    },
    chair!,
  );
  for (const member of [chair!, hugo!]) {
    await declareInterests(trx, sessionId, { conflicted: false }, member);
    await castVote(trx, sessionId, { choice: 'for' }, member);
  }
  await closeSessionAs(trx, sessionId, chair!, 'Vote de démonstration');
  const { version } = await findWorkflow(trx, 'application', applicationSubject(applicationId));
  const agreement = await renderDocument(trx, documentKinds, {
    kind: 'grant-agreement',
    subjectType: 'application',
    subjectId: applicationId,
    documentKey: `grant-agreement:${applicationId}:v${version}`,
  });
  await takeStep(trx, applicationId, { event: 'ACCEPT_AGREEMENT', documentSha256: agreement.sha256 }, applicant!);
  await takeStep(trx, applicationId, { event: 'COUNTERSIGN', documentSha256: agreement.sha256 }, admin!);
  // The first tranche became payable when the agreement was countersigned.
  const request = (await tranchePaymentsOf(trx, demoOrganisation.id)).get(`${applicationId}:1`);
  if (!request) throw new Error('The demo grant has no payable first tranche');
  const disbursementId = await requestDisbursement(trx, 'dotation', { requestId: request.requestId }, ines!);
  await takeDisbursementStep(trx, disbursementId, { event: 'APPROVE' }, nadia!);
  await createBatch(trx, 'dotation', { disbursementIds: [disbursementId], executionDate: todayInParis() }, ines!);
}

/** A second file waiting at committee, so that the committee has something to vote on. */
async function seedApplicationAtCommittee(trx: Transaction): Promise<void> {
  const message = 'Nous voulons isoler et chauffer sobrement notre tiers-lieu.';
  if (!(await fileWith(trx, message)))
    await walkToCommittee(trx, message, {
      title: 'Un tiers-lieu sobre',
      summary: 'Isolation et pompe à chaleur pour le tiers-lieu.',
    });
}

/** What the endowment fund's receipts say of it (RULES.md §1: address, purpose, type, signatory). */
export const demoEndowmentIdentity: EndowmentIdentity = {
  address: '5 rue de la Transition, 75010 Paris',
  purpose: "Soutenir des projets d'intérêt général en faveur d'une transition écologique juste",
  organisationType: 'Fonds de dotation (loi n° 2008-776 du 4 août 2008, art. 140)',
  signatoryName: 'Camille Admin',
  signatoryCapacity: 'présidente',
};

/** The endowment fund's paying account; above 10 000 € a payment needs two approvers besides its requester. */
export const demoTreasuryAccount: TreasuryAccount = {
  holderName: 'Fonds de Dotation pour la Transition Juste',
  iban: 'FR7610107001011234567890129',
  bic: 'BREDFRPP',
  secondApprovalAboveMinor: 10_000_00n,
};

/** The FPCI's account at its depositary bank: calls are paid in to it, distributions leave from it. */
export const demoFpciTreasuryAccount: TreasuryAccount = {
  holderName: 'Fonds de Développement pour la Transition Juste',
  iban: 'FR7642559100000800123456771',
  bic: 'CCOPFRPP',
  secondApprovalAboveMinor: 100_000_00n,
};

/** Jeanne gives each year; her first gift of the year has its receipt. */
async function seedDonor(trx: Transaction): Promise<void> {
  if (await donorIdByEmail(trx, 'dotation', 'donatrice@milliard.test')) return;
  const donorId = await createDonor(trx, 'dotation', {
    kind: 'individual',
    lastName: 'Donatrice',
    firstNames: 'Jeanne',
    addressLine: '3 place des Dons',
    postalCode: '69001',
    city: 'Lyon',
    country: 'France',
    email: 'donatrice@milliard.test',
    receiptMode: 'per-gift',
    consentEmail: true,
    consentNewsletter: false,
  });
  await recordDonation(
    trx,
    'dotation',
    { donorId, amount: 1_234_56n, receivedOn: '2026-03-12', method: 'transfer', recurring: false },
    { userId: null },
    'demo-donation-1',
  );
}

export async function seedDemo(db: Database): Promise<void> {
  await db.transaction(async (trx) => {
    for (const fund of demoFunds) await ensureFund(trx, fund);
    for (const user of demoUsers) {
      const existing = await userIdByEmail(trx, user.email);
      if (!existing) await createUser(trx, { ...user, password: demoPassword });
      else for (const grant of user.roles) await grantRole(trx, { userId: existing, ...grant });
    }
    // Opened by the demo referent, who accompanies it.
    const opener = await userOf(trx, 'referente@milliard.test');
    if ((await organisationNames(trx, [demoOrganisation.id])).size === 0)
      await createOrganisation(trx, demoOrganisation, opener);
    if (!(await committeesOfFund(trx, demoCommittee.fundId)).includes(demoCommittee.id)) {
      const members = [];
      for (const email of demoCommittee.memberEmails)
        members.push({ userId: await userOf(trx, email), chair: email === demoCommittee.memberEmails[0] });
      await createCommittee(trx, { ...demoCommittee, members });
    }
    await openEndowmentSettings(trx, 'dotation', demoEndowmentIdentity);
    await openTreasuryAccount(trx, 'dotation', demoTreasuryAccount);
    await openTreasuryAccount(trx, 'developpement', demoFpciTreasuryAccount);
    await seedGrantBeingPaid(trx);
    await seedApplicationAtCommittee(trx);
    await seedDonor(trx);
    if (!(await poolExists(trx, 'dotation', demoPool.id))) {
      await createPool(trx, 'dotation', demoPool);
      await contributeToPool(
        trx,
        'dotation',
        demoPool.id,
        { amount: 90_000_00n, receivedOn: '2026-04-02' },
        { userId: null },
        'demo-acted-1',
      );
    }
    for (const entry of demoEntries) {
      await postEntry(
        trx,
        {
          fundId: entry.fundId,
          journalCode: entry.journalCode,
          accountingDate: entry.date,
          label: entry.label,
          sourceType: 'demo',
          idempotencyKey: entry.key,
          lines: [
            { accountCode: entry.debit, amountMinor: entry.amountMinor },
            { accountCode: entry.credit, amountMinor: -entry.amountMinor },
          ],
        },
        { userId: null },
      );
    }
    // Last: its opening balance is the books' once everything before April is in them.
    await seedBankStatement(trx, await userOf(trx, 'tresoriere@milliard.test'));
  });
}

export function demoCredentialsText(): string {
  const width = Math.max(...demoUsers.map((user) => user.email.length));
  const lines = demoUsers.map(
    (user) =>
      `  ${user.email.padEnd(width)}  ${user.roles.map((grant) => grant.role + (grant.scopeId ? `:${grant.scopeId}` : '')).join(', ')}`,
  );
  return [`Comptes de démonstration (mot de passe : ${demoPassword}) :`, ...lines].join('\n');
}
