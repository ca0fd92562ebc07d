import { userIdByEmail } from '../identity/service';
import { randomUUID } from 'node:crypto';
import { bankAccountCode, cashAccountCode } from '../ledger/charts';
import type { Database, Transaction } from '../db/database';
import { containing, pageOf, pageSizeMax, type Page } from '../db/pagination';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { assertEndowmentFund } from './fund';
import { postEntry, reverseEntry, entryLabelLengthMax } from '../ledger/entries';
import { euros, formatFrench, toApiAmount } from '../money';
import { todayInParis } from '../time';
import { endowmentRules } from './rules';
import { cancelReceiptsOfGift, donorName, issueReceipt, listReceipts } from './receipts';
import type { DonationInput, NewDonor } from './schema';
import { endowmentMessages } from './messages';

/**
 * Donors and their gifts. A gift is recorded when the money is received: one
 * balanced entry on the fund's books (bank or cash against gifts — "dons
 * manuels" from individuals, "mécénat" from companies) and, for a donor who
 * wants one per gift, its receipt — all in one transaction.
 */
export async function createDonor(trx: Transaction, fundId: string, donor: NewDonor): Promise<string> {
  await assertEndowmentFund(trx, fundId);
  const email = donor.email?.toLowerCase() ?? null;
  // A donor who already has an account (a donor role) sees their gifts when they log in.
  const userId = email ? await userIdByEmail(trx, email, { role: 'donor' }) : undefined;
  const [row] = await trx('donors')
    .insert({
      fund_id: fundId,
      kind: donor.kind,
      last_name: donor.kind === 'individual' ? donor.lastName : null,
      first_names: donor.kind === 'individual' ? donor.firstNames : null,
      company_name: donor.kind === 'company' ? donor.companyName : null,
      siren: donor.kind === 'company' ? donor.siren : null,
      address_line: donor.addressLine,
      postal_code: donor.postalCode,
      city: donor.city,
      country: donor.country,
      email,
      user_id: userId ?? null,
      receipt_mode: donor.receiptMode,
      consent_email: donor.consentEmail,
      consent_newsletter: donor.consentNewsletter,
    })
    .returning('id');
  return row.id;
}

const debitAccountOf = (method: DonationInput['method']) => (method === 'cash' ? cashAccountCode : bankAccountCode);

/**
 * `receipt: 'deferred'` records the gift and says whether its per-gift receipt is
 * due, without issuing it: an import issues a batch's receipts together at its end,
 * so that the receipt counter is held for moments, not for the whole batch.
 */
export async function recordDonation(
  trx: Transaction,
  fundId: string,
  donation: DonationInput,
  actor: { userId: string | null },
  idempotencyKey?: string,
  options: { receipt: 'now' | 'deferred' } = { receipt: 'now' },
): Promise<{ donationId: string; receiptId: string | null; receiptDue: boolean; created: boolean }> {
  await assertEndowmentFund(trx, fundId);
  if (idempotencyKey) {
    // Retries sharing a key wait for each other, then find the first one's gift.
    await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`donation:${fundId}:${idempotencyKey}`]);
    const existing = await trx('donations').where({ fund_id: fundId, idempotency_key: idempotencyKey }).first();
    if (existing) {
      if (!isSameGift(existing, donation))
        throw new ConflictError(endowmentMessages.idempotencyKeyReused, { donationId: existing.id });
      return {
        donationId: existing.id,
        receiptId: await receiptOf(trx, existing.id),
        receiptDue: false,
        created: false,
      };
    }
  }
  await assertWithinGiftMaximum(trx, fundId, donation.amount);
  const donor = await trx('donors').where({ id: donation.donorId, fund_id: fundId }).first();
  if (!donor) throw new ValidationError([{ path: ['donorId'], message: endowmentMessages.donorUnknown }]);
  if (donation.receivedOn > todayInParis())
    throw new ValidationError([{ path: ['receivedOn'], message: endowmentMessages.giftInFuture }]);
  if (donation.poolId && !(await trx('pools').where({ id: donation.poolId, fund_id: fundId }).first('id'))) {
    throw new ValidationError([{ path: ['poolId'], message: endowmentMessages.poolUnknown }]);
  }
  const donationId = randomUUID();
  const { entry } = await postEntry(
    trx,
    {
      fundId,
      journalCode: 'DONS',
      accountingDate: donation.receivedOn,
      label: `${donor.kind === 'company' ? 'Mécénat' : 'Don'} — ${donorName(donor)}`.slice(0, entryLabelLengthMax),
      sourceType: 'donation',
      sourceId: donationId,
      idempotencyKey: idempotencyKey ? `donation:${idempotencyKey}` : `donation:${donationId}`,
      lines: [
        { accountCode: debitAccountOf(donation.method), amountMinor: donation.amount },
        { accountCode: donor.kind === 'company' ? '7542' : '7541', amountMinor: -donation.amount },
      ],
    },
    actor,
  );
  await trx('donations').insert({
    id: donationId,
    fund_id: fundId,
    donor_id: donor.id,
    amount_minor: donation.amount,
    received_on: donation.receivedOn,
    method: donation.method,
    recurring: donation.recurring,
    pool_id: donation.poolId ?? null,
    external_ref: donation.externalRef ?? null,
    idempotency_key: idempotencyKey ?? null,
    entry_id: entry.id,
    recorded_by: actor.userId,
  });
  const receiptDue = donor.receipt_mode === 'per-gift';
  const receiptId =
    receiptDue && options.receipt === 'now'
      ? await issueReceipt(trx, { donationIds: [donationId], kind: 'per-gift' })
      : null;
  return { donationId, receiptId, receiptDue: receiptDue && receiptId === null, created: true };
}

