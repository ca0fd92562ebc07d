import { stringify } from 'csv-stringify/sync';
import { bankAccountCode } from '../ledger/charts';
import type { Database, Transaction } from '../db/database';
import { pageOf, type Page } from '../db/pagination';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../errors';
import { postEntry, entryLabelLengthMax } from '../ledger/entries';
import { openAuxiliaryAccount } from '../ledger/auxiliary-accounts';
import { accountBalance, getFund, postedBySource } from '../ledger/queries';
import { namesOf } from '../identity/service';
import { getOrganisation, organisationNames } from '../organisations/service';
import { renderPdf } from '../documents/pdf';
import { poolStatement } from '../../templates/pool-statement';
import { allocate, euros, formatFrench, minorUnits, toApiAmount } from '../money';
import { formatFrenchDay, todayInParis } from '../time';
import { openDisbursementRequest, paymentsOfTranches, requestedOnTranches } from '../treasury/requests';
import { assertEndowmentFund } from './fund';
import { endowmentRules } from './rules';
import { endowmentMessages } from './messages';

/**
 * Grants of the endowment fund and the co-financing pools they may draw on.
 *
 * Books (ANC 2018-06, RULES.md §2): a partner's contribution to a pool is income
 * (7551) carried at once to dedicated funds (6895 / 195-pool); a grant decided
 * is an expense owed to the beneficiary (6571 / 4671-beneficiary) and, when drawn
 * on a pool, a use of its dedicated funds (195-pool / 7895). The 195-pool
 * account may not go below zero, so the database refuses an overdrawn pool.
 */
export const projectTypes = [
  'energy',
  'food',
  'mobility',
  'housing',
  'biodiversity',
  'circular-economy',
  'culture',
  'other',
] as const;
export const defaultTranchePercents = ['50', '30', '20'];
/** The project types as people read them. */
export const projectTypeLabels: Record<(typeof projectTypes)[number], string> = {
  energy: 'énergie',
  food: 'alimentation',
  mobility: 'mobilité',
  housing: 'logement',
  biodiversity: 'biodiversité',
  'circular-economy': 'économie circulaire',
  culture: 'culture',
  other: 'autre',
};

type PoolRow = {
  id: string;
  fund_id: string;
  name: string;
  partner_name: string;
  account_code: string;
  ticket_min_minor: bigint;
  ticket_max_minor: bigint;
  eligible_project_types: string[];
  starts_on: string;
  ends_on: string;
  tranche_percents: string[];
};

/** A pool's rules as they stand on a date: its latest amendment effective by then, else the rules it was set up with. */
export type PoolRules = {
  amendmentId: string | null;
  effectiveFrom: string | null;
  ticketMinMinor: bigint;
  ticketMaxMinor: bigint;
  eligibleProjectTypes: string[];
  startsOn: string;
  endsOn: string;
  tranchePercents: string[];
};

