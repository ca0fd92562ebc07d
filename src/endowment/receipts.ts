import { listFunds } from '../ledger/queries';
import { randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { Database, Transaction } from '../db/database';
import { beginningWith, pageOf, type Page } from '../db/pagination';
import { documentIdsByKey, documentRequest, type DocumentKind } from '../documents/service';
import { isAdmin, scopesHeld, type Principal } from '../identity/roles';
import { ConflictError, NotFoundError, RuleViolationError } from '../errors';
import { enqueueAll } from '../jobs/outbox';
import { euros, formatFrench, rate, toApiAmount } from '../money';
import { formatFrenchDate, formatFrenchDay, todayInParis } from '../time';
import { taxReceipt, type TaxReceiptContent } from '../../templates/tax-receipt';
import { amountInFrenchWords } from './words';
import { endowmentMessages } from './messages';

/**
 * Tax receipts (RULES.md §1): issued only for gifts received, numbered without
 * gap per fund and fiscal year, their content frozen at issue, never deleted —
 * a cancellation keeps the number and issues a replacement.
 */
const methodLabels: Record<string, string> = {
  transfer: 'virement, prélèvement, carte bancaire',
  card: 'virement, prélèvement, carte bancaire',
  'direct-debit': 'virement, prélèvement, carte bancaire',
  cheque: 'chèque',
  cash: 'remise d’espèces',
};

type DonorRow = {
  id: string;
  kind: 'individual' | 'company';
  last_name: string | null;
  first_names: string | null;
  company_name: string | null;
  siren: string | null;
  address_line: string;
  postal_code: string;
  city: string;
  country: string;
};

export const donorName = (donor: DonorRow): string =>
  donor.kind === 'company' ? donor.company_name! : `${donor.last_name!.toUpperCase()} ${donor.first_names}`;
const donorAddress = (donor: DonorRow) =>
  `${donor.address_line}, ${donor.postal_code} ${donor.city}${donor.country === 'France' ? '' : `, ${donor.country}`}`;

/**
 * Reserves `count` consecutive numbers of the fund's series for the year, held by
 * this transaction until it ends (the series has no gap): the first of them.
 */
async function reserveNumbers(trx: Transaction, fundId: string, receiptYear: number, count: number): Promise<number> {
  const { rows } = await trx.raw(
    `insert into tax_receipt_counters (fund_id, fiscal_year, last_number) values (?, ?, ?)
     on conflict (fund_id, fiscal_year) do update set last_number = tax_receipt_counters.last_number + excluded.last_number
     returning last_number`,
    [fundId, receiptYear, count],
  );
  return rows[0].last_number - count + 1;
}

/** The key a receipt's PDF is stored under: one document per receipt. */
export const receiptDocumentKey = (receiptId: string) => `tax-receipt:${receiptId}`;

export const receiptReference = (receiptYear: number, number: number) =>
  `${receiptYear}-${String(number).padStart(6, '0')}`;

type ReceiptInput = {
  donationIds: string[];
  kind: 'per-gift' | 'annual';
  replaces?: { id: string; reference: string };
};
type PreparedReceipt = {
  id: string;
  fundId: string;
  receiptYear: number;
  donorId: string;
  kind: ReceiptInput['kind'];
  amountMinor: bigint;
  periodFrom: string;
  periodTo: string;
  donationIds: string[];
  replacesId: string | null;
  content: Omit<TaxReceiptContent, 'reference'>;
};

/**
 * Issues one receipt for gifts of one donor: a single gift, or a year's gifts
 * for an annual summary. Refuses gifts already covered by a valid receipt.
 */
export async function issueReceipt(trx: Transaction, input: ReceiptInput): Promise<string> {
  const [receiptId] = await storeReceipts(trx, await prepareReceipts(trx, [input]));
  return receiptId!;
}

/**
 * Issues one receipt per gift for many gifts at once (an import's batch): the
 * receipts are prepared with a few queries for all, then their numbers reserved
 * in one statement and they are stored together, so the fund's counter is held
 * for a few statements. One gift refused refuses them all.
 */
export async function issuePerGiftReceipts(trx: Transaction, donationIds: string[]): Promise<string[]> {
  return storeReceipts(
    trx,
    await prepareReceipts(
      trx,
      donationIds.map((donationId) => ({ donationIds: [donationId], kind: 'per-gift' as const })),
    ),
  );
}

type ReductionRow = {
  donor_kind: string;
  valid_from: string;
  valid_to: string | null;
  article: string;
  rate: string;
  ceiling: string;
};

/** The tax reduction in force for a kind of donor on the date of the gift (CGI art. 200 and 238 bis). */
function reductionOn(reductions: ReductionRow[], donorKind: string, date: string): ReductionRow {
  const reduction = reductions.find(
    (row) => row.donor_kind === donorKind && row.valid_from <= date && (row.valid_to === null || row.valid_to > date),
  );
  if (!reduction)
    throw new RuleViolationError(
      'endowment/no-tax-reduction-rate',
      endowmentMessages.noTaxReductionRate(formatFrenchDay(date)),
    );
  return reduction;
}

/** Everything each receipt says but its number, checked: read, for all of them at once, before the counter is taken. */
async function prepareReceipts(trx: Transaction, inputs: ReceiptInput[]): Promise<PreparedReceipt[]> {
  const allIds = inputs.flatMap((input) => input.donationIds);
  const donationRows = await trx('donations')
    .whereIn('id', allIds)
    .orderBy('id')
    .forUpdate()
    .select('id', 'fund_id', 'donor_id', 'amount_minor', 'received_on', 'method', 'cancelled_at');
  const donationsById = new Map(donationRows.map((row) => [row.id as string, row]));
  const coveredRows = await trx('tax_receipt_donations')
    .join('tax_receipts', 'tax_receipts.id', 'tax_receipt_donations.receipt_id')
    .whereIn('donation_id', allIds)
    .whereNull('tax_receipts.cancelled_at')
    .select('donation_id', 'tax_receipts.reference');
  const coveredBy = new Map(coveredRows.map((row) => [row.donation_id as string, row.reference as string]));
  const donorsById = new Map<string, DonorRow>(
    (await trx('donors').whereIn('id', [...new Set(donationRows.map((row) => row.donor_id))])).map((row) => [
      row.id,
      row,
    ]),
  );
  const fundIds = [...new Set(donationRows.map((row) => row.fund_id as string))];
  const funds = new Map((await listFunds(trx, fundIds)).map((fund) => [fund.id, fund]));
  const settingsByFund = new Map(
    (await trx('endowment_settings').whereIn('fund_id', fundIds)).map((row) => [
      row.fund_id as string,
      { ...row, name: funds.get(row.fund_id)?.name, siren: funds.get(row.fund_id)?.siren },
    ]),
  );
  const reductions = await trx('tax_reduction_rates')
    .whereIn('donor_kind', [...new Set([...donorsById.values()].map((donor) => donor.kind))])
    .orderBy('valid_from', 'desc');
  const today = todayInParis();
  const issuedOn = formatFrenchDate(new Date());

  return inputs.map((input) => {
    const donations = input.donationIds.map((id) => donationsById.get(id));
    if (donations.length === 0 || donations.some((donation) => !donation))
      throw new NotFoundError(endowmentMessages.donationNotFound);
    if (donations.some((donation) => donation.cancelled_at))
      throw new RuleViolationError('endowment/gift-cancelled', endowmentMessages.cancelledGiftNoReceipt);
    const [first] = donations;
    if (donations.some((donation) => donation.donor_id !== first.donor_id))
      throw new RuleViolationError('endowment/one-donor-per-receipt', endowmentMessages.receiptOneDonor);
    const covered = input.donationIds.map((id) => coveredBy.get(id)).find(Boolean);
    if (covered) throw new ConflictError(endowmentMessages.giftAlreadyReceipted(covered));
    const dates: string[] = donations.map((donation) => donation.received_on).sort();
    if (dates.at(-1)! > today)
      throw new RuleViolationError('endowment/not-received', endowmentMessages.receiptOnlyForReceivedGift);
    const receiptYear = Number(dates[0]!.slice(0, 4));
    if (dates.some((date) => Number(date.slice(0, 4)) !== receiptYear))
      throw new RuleViolationError('endowment/one-year-per-receipt', endowmentMessages.receiptOneYear);
    const donor = donorsById.get(first.donor_id)!;
    const settings = settingsByFund.get(first.fund_id);
    if (!settings) throw new RuleViolationError('endowment/settings-missing', endowmentMessages.receiptIdentityMissing);
    const reduction = reductionOn(reductions, donor.kind, dates[0]!);
    const amountMinor = donations.reduce((total, donation) => total + BigInt(donation.amount_minor), 0n);
    return {
      id: randomUUID(),
      fundId: first.fund_id,
      receiptYear,
      donorId: donor.id,
      kind: input.kind,
      amountMinor,
      periodFrom: dates[0]!,
      periodTo: dates.at(-1)!,
      donationIds: input.donationIds,
      replacesId: input.replaces?.id ?? null,
      content: {
        cerfa: donor.kind === 'company' ? '16216*01' : '11580*05',
        beneficiary: {
          name: settings.name,
          siren: settings.siren,
          address: settings.address,
          purpose: settings.purpose,
          organisationType: settings.organisation_type,
        },
        donor: { kind: donor.kind, name: donorName(donor), siren: donor.siren, address: donorAddress(donor) },
        amountMinor: String(amountMinor),
        amountWords: amountInFrenchWords(amountMinor),
        paymentDate:
          input.kind === 'annual'
            ? `du ${formatFrenchDay(`${receiptYear}-01-01`)} au ${formatFrenchDay(`${receiptYear}-12-31`)}`
            : `le ${formatFrenchDay(dates[0]!)}`,
        article: reduction.article,
        rate: `${rate(reduction.rate).mul(100).toDecimalPlaces(2).toString().replace('.', ',')} %`,
        ceiling: reduction.ceiling,
        form: 'Déclaration de don manuel',
        nature: 'Numéraire',
        methods: [...new Set(donations.map((donation) => methodLabels[donation.method]!))],
        signatory: { name: settings.signatory_name, capacity: settings.signatory_capacity },
        issuedOn,
        replaces: input.replaces?.reference ?? null,
      },
    };
  });
}

/**
 * Numbers and stores prepared receipts. Their rendering and e-mail are asked for
 * first (the outbox rows name the receipt's id, known already), so that from the
 * moment the numbers are reserved to the commit only the receipts are written.
 */
async function storeReceipts(trx: Transaction, receipts: PreparedReceipt[]): Promise<string[]> {
  if (receipts.length === 0) return [];
  await enqueueAll(
    trx,
    receipts.flatMap((receipt) => [
      documentRequest('tax-receipt', { type: 'tax-receipt', id: receipt.id }, receiptDocumentKey(receipt.id)),
      { jobName: 'receipt.email', payload: { receiptId: receipt.id }, dedupeKey: `receipt-email:${receipt.id}` },
    ]),
  );
  const series = new Map<string, PreparedReceipt[]>();
  for (const receipt of receipts)
    series.set(`${receipt.fundId}:${receipt.receiptYear}`, [
      ...(series.get(`${receipt.fundId}:${receipt.receiptYear}`) ?? []),
      receipt,
    ]);
  const rows: Record<string, unknown>[] = [];
  for (const members of series.values()) {
    const firstNumber = await reserveNumbers(trx, members[0]!.fundId, members[0]!.receiptYear, members.length);
    members.forEach((receipt, index) => {
      const number = firstNumber + index;
      const reference = receiptReference(receipt.receiptYear, number);
      const content: TaxReceiptContent = { reference, ...receipt.content };
      rows.push({
        id: receipt.id,
        fund_id: receipt.fundId,
        fiscal_year: receipt.receiptYear,
        number,
        reference,
        donor_id: receipt.donorId,
        kind: receipt.kind,
        amount_minor: receipt.amountMinor,
        period_from: receipt.periodFrom,
        period_to: receipt.periodTo,
        content: JSON.stringify(content),
        replaces_id: receipt.replacesId,
      });
    });
  }
  await trx('tax_receipts').insert(rows);
  await trx('tax_receipt_donations').insert(
    receipts.flatMap((receipt) =>
      receipt.donationIds.map((donationId) => ({ receipt_id: receipt.id, donation_id: donationId })),
    ),
  );
  return receipts.map((receipt) => receipt.id);
}

/** Cancels a receipt (its number stays, marked cancelled) and issues its replacement, with the donor corrected if need be. */
export async function cancelAndReplace(
  trx: Transaction,
  fundId: string,
  receiptId: string,
  reason: string,
  donorCorrection: Record<string, string> | undefined,
): Promise<string> {
  const receipt = await trx('tax_receipts').where({ id: receiptId, fund_id: fundId }).forUpdate().first();
  if (!receipt) throw new NotFoundError(endowmentMessages.receiptMissing);
  if (receipt.cancelled_at) throw new ConflictError(endowmentMessages.receiptAlreadyCancelled);
  await trx('tax_receipts').where('id', receiptId).update({ cancelled_at: trx.fn.now(), cancel_reason: reason });
  if (donorCorrection && Object.keys(donorCorrection).length > 0) {
    const columns: Record<string, string> = {
      lastName: 'last_name',
      firstNames: 'first_names',
      companyName: 'company_name',
      addressLine: 'address_line',
      postalCode: 'postal_code',
      city: 'city',
      country: 'country',
    };
    await trx('donors')
      .where('id', receipt.donor_id)
      .update(Object.fromEntries(Object.entries(donorCorrection).map(([key, value]) => [columns[key], value])));
  }
  const donationIds = await trx('tax_receipt_donations').where('receipt_id', receiptId).pluck('donation_id');
  return issueReceipt(trx, {
    donationIds,
    kind: receipt.kind,
    replaces: { id: receiptId, reference: receipt.reference },
  });
}

/**
 * The valid receipts of a gift cancelled as recorded in error are cancelled
 * (their numbers stay in the register, marked cancelled); a summary receipt that
 * also covered other gifts is replaced by one for those gifts alone.
 */
export async function cancelReceiptsOfGift(
  trx: Transaction,
  donationId: string,
  reason: string,
): Promise<{ cancelled: string[]; replacements: string[] }> {
  const receipts = await trx('tax_receipts')
    .join('tax_receipt_donations', 'tax_receipt_donations.receipt_id', 'tax_receipts.id')
    .where('tax_receipt_donations.donation_id', donationId)
    .whereNull('tax_receipts.cancelled_at')
    .forUpdate()
    .select('tax_receipts.id', 'tax_receipts.kind', 'tax_receipts.reference');
  const replacements: string[] = [];
  for (const receipt of receipts) {
    await trx('tax_receipts').where('id', receipt.id).update({ cancelled_at: trx.fn.now(), cancel_reason: reason });
    const others = await trx('tax_receipt_donations')
      .where('receipt_id', receipt.id)
      .whereNot('donation_id', donationId)
      .pluck('donation_id');
    if (others.length > 0)
      replacements.push(
        await issueReceipt(trx, {
          donationIds: others,
          kind: receipt.kind,
          replaces: { id: receipt.id, reference: receipt.reference },
        }),
      );
  }
  return { cancelled: receipts.map((receipt) => receipt.id), replacements };
}

/** Annual summary receipts: one per donor who asked for it, over the year's gifts not yet receipted. */
export async function issueAnnualReceipts(trx: Transaction, fundId: string, year: number): Promise<string[]> {
  return issueAnnualReceiptsOf(trx, annualGiftsDue(trx, fundId, year));
}

/**
 * The year's gifts of the donors who chose an annual receipt, still without a
 * valid receipt, by donor then date; `donorsMax` bounds how many donors.
 */
export function annualGiftsDue(db: Database | Transaction, fundId: string, year: number, donorsMax?: number) {
  const due = db('donations')
    .join('donors', 'donors.id', 'donations.donor_id')
    .where({ 'donations.fund_id': fundId, 'donors.receipt_mode': 'annual' })
    .whereNull('donations.cancelled_at')
    .whereBetween('received_on', [`${year}-01-01`, `${year}-12-31`])
    .whereNotExists(
      db('tax_receipt_donations')
        .join('tax_receipts', 'tax_receipts.id', 'tax_receipt_donations.receipt_id')
        .whereRaw('tax_receipt_donations.donation_id = donations.id')
        .whereNull('tax_receipts.cancelled_at'),
    );
  if (donorsMax !== undefined)
    due.whereIn(
      'donations.donor_id',
      due.clone().distinct('donations.donor_id').orderBy('donations.donor_id').limit(donorsMax),
    );
  return due.orderBy(['donations.donor_id', 'donations.received_on']).select('donations.id', 'donations.donor_id');
}

/** One annual receipt per donor, for these gifts. */
export async function issueAnnualReceiptsOf(
  trx: Transaction,
  gifts: PromiseLike<{ id: string; donor_id: string }[]>,
): Promise<string[]> {
  const byDonor = new Map<string, string[]>();
  for (const donation of await gifts)
    byDonor.set(donation.donor_id, [...(byDonor.get(donation.donor_id) ?? []), donation.id]);
  const issued: string[] = [];
  for (const donationIds of byDonor.values()) issued.push(await issueReceipt(trx, { donationIds, kind: 'annual' }));
  return issued;
}

export type ReceiptView = {
  id: string;
  reference: string;
  kind: string;
  amount: string;
  periodFrom: string;
  periodTo: string;
  issuedAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  replacesId: string | null;
  documentId: string | null;
};

export type ReceiptFilter = Page & {
  fundId: string;
  donorId?: string | undefined;
  year?: number | undefined;
  kind?: 'per-gift' | 'annual' | undefined;
  state?: 'valid' | 'cancelled' | undefined;
  reference?: string | undefined;
};

/** The fund's receipts, by number, paginated: by year, donor, kind, state (valid or cancelled), or a reference's beginning. */
export async function listReceipts(db: Database, filter: ReceiptFilter) {
  const query = db('tax_receipts').where('tax_receipts.fund_id', filter.fundId);
  if (filter.donorId) query.where('tax_receipts.donor_id', filter.donorId);
  if (filter.year) query.where('tax_receipts.fiscal_year', filter.year);
  if (filter.kind) query.where('tax_receipts.kind', filter.kind);
  if (filter.state)
    query.where((state) => {
      if (filter.state === 'valid') state.whereNull('tax_receipts.cancelled_at');
      else state.whereNotNull('tax_receipts.cancelled_at');
    });
  if (filter.reference) query.where('tax_receipts.reference', 'like', beginningWith(filter.reference));
  const { rows, ...page } = await pageOf<Record<string, any>>(query, filter, (read) =>
    read
      .orderBy([
        { column: 'fiscal_year', order: 'desc' },
        { column: 'number', order: 'desc' },
      ])
      .select('tax_receipts.*'),
  );
  const documents = await documentIdsByKey(
    db,
    rows.map((row) => receiptDocumentKey(row.id)),
  );
  return {
    ...page,
    receipts: rows.map((row) =>
      receiptView({ ...row, document_id: documents.get(receiptDocumentKey(row.id)) ?? null }),
    ),
  };
}

const receiptView = (row: Record<string, any>): ReceiptView => ({
  id: row.id,
  reference: row.reference,
  kind: row.kind,
  amount: toApiAmount(euros(BigInt(row.amount_minor))),
  periodFrom: row.period_from,
  periodTo: row.period_to,
  issuedAt: row.issued_at,
  cancelledAt: row.cancelled_at,
  cancelReason: row.cancel_reason,
  replacesId: row.replaces_id,
  documentId: row.document_id,
});

/** The year's register (CGI art. 222 bis): every receipt issued, cancelled ones included, with the totals. */
export async function receiptRegisterCsv(db: Database, fundId: string, year: number): Promise<string> {
  const rows = await db('tax_receipts')
    .where({ fund_id: fundId, fiscal_year: year })
    .orderBy('number')
    .select('reference', 'kind', 'content', 'amount_minor', 'period_from', 'period_to', 'issued_at', 'cancelled_at');
  const valid = rows.filter((row) => !row.cancelled_at);
  const total = valid.reduce((sum, row) => sum + BigInt(row.amount_minor), 0n);
  const lines = rows.map((row) => [
    row.reference,
    row.kind === 'annual' ? 'récapitulatif annuel' : 'don',
    row.content.donor.name,
    row.content.donor.kind === 'company' ? 'entreprise' : 'particulier',
    row.content.article,
    toApiAmount(euros(BigInt(row.amount_minor))).replace('.', ','),
    row.period_from,
    row.period_to,
    todayInParis(row.issued_at),
    row.cancelled_at ? 'annulé' : 'valide',
  ]);
  return stringify(
    [
      ['numero', 'type', 'donateur', 'categorie', 'article_cgi', 'montant', 'du', 'au', 'emis_le', 'statut'],
      ...lines,
      [],
      [
        'total_dons_recus_par_recus_valides',
        formatFrench(euros(total)).replace(/\u00a0/g, ' '),
        'nombre_de_recus_valides',
        String(valid.length),
      ],
    ],
    // A BOM so that spreadsheets read the accents; a cell starting with = + - @ is escaped, never run as a formula.
    { delimiter: ';', record_delimiter: 'windows', bom: true, escape_formulas: true },
  );
}

export const taxReceiptDocument: DocumentKind = {
  kind: 'tax-receipt',
  build: async (db, receiptId) => {
    const receipt = await db('tax_receipts').where('id', receiptId).first('reference', 'content');
    if (!receipt) throw new Error(`No receipt ${receiptId}`);
    return { fileName: `recu-fiscal-${receipt.reference}.pdf`, definition: taxReceipt(receipt.content) };
  },
};

/** A receipt is seen by its donor (logged in) and by the fund's treasurers. */
export async function assertReceiptVisible(db: Database, receiptId: string, principal: Principal): Promise<void> {
  const receipt = await db('tax_receipts')
    .join('donors', 'donors.id', 'tax_receipts.donor_id')
    .where('tax_receipts.id', receiptId)
    .first('tax_receipts.fund_id', 'donors.user_id');
  const allowed =
    receipt &&
    (isAdmin(principal) ||
      receipt.user_id === principal.userId ||
      scopesHeld(principal, ['treasurer'], 'fund').includes(receipt.fund_id));
  if (!allowed) throw new NotFoundError(endowmentMessages.receiptMissing);
}

/** One receipt of the fund, with the donor it names and the receipt that replaced it, if any. */
export async function receiptDetails(db: Database, fundId: string, receiptId: string) {
  const row = await db('tax_receipts').where({ id: receiptId, fund_id: fundId }).first();
  if (!row) throw new NotFoundError(endowmentMessages.receiptMissing);
  const documents = await documentIdsByKey(db, [receiptDocumentKey(receiptId)]);
  const [replacement, replaced] = await Promise.all([
    db('tax_receipts').where('replaces_id', receiptId).first('id', 'reference'),
    row.replaces_id ? db('tax_receipts').where('id', row.replaces_id).first('id', 'reference') : undefined,
  ]);
  return {
    ...receiptView({ ...row, document_id: documents.get(receiptDocumentKey(receiptId)) ?? null }),
    donorId: row.donor_id as string,
    donorName: row.content.donor.name as string,
    replacedBy: (replacement as { id: string; reference: string } | undefined) ?? null,
    replaces: (replaced as { id: string; reference: string } | undefined) ?? null,
  };
}