/** Whether a stored gift is the one a retry asks for again: every field the caller sent. */
function isSameGift(row: Record<string, any>, donation: DonationInput): boolean {
  return (
    row.donor_id === donation.donorId &&
    BigInt(row.amount_minor) === donation.amount &&
    row.received_on === donation.receivedOn &&
    row.method === donation.method &&
    row.recurring === donation.recurring &&
    (row.pool_id ?? undefined) === donation.poolId &&
    (row.external_ref ?? undefined) === donation.externalRef
  );
}

/**
 * The fund's ceiling on one gift (its rules, src/endowment/rules.ts): an amount
 * above it is far more likely a typing error than a gift, and every total must stay
 * within what the books can show.
 */
async function assertWithinGiftMaximum(trx: Transaction, fundId: string, amountMinor: bigint): Promise<void> {
  const { giftAmountMaxMinor: maximumMinor } = await endowmentRules(trx, fundId);
  if (amountMinor > maximumMinor) {
    throw new ValidationError([
      {
        path: ['amount'],
        message: endowmentMessages.giftAboveCeiling(formatFrench(euros(maximumMinor))),
      },
    ]);
  }
}

/**
 * Cancels a gift recorded in error — no replacement: its entry is reversed (dated
 * today), its receipts cancelled (numbers kept in the register, marked cancelled;
 * a summary receipt covering other gifts is replaced by one without it).
 */
export async function cancelDonation(
  trx: Transaction,
  fundId: string,
  donationId: string,
  reason: string,
  actor: { userId: string | null },
) {
  const donation = await trx('donations').where({ id: donationId, fund_id: fundId }).forUpdate().first();
  if (!donation) throw new NotFoundError(endowmentMessages.donationMissing);
  if (donation.cancelled_at) throw new ConflictError(endowmentMessages.donationAlreadyCancelled);
  const reversal = await reverseEntry(
    trx,
    fundId,
    Number(donation.entry_id),
    { accountingDate: todayInParis(), reason: `Don annulé : ${reason}` },
    actor,
  );
  const receipts = await cancelReceiptsOfGift(trx, donationId, `Don annulé : ${reason}`);
  await trx('donations')
    .where('id', donationId)
    .update({ cancelled_at: trx.fn.now(), cancel_reason: reason, cancellation_entry_id: reversal.id });
  return {
    donationId,
    reversalEntryId: reversal.id,
    cancelledReceiptIds: receipts.cancelled,
    replacementReceiptIds: receipts.replacements,
  };
}

/** The entry that recorded a gift. */
export async function entryOfDonation(db: Database | Transaction, donationId: string): Promise<number> {
  const row = await db('donations').where('id', donationId).first('entry_id');
  if (!row) throw new NotFoundError(endowmentMessages.donationMissing);
  return Number(row.entry_id);
}

/** Whether a donor belongs to the fund. */
/** The fund's donor with this e-mail address, if any. */
export async function donorIdByEmail(
  db: Database | Transaction,
  fundId: string,
  email: string,
): Promise<string | undefined> {
  const row: { id: string } | undefined = await db('donors').where({ fund_id: fundId, email }).first('id');
  return row?.id;
}

export async function isDonorOf(db: Database | Transaction, fundId: string, donorId: string): Promise<boolean> {
  return Boolean(await db('donors').where({ id: donorId, fund_id: fundId }).first('id'));
}

/** The gift an entry records (the treasury knows a gift it matched by its entry). */
export async function donationOfEntry(db: Database | Transaction, entryId: number): Promise<string> {
  const row = await db('donations').where('entry_id', entryId).first('id');
  if (!row) throw new NotFoundError(endowmentMessages.noDonationForEntry);
  return row.id;
}

async function receiptOf(db: Database | Transaction, donationId: string): Promise<string | null> {
  const row = await db('tax_receipt_donations')
    .join('tax_receipts', 'tax_receipts.id', 'tax_receipt_donations.receipt_id')
    .where('donation_id', donationId)
    .whereNull('cancelled_at')
    .first('tax_receipts.id');
  return row?.id ?? null;
}

