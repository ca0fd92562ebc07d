import type { Database, Transaction } from '../db/database';
import { containing, pageOf, type Page } from '../db/pagination';
import { assert, ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../errors';
import { euros, formatFrench, toApiAmount } from '../money';
import { formatFrenchDay, todayInParis } from '../time';
import { fpciMessages } from './messages';
import { assertUnitFund } from './rules';
import type { InvestorChange, NewInvestor, VehicleRules } from './schema';

/**
 * The fund's unit holders: a legal person (by SIREN) or an individual (by an
 * identity document), with its bank details, its KYC (status, date, expiry)
 * and the route by which it may hold FPCI units (RG AMF 423-49).
 */
export type EligibilityRoute =
  'professional-investor' | 'ticket-100k' | 'ticket-30k-criterion' | 'investment-service-provider';

type InvestorRow = {
  id: string;
  fund_id: string;
  kind: 'legal-person' | 'individual';
  name: string;
  siren: string | null;
  identity_document: string | null;
  address_line: string | null;
  postal_code: string | null;
  city: string | null;
  country: string;
  email: string | null;
  iban: string | null;
  bic: string | null;
  kyc_status: 'pending' | 'verified' | 'refused';
  kyc_checked_on: string | null;
  kyc_expires_on: string | null;
  eligibility_route: EligibilityRoute | null;
  eligibility_details: string | null;
  eligibility_recorded_on: string | null;
};

export type Investor = ReturnType<typeof investorView>;

const investorView = (row: InvestorRow, commitmentMinor: bigint) => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  siren: row.siren,
  identityDocument: row.identity_document,
  addressLine: row.address_line,
  postalCode: row.postal_code,
  city: row.city,
  country: row.country,
  email: row.email,
  iban: row.iban,
  bic: row.bic,
  kyc: { status: row.kyc_status, checkedOn: row.kyc_checked_on, expiresOn: row.kyc_expires_on },
  eligibility: row.eligibility_route
    ? { route: row.eligibility_route, details: row.eligibility_details, recordedOn: row.eligibility_recorded_on! }
    : null,
  commitment: toApiAmount(euros(commitmentMinor)),
});

/** What the investor has committed in the fund's closed closings. */
export async function commitmentsOf(
  db: Database | Transaction,
  investorIds: readonly string[],
): Promise<Map<string, bigint>> {
  const rows = await db('subscriptions')
    .join('closings', 'closings.id', 'subscriptions.closing_id')
    .whereIn('subscriptions.investor_id', investorIds)
    .whereNotNull('closings.closed_on')
    .groupBy('subscriptions.investor_id')
    .select<{ investor_id: string; total: bigint }[]>(
      'subscriptions.investor_id',
      db.raw('sum(subscriptions.commitment_minor)::bigint as total'),
    );
  return new Map(rows.map((row) => [row.investor_id, row.total]));
}

/** What all the fund's investors have committed in its closed closings. */
export async function fundCommitmentMinor(db: Database | Transaction, fundId: string): Promise<bigint> {
  const row = await db('subscriptions')
    .join('closings', 'closings.id', 'subscriptions.closing_id')
    .where('closings.fund_id', fundId)
    .whereNotNull('closings.closed_on')
    .first<{ total: string | null }>(db.raw('sum(subscriptions.commitment_minor)::bigint as total'));
  return BigInt(row?.total ?? 0);
}

function assertIdentified(investor: Pick<NewInvestor, 'kind' | 'siren' | 'identityDocument'>) {
  if (investor.kind === 'legal-person' && !investor.siren)
    throw new ValidationError([{ path: ['siren'], message: fpciMessages.legalPersonNeedsSiren }]);
  if (investor.kind === 'individual' && !investor.identityDocument)
    throw new ValidationError([{ path: ['identityDocument'], message: fpciMessages.individualNeedsIdentity }]);
}