export async function poolRulesOn(db: Database | Transaction, pool: PoolRow, date: string): Promise<PoolRules> {
  const amendment = await db('pool_amendments')
    .where('pool_id', pool.id)
    .where('effective_from', '<=', date)
    .orderBy([
      { column: 'effective_from', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .first();
  const rules = amendment ?? pool;
  return {
    amendmentId: amendment ? String(amendment.id) : null,
    effectiveFrom: amendment?.effective_from ?? null,
    ticketMinMinor: BigInt(rules.ticket_min_minor),
    ticketMaxMinor: BigInt(rules.ticket_max_minor),
    eligibleProjectTypes: rules.eligible_project_types,
    startsOn: rules.starts_on,
    endsOn: rules.ends_on,
    tranchePercents: rules.tranche_percents.map((percent: string) => String(Number(percent))),
  };
}

export type NewPool = {
  id: string;
  name: string;
  partnerName: string;
  ticketMin: bigint;
  ticketMax: bigint;
  eligibleProjectTypes: (typeof projectTypes)[number][];
  startsOn: string;
  endsOn: string;
  tranchePercents: string[];
};

export async function createPool(trx: Transaction, fundId: string, pool: NewPool): Promise<void> {
  await assertEndowmentFund(trx, fundId);
  if (await trx('pools').where('id', pool.id).first('id')) throw new ConflictError(endowmentMessages.poolIdTaken);
  const accountCode = await openAuxiliaryAccount(trx, {
    fundId,
    rootCode: '195',
    holder: { type: 'pool', id: pool.id, name: pool.name },
    label: `Fonds dédiés — ${pool.name} (${pool.partnerName})`,
    type: 'liability',
    mayGoNegative: false,
  });
  await trx('pools').insert({
    id: pool.id,
    fund_id: fundId,
    name: pool.name,
    partner_name: pool.partnerName,
    account_code: accountCode,
    ticket_min_minor: pool.ticketMin,
    ticket_max_minor: pool.ticketMax,
    eligible_project_types: pool.eligibleProjectTypes,
    starts_on: pool.startsOn,
    ends_on: pool.endsOn,
    tranche_percents: pool.tranchePercents,
  });
}

async function poolOf(db: Database | Transaction, fundId: string, poolId: string): Promise<PoolRow> {
  const pool: PoolRow | undefined = await db('pools').where({ id: poolId, fund_id: fundId }).first();
  if (!pool) throw new NotFoundError(endowmentMessages.poolMissing);
  return pool;
}

/** A partner's money received for its pool. */
export async function poolExists(db: Database | Transaction, fundId: string, poolId: string): Promise<boolean> {
  return Boolean(await db('pools').where({ fund_id: fundId, id: poolId }).first('id'));
}

export async function contributeToPool(
  trx: Transaction,
  fundId: string,
  poolId: string,
  contribution: { amount: bigint; receivedOn: string },
  actor: { userId: string | null },
  idempotencyKey: string,
) {
  const pool = await poolOf(trx, fundId, poolId);
  if (contribution.receivedOn > todayInParis())
    throw new ValidationError([{ path: ['receivedOn'], message: endowmentMessages.contributionNotYetReceived }]);
  return postEntry(
    trx,
    {
      fundId,
      journalCode: 'BQ',
      accountingDate: contribution.receivedOn,
      label: `Contribution ${pool.partner_name} — ${pool.name}`.slice(0, entryLabelLengthMax),
      sourceType: 'pool-contribution',
      sourceId: pool.id,
      idempotencyKey: `pool-contribution:${idempotencyKey}`,
      lines: [
        { accountCode: bankAccountCode, amountMinor: contribution.amount },
        { accountCode: '7551', amountMinor: -contribution.amount },
        { accountCode: '6895', amountMinor: contribution.amount },
        { accountCode: pool.account_code, amountMinor: -contribution.amount },
      ],
    },
    actor,
  );
}

/**
 * The pool's rules in force today, checked when a motion is put to the vote and
 * again when the grant is committed; returns them, so the grant keeps them.
 */
export async function assertPoolAccepts(
  db: Database | Transaction,
  fundId: string,
  poolId: string,
  grant: { amountMinor: bigint; projectType: string | undefined },
): Promise<PoolRules> {
  const pool = await poolOf(db, fundId, poolId);
  const today = todayInParis();
  const rules = await poolRulesOn(db, pool, today);
  const refusals: string[] = [];
  if (grant.amountMinor < rules.ticketMinMinor || grant.amountMinor > rules.ticketMaxMinor)
    refusals.push(
      `le ticket va de ${formatFrench(euros(rules.ticketMinMinor))} à ${formatFrench(euros(rules.ticketMaxMinor))}`,
    );
  if (rules.eligibleProjectTypes.length > 0 && !rules.eligibleProjectTypes.includes(grant.projectType ?? ''))
    refusals.push(
      `il finance les projets de type ${rules.eligibleProjectTypes.map((type) => projectTypeLabels[type as keyof typeof projectTypeLabels] ?? type).join(', ')}`,
    );
  if (today < rules.startsOn || today > rules.endsOn)
    refusals.push(`il engage du ${formatFrenchDay(rules.startsOn)} au ${formatFrenchDay(rules.endsOn)}`);
  if (refusals.length > 0)
    throw new RuleViolationError(
      'endowment/pool-rules',
      endowmentMessages.poolRefusesGrant(pool.name, refusals.join(' ; ')),
      { poolId },
    );
  return rules;
}

/** What a pool may still grant: the credit balance of its dedicated-funds account. */
export async function poolAvailableMinor(
  db: Database | Transaction,
  fundId: string,
  poolId: string,
  options: { lock?: boolean } = {},
): Promise<bigint> {
  const pool = await poolOf(db, fundId, poolId);
  return -(await accountBalance(db, fundId, pool.account_code, options));
}

/** The bounds of a ticket: its pool's rules in force today, else its fund's. */
export async function ticketBounds(
  db: Database | Transaction,
  fundId: string,
  poolId: string | null,
): Promise<{ ticketMinMinor: bigint; ticketMaxMinor: bigint }> {
  if (poolId) {
    const rules = await poolRulesOn(db, await poolOf(db, fundId, poolId), todayInParis());
    return { ticketMinMinor: rules.ticketMinMinor, ticketMaxMinor: rules.ticketMaxMinor };
  }
  const { ticketMinMinor, ticketMaxMinor } = await endowmentRules(db, fundId);
  return { ticketMinMinor, ticketMaxMinor };
}

export type PoolAmendment = Omit<NewPool, 'id' | 'name' | 'partnerName'> & { effectiveFrom: string; reason: string };

/**
 * Records an addendum to a pool's agreement: the rules it sets apply from its
 * effective date on; what was decided before keeps the rules it was decided under.
 */
export async function amendPool(
  trx: Transaction,
  fundId: string,
  poolId: string,
  amendment: PoolAmendment,
  actor: { userId: string },
): Promise<void> {
  await poolOf(trx, fundId, poolId);
  await trx('pool_amendments').insert({
    pool_id: poolId,
    effective_from: amendment.effectiveFrom,
    ticket_min_minor: amendment.ticketMin,
    ticket_max_minor: amendment.ticketMax,
    eligible_project_types: amendment.eligibleProjectTypes,
    starts_on: amendment.startsOn,
    ends_on: amendment.endsOn,
    tranche_percents: amendment.tranchePercents,
    reason: amendment.reason,
    amended_by: actor.userId,
  });
}

/**
 * Commits an approved grant: its expense and debt on the books (and the use of
 * the pool's dedicated funds), and its tranches split exactly with allocate.
 */
export async function commitGrant(
  trx: Transaction,
  grant: {
    applicationId: string;
    fundId: string;
    organisationId: string;
    organisationName: string;
    amountMinor: bigint;
    poolId: string | null;
    projectType: string | undefined;
  },
): Promise<string> {
  const pool = grant.poolId ? await poolOf(trx, grant.fundId, grant.poolId) : undefined;
  const rules = pool ? await assertPoolAccepts(trx, grant.fundId, pool.id, grant) : undefined;
  if (pool) {
    // Decisions on one pool take turns here; the account's floor stays the last word at commit.
    const availableMinor = await poolAvailableMinor(trx, grant.fundId, pool.id, { lock: true });
    if (availableMinor < grant.amountMinor)
      throw new RuleViolationError(
        'endowment/pool-exhausted',
        endowmentMessages.poolExhausted(pool.name, formatFrench(euros(availableMinor))),
        { poolId: pool.id },
      );
  }
  const payable = await openAuxiliaryAccount(trx, {
    fundId: grant.fundId,
    rootCode: '4671',
    holder: { type: 'organisation', id: grant.organisationId, name: grant.organisationName },
    label: `Bénéficiaire — ${grant.organisationName}`,
    type: 'liability',
    mayGoNegative: true,
  });
  const { entry } = await postEntry(
    trx,
    {
      fundId: grant.fundId,
      journalCode: 'AIDES',
      accountingDate: todayInParis(),
      label: `Aide accordée — ${grant.organisationName}${pool ? ` (pool ${pool.name})` : ''}`.slice(
        0,
        entryLabelLengthMax,
      ),
      sourceType: 'grant',
      sourceId: grant.applicationId,
      idempotencyKey: `grant-commitment:${grant.applicationId}`,
      lines: [
        { accountCode: '6571', amountMinor: grant.amountMinor },
        { accountCode: payable, amountMinor: -grant.amountMinor },
        ...(pool
          ? [
              { accountCode: pool.account_code, amountMinor: grant.amountMinor },
              { accountCode: '7895', amountMinor: -grant.amountMinor },
            ]
          : []),
      ],
    },
    { userId: null },
  );
  const [row] = await trx('grants')
    .insert({
      fund_id: grant.fundId,
      application_id: grant.applicationId,
      organisation_id: grant.organisationId,
      pool_id: pool?.id ?? null,
      pool_amendment_id: rules?.amendmentId ?? null,
      amount_minor: grant.amountMinor,
      payable_account_code: payable,
      commitment_entry_id: entry.id,
    })
    .returning('id');
  const percents = rules?.tranchePercents ?? defaultTranchePercents;
  const amounts = allocate(euros(grant.amountMinor), percents);
  await trx('grant_tranches').insert(
    amounts.map((amount, index) => ({
      grant_id: row.id,
      position: index + 1,
      percent: percents[index],
      amount_minor: minorUnits(amount),
      // The first tranche follows the signed agreement; each later one, an accepted report.
      condition: index === 0 ? 'agreement-signed' : 'report-accepted',
    })),
  );
  return row.id;
}

/**
 * Makes payable the tranches a met condition unlocks — every tranche waiting on
 * the agreement, or the next one waiting on a report — and hands each to the
 * treasury as a disbursement request.
 */
export async function releaseTranches(
  trx: Transaction,
  applicationId: string,
  condition: 'agreement-signed' | 'report-accepted',
): Promise<string[]> {
  const grant = await trx('grants').where('application_id', applicationId).forUpdate().first();
  if (!grant) return [];
  const organisationName = (await getOrganisation(trx, grant.organisation_id)).name;
  const waiting = trx('grant_tranches')
    .where({ grant_id: grant.id, condition, status: 'scheduled' })
    .orderBy('position');
  const tranches = condition === 'report-accepted' ? await waiting.limit(1) : await waiting;
  const trancheCount = Number(
    (await trx('grant_tranches').where('grant_id', grant.id).count('* as count').first())!.count,
  );
  for (const tranche of tranches) {
    await trx('grant_tranches').where('id', tranche.id).update({ status: 'payable', payable_since: trx.fn.now() });
    await openDisbursementRequest(trx, {
      fundId: grant.fund_id,
      payee: { organisationId: grant.organisation_id, trancheId: tranche.id },
      amountMinor: BigInt(tranche.amount_minor),
      payableAccountCode: grant.payable_account_code,
      // Also the transfer's remittance text: only characters of the SEPA set, so the bank shows it as is.
      label: `Aide ${organisationName} - tranche ${tranche.position}/${trancheCount}`,
    });
  }
  return tranches.map((tranche) => tranche.id);
}

/** What a grant agreement states of the grant: the pool and its partner, and the tranches with their conditions. */
export async function grantTerms(db: Database | Transaction, applicationId: string) {
  const grant = await db('grants')
    .leftJoin('pools', 'pools.id', 'grants.pool_id')
    .where('grants.application_id', applicationId)
    .first('grants.id', 'pools.name as pool_name', 'pools.partner_name');
  if (!grant) return null;
  const tranches = await db('grant_tranches')
    .where('grant_id', grant.id)
    .orderBy('position')
    .select('position', 'percent', 'amount_minor', 'condition');
  return {
    pool: grant.pool_name ? { name: grant.pool_name as string, partnerName: grant.partner_name as string } : null,
    tranches: tranches.map((tranche) => ({
      position: Number(tranche.position),
      percent: String(Number(tranche.percent)),
      amountMinor: BigInt(tranche.amount_minor),
      condition: tranche.condition as 'agreement-signed' | 'report-accepted',
    })),
  };
}

export async function grantOf(db: Database | Transaction, applicationId: string) {
  const grant = await db('grants').where('application_id', applicationId).first();
  if (!grant) return null;
  const tranches = await db('grant_tranches').where('grant_id', grant.id).orderBy('position');
  return {
    id: grant.id,
    amount: toApiAmount(euros(grant.amount_minor)),
    poolId: grant.pool_id,
    tranches: tranches.map((tranche) => ({
      position: tranche.position,
      percent: String(Number(tranche.percent)),
      amount: toApiAmount(euros(tranche.amount_minor)),
      condition: tranche.condition,
      status: tranche.status,
    })),
  };
}

export async function poolView(db: Database, fundId: string, poolId: string) {
  const pool = await poolOf(db, fundId, poolId);
  const balanceMinor = await accountBalance(db, fundId, pool.account_code);
  const rules = await poolRulesOn(db, pool, todayInParis());
  const amendmentRows = await db('pool_amendments').where('pool_id', poolId).orderBy('id');
  const amenders = await namesOf(db, [...new Set(amendmentRows.map((row) => row.amended_by as string))]);
  const amendments = amendmentRows.map((row) => ({ ...row, display_name: amenders.get(row.amended_by) }));
  const contributedMinor = await postedBySource(db, fundId, pool.account_code, {
    type: 'pool-contribution',
    id: poolId,
  });
  const grantRows = await db('grants')
    .where('pool_id', poolId)
    .orderBy('created_at')
    .select('id', 'amount_minor', 'created_at', 'organisation_id');
  const beneficiaries = await organisationNames(db, [
    ...new Set(grantRows.map((row) => row.organisation_id as string)),
  ]);
  const grants = grantRows.map((row) => ({ ...row, name: beneficiaries.get(row.organisation_id) }));
  const requestedMinor = await requestedOnPool(db, poolId);
  const amount = (minor: bigint | string | null | undefined) => toApiAmount(euros(BigInt(minor ?? 0)));
  return {
    id: pool.id,
    name: pool.name,
    partnerName: pool.partner_name,
    accountCode: pool.account_code,
    // The rules in force today, and every amendment recorded (who, when, why, from which date).
    rules: {
      ticketMin: amount(rules.ticketMinMinor),
      ticketMax: amount(rules.ticketMaxMinor),
      eligibleProjectTypes: rules.eligibleProjectTypes,
      startsOn: rules.startsOn,
      endsOn: rules.endsOn,
      tranchePercents: rules.tranchePercents,
      amendmentId: rules.amendmentId,
    },
    amendments: amendments.map((row) => ({
      id: String(row.id),
      effectiveFrom: row.effective_from,
      reason: row.reason,
      amendedBy: row.display_name,
      amendedAt: row.amended_at,
      rules: {
        ticketMin: amount(row.ticket_min_minor),
        ticketMax: amount(row.ticket_max_minor),
        eligibleProjectTypes: row.eligible_project_types,
        startsOn: row.starts_on,
        endsOn: row.ends_on,
        tranchePercents: row.tranche_percents.map((percent: string) => String(Number(percent))),
      },
    })),
    contributed: amount(-contributedMinor),
    // Credit balance of the dedicated-funds account: what the pool may still grant.
    available: amount(-balanceMinor),
    granted: amount(grants.reduce((total, grant) => total + BigInt(grant.amount_minor), 0n)),
    requestedForPayment: amount(requestedMinor),
    grants: grants.map((grant) => ({
      id: grant.id,
      beneficiary: grant.name,
      amount: amount(grant.amount_minor),
      grantedOn: todayInParis(grant.created_at),
    })),
  };
}

export type PoolStatement = Awaited<ReturnType<typeof poolView>>;

/** The fund's pools, newest first, each with what it received, granted and still holds. */
/** The fund's pools to choose from (a form's list), the latest first: their id and name. */
export async function poolChoices(db: Database, fundId: string, limit = 50): Promise<{ id: string; name: string }[]> {
  return db('pools')
    .where('fund_id', fundId)
    .orderBy([{ column: 'starts_on', order: 'desc' }, { column: 'id' }])
    .limit(limit)
    .select('id', 'name');
}

export async function listPools(db: Database, fundId: string, page: Page) {
  const { rows, ...rest } = await pageOf<{ id: string }>(db('pools').where('fund_id', fundId), page, (read) =>
    read.orderBy([{ column: 'starts_on', order: 'desc' }, { column: 'id' }]).select('id'),
  );
  return {
    ...rest,
    pools: await Promise.all(
      rows.map(async (row) => {
        const { grants: _grants, ...pool } = await poolView(db, fundId, row.id);
        return pool;
      }),
    ),
  };
}

export function poolStatementCsv(pool: PoolStatement): string {
  const comma = (amount: string) => amount.replace('.', ',');
  return stringify(
    [
      ['pool', 'partenaire', 'contribue', 'accorde', 'demande_en_paiement', 'disponible'],
      [
        pool.name,
        pool.partnerName,
        comma(pool.contributed),
        comma(pool.granted),
        comma(pool.requestedForPayment),
        comma(pool.available),
      ],
      [],
      ['beneficiaire', 'montant_accorde', 'date'],
      ...pool.grants.map((grant) => [grant.beneficiary, comma(grant.amount), grant.grantedOn]),
    ],
    { delimiter: ';', record_delimiter: 'windows' },
  );
}

/** What the treasury was asked to pay on the tranches of the pool's grants. */
async function requestedOnPool(db: Database, poolId: string): Promise<bigint> {
  const tranches: { id: string }[] = await db('grant_tranches')
    .join('grants', 'grants.id', 'grant_tranches.grant_id')
    .where('grants.pool_id', poolId)
    .select('grant_tranches.id');
  return requestedOnTranches(
    db,
    tranches.map((tranche) => tranche.id),
  );
}

/** The pool's statement for its partner, as a file: PDF (the default) or CSV. */
export async function poolStatementFile(db: Database, fundId: string, poolId: string, format: 'pdf' | 'csv') {
  const pool = await poolView(db, fundId, poolId);
  if (format === 'csv')
    return {
      fileName: `releve-pool-${pool.id}.csv`,
      contentType: 'text/csv; charset=utf-8',
      content: Buffer.from(poolStatementCsv(pool)),
    };
  const fund = await getFund(db, fundId);
  const at = new Date();
  return {
    fileName: `releve-pool-${pool.id}.pdf`,
    contentType: 'application/pdf',
    content: await renderPdf(poolStatement({ fundName: fund.name, pool, at }), at),
  };
}

/**
 * Where the payment of each of an organisation's tranches stands, by
 * `applicationId:position` (a tranche not yet payable has none).
 */
export async function tranchePaymentsOf(
  db: Database,
  organisationId: string,
): Promise<Map<string, { requestId: string; status: string }>> {
  const tranches: { id: string; application_id: string; position: number }[] = await db('grant_tranches as t')
    .join('grants as g', 'g.id', 't.grant_id')
    .where('g.organisation_id', organisationId)
    .where('t.status', 'payable')
    .select('t.id', 'g.application_id', 't.position');
  const payments = await paymentsOfTranches(
    db,
    tranches.map((tranche) => tranche.id),
  );
  return new Map(
    tranches.flatMap((tranche) => {
      const payment = payments.get(tranche.id);
      return payment ? [[`${tranche.application_id}:${tranche.position}`, payment] as const] : [];
    }),
  );
}