export async function donorView(db: Database, fundId: string, donorId: string) {
  const donor = await db('donors').where({ id: donorId, fund_id: fundId }).first();
  if (!donor) throw new NotFoundError(endowmentMessages.donorMissing);
  const donations = await db('donations')
    .where('donor_id', donorId)
    .orderBy('received_on')
    .select('id', 'amount_minor', 'received_on', 'method', 'recurring', 'pool_id', 'cancelled_at', 'cancel_reason');
  return {
    id: donor.id,
    fundId: donor.fund_id,
    kind: donor.kind,
    name: donorName(donor),
    email: donor.email,
    receiptMode: donor.receipt_mode,
    consentEmail: donor.consent_email,
    consentNewsletter: donor.consent_newsletter,
    donations: donations.map((donation) => ({
      id: donation.id,
      amount: toApiAmount(euros(donation.amount_minor)),
      receivedOn: donation.received_on,
      method: donation.method,
      recurring: donation.recurring,
      poolId: donation.pool_id,
      cancelledAt: donation.cancelled_at,
      cancelReason: donation.cancel_reason,
    })),
    // The latest receipts; all of them: GET …/tax-receipts?donorId=.
    receipts: (await listReceipts(db, { fundId, donorId, page: 1, pageSize: pageSizeMax })).receipts,
  };
}

/**
 * The gifts and receipts of the person logged in, in every fund where they gave.
 * A donor record made before the account was is linked here, by the e-mail the
 * person proved by logging in.
 */
export async function myGifts(db: Database, user: { userId: string; email: string }) {
  await db('donors').whereNull('user_id').where('email', user.email.toLowerCase()).update({ user_id: user.userId });
  const donors = await db('donors').where('user_id', user.userId).select('id', 'fund_id');
  return { donors: await Promise.all(donors.map((donor) => donorView(db, donor.fund_id, donor.id))) };
}

/** The fund's donors by name, e-mail or SIREN, alphabetically, a page at a time. */
export async function listDonors(db: Database, fundId: string, filter: Page & { search?: string | undefined }) {
  const query = db('donors').where('fund_id', fundId);
  if (filter.search) {
    const pattern = containing(filter.search);
    query.where((match) => {
      match
        .whereILike('last_name', pattern)
        .orWhereILike('company_name', pattern)
        .orWhereILike('email', pattern)
        .orWhere('siren', filter.search!.replace(/\s/g, ''));
    });
  }
  const { rows, ...page } = await pageOf<Record<string, any>>(query, filter, (read) =>
    read.orderBy([{ column: db.raw('coalesce(company_name, last_name)') as never }, { column: 'id' }]).select('*'),
  );
  return {
    ...page,
    donors: rows.map((donor) => ({
      id: donor.id,
      kind: donor.kind,
      name: donorName(donor as never),
      email: donor.email,
      city: donor.city,
      receiptMode: donor.receipt_mode,
    })),
  };
}

/** The fund's gifts, newest first, by donor and period, cancelled ones shown as such. */
export async function listDonations(
  db: Database,
  fundId: string,
  filter: Page & { donorId?: string | undefined; from?: string | undefined; to?: string | undefined },
) {
  const query = db('donations').join('donors', 'donors.id', 'donations.donor_id').where('donations.fund_id', fundId);
  if (filter.donorId) query.where('donations.donor_id', filter.donorId);
  if (filter.from) query.where('donations.received_on', '>=', filter.from);
  if (filter.to) query.where('donations.received_on', '<=', filter.to);
  const { rows, ...page } = await pageOf<Record<string, any>>(query, filter, (read) =>
    read
      .orderBy([
        { column: 'donations.received_on', order: 'desc' },
        { column: 'donations.created_at', order: 'desc' },
      ])
      .select('donations.*', 'donors.kind', 'donors.last_name', 'donors.first_names', 'donors.company_name'),
  );
  return {
    ...page,
    donations: rows.map((row) => ({
      id: row.id,
      donorId: row.donor_id,
      donor: donorName(row as never),
      amount: toApiAmount(euros(BigInt(row.amount_minor))),
      receivedOn: row.received_on,
      method: row.method,
      poolId: row.pool_id,
      cancelledAt: row.cancelled_at,
      cancelReason: row.cancel_reason,
    })),
  };
}

/**
 * A donor's own choices (how receipts come, what may be sent), changed by the
 * donor, the moment kept as the proof of consent (RGPD art. 7).
 */
export async function setDonorChoices(
  db: Database | Transaction,
  donor: { donorId: string; userId: string },
  choices: { receiptMode: 'per-gift' | 'annual'; consentEmail: boolean; consentNewsletter: boolean },
): Promise<void> {
  const changed = await db('donors').where({ id: donor.donorId, user_id: donor.userId }).update({
    receipt_mode: choices.receiptMode,
    consent_email: choices.consentEmail,
    consent_newsletter: choices.consentNewsletter,
    choices_changed_at: db.fn.now(),
  });
  if (changed === 0) throw new NotFoundError(endowmentMessages.donorMissing);
}