function kycColumns(kyc: InvestorChange['kyc']) {
  if (!kyc) return {};
  if (kyc.status === 'verified' && (!kyc.checkedOn || !kyc.expiresOn || kyc.expiresOn <= kyc.checkedOn))
    throw new ValidationError([{ path: ['kyc', 'expiresOn'], message: fpciMessages.kycDates }]);
  return { kyc_status: kyc.status, kyc_checked_on: kyc.checkedOn, kyc_expires_on: kyc.expiresOn };
}

function eligibilityColumns(eligibility: InvestorChange['eligibility']) {
  if (eligibility === undefined) return {};
  if (eligibility === null)
    return { eligibility_route: null, eligibility_details: null, eligibility_recorded_on: null };
  if (
    (eligibility.route === 'ticket-30k-criterion' || eligibility.route === 'investment-service-provider') &&
    !eligibility.details
  )
    throw new ValidationError([{ path: ['eligibility', 'details'], message: fpciMessages.eligibilityDetails }]);
  return {
    eligibility_route: eligibility.route,
    eligibility_details: eligibility.details,
    eligibility_recorded_on: eligibility.recordedOn,
  };
}

export async function createInvestor(trx: Transaction, fundId: string, input: NewInvestor): Promise<Investor> {
  await assertUnitFund(trx, fundId);
  assertIdentified(input);
  if (input.siren && (await trx('investors').where({ fund_id: fundId, siren: input.siren }).first('id')))
    throw new ConflictError(fpciMessages.sirenTaken);
  const [row] = await trx('investors')
    .insert({
      fund_id: fundId,
      kind: input.kind,
      name: input.name,
      siren: input.siren,
      identity_document: input.identityDocument,
      address_line: input.addressLine,
      postal_code: input.postalCode,
      city: input.city,
      country: input.country,
      email: input.email,
      iban: input.iban,
      bic: input.bic,
      ...kycColumns(input.kyc),
      ...eligibilityColumns(input.eligibility),
    })
    .returning<InvestorRow[]>('*');
  return investorView(row!, 0n);
}

/** Its KYC or its eligibility recorded anew (the earlier ones are in the fund's history of changes). */
export async function changeInvestor(
  trx: Transaction,
  fundId: string,
  investorId: string,
  change: InvestorChange,
): Promise<Investor> {
  const [row] = await trx('investors')
    .where({ id: investorId, fund_id: fundId })
    .update({ ...kycColumns(change.kyc), ...eligibilityColumns(change.eligibility), updated_at: trx.fn.now() })
    .returning<InvestorRow[]>('*');
  if (!row) throw new NotFoundError(fpciMessages.investorMissing);
  return investorView(row, (await commitmentsOf(trx, [row.id])).get(row.id) ?? 0n);
}

export async function investorRow(db: Database | Transaction, fundId: string, investorId: string) {
  const row = await db('investors').where({ id: investorId, fund_id: fundId }).first<InvestorRow | undefined>();
  if (!row) throw new NotFoundError(fpciMessages.investorMissing);
  return row;
}

/** Investors' names, by id: for another module listing what concerns them (the treasury's payments). */
export async function investorNames(db: Database | Transaction, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await db<{ id: string; name: string }>('investors').whereIn('id', ids).select('id', 'name');
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Whom the treasury pays for an investor, on which bank details (checked when recorded: a SEPA IBAN). */
export async function investorPayee(
  db: Database | Transaction,
  investorId: string,
): Promise<{ name: string; iban: string | null; bic: string | null }> {
  const row = await db('investors')
    .where('id', investorId)
    .first<Pick<InvestorRow, 'name' | 'iban' | 'bic'>>('name', 'iban', 'bic');
  assert(row, `the investor ${investorId} of a payment`);
  return row;
}

export async function getInvestor(db: Database, fundId: string, investorId: string): Promise<Investor> {
  const row = await investorRow(db, fundId, investorId);
  return investorView(row, (await commitmentsOf(db, [row.id])).get(row.id) ?? 0n);
}

export async function listInvestors(db: Database, fundId: string, filter: Page & { search?: string | undefined }) {
  await assertUnitFund(db, fundId);
  const query = db('investors').where('fund_id', fundId);
  if (filter.search) query.whereILike('name', containing(filter.search));
  const { rows, ...page } = await pageOf<InvestorRow>(query, filter, (read) =>
    read.orderBy([{ column: 'name' }, { column: 'id' }]).select('*'),
  );
  const commitments = await commitmentsOf(
    db,
    rows.map((row) => row.id),
  );
  return { ...page, investors: rows.map((row) => investorView(row, commitments.get(row.id) ?? 0n)) };
}

const ticket100kMinor = 10_000_000n;
const ticket30kMinor = 3_000_000n;

/**
 * Whether the investor may subscribe this much more (RG AMF 423-49 for a fund
 * of professional investors), its KYC valid on the day: the refusal, quoted, or
 * nothing. `totalMinor` is its commitment with this subscription.
 */
export function subscriptionRefusal(
  rules: VehicleRules,
  investor: Pick<InvestorRow, 'kyc_status' | 'kyc_expires_on' | 'eligibility_route'>,
  totalMinor: bigint,
  day: string = todayInParis(),
): RuleViolationError | undefined {
  if (investor.kyc_status !== 'verified')
    return new RuleViolationError('fpci/kyc-not-verified', fpciMessages.kycNotVerified);
  if (investor.kyc_expires_on! <= day)
    return new RuleViolationError(
      'fpci/kyc-expired',
      fpciMessages.kycExpired(formatFrenchDay(investor.kyc_expires_on!)),
    );
  if (rules.investorEligibility !== 'professional') return undefined;
  const shown = formatFrench(euros(totalMinor));
  switch (investor.eligibility_route) {
    case 'professional-investor':
    case 'investment-service-provider':
      return undefined;
    case 'ticket-100k':
      return totalMinor >= ticket100kMinor
        ? undefined
        : new RuleViolationError('fpci/not-eligible', fpciMessages.ticket100kShort(shown));
    case 'ticket-30k-criterion':
      return totalMinor >= ticket30kMinor
        ? undefined
        : new RuleViolationError('fpci/not-eligible', fpciMessages.ticket30kShort(shown));
    default:
      return new RuleViolationError('fpci/not-eligible', fpciMessages.notEligible(shown));
  }
}

/** The units each investor holds per class, in the closed closings. */
export async function unitsHeld(db: Database | Transaction, fundId: string) {
  return db('subscriptions')
    .join('closings', 'closings.id', 'subscriptions.closing_id')
    .where('closings.fund_id', fundId)
    .whereNotNull('closings.closed_on')
    .groupBy('subscriptions.investor_id', 'subscriptions.class_code')
    .orderBy(['subscriptions.investor_id', 'subscriptions.class_code'])
    .select<{ investor_id: string; class_code: string; units: string }[]>(
      'subscriptions.investor_id',
      'subscriptions.class_code',
      db.raw('sum(subscriptions.units)::text as units'),
    );
}

/** Whether someone signs in for an investor (its own statements and notices are theirs to read). */
export async function isInvestorContact(db: Database | Transaction, investorId: string, userId: string) {
  const contact = await db('investor_contacts')
    .where({ investor_id: investorId, user_id: userId })
    .first<{ user_id: string } | undefined>('user_id');
  return contact !== undefined;
}

/** The investors someone signs in for, in every fund. */
export async function investorsOfContact(db: Database | Transaction, userId: string) {
  return db('investor_contacts as c')
    .join('investors as i', 'i.id', 'c.investor_id')
    .where('c.user_id', userId)
    .orderBy('i.name')
    .select<{ id: string; name: string; fund_id: string }[]>('i.id', 'i.name', 'i.fund_id');
}

/** Who signs in for each of these investors: for another module telling them (their statements). */
export async function contactsOfInvestors(db: Database | Transaction, investorIds: readonly string[]) {
  return db('investor_contacts')
    .whereIn('investor_id', investorIds)
    .select<{ investor_id: string; user_id: string }[]>('investor_id', 'user_id');
}
