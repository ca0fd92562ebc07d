import { randomUUID } from 'node:crypto';
import { v7 as timeOrderedUuid } from 'uuid';
import type { Database, Transaction } from '../db/database';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../errors';
import { cancelDonation, donationOfEntry, entryOfDonation, isDonorOf, recordDonation } from '../endowment/gifts';
import { isAdmin, type Principal } from '../identity/roles';
import { bankAccountCode } from '../ledger/charts';
import { postEntry, reverseEntry, entryLabelLengthMax } from '../ledger/entries';
import { accountMovements, hasAccount, type AccountMovement } from '../ledger/queries';
import { euros, toApiAmount } from '../money';
import { todayInParis } from '../time';
import {
  findWorkflowIfAny,
  lockWorkflow,
  sendWorkflowEvent,
  startWorkflow,
  workflowHistory,
} from '../workflow-runtime';
import { disbursementStates } from './lists';
import { bankMatchWorkflow, type BankMatchEvent } from '../../workflows/bank-match.machine';
import { reconcile, type BankLineFacts, type ExpectedItem, type MatchMethod } from './matcher';
import { bankConfirms, isTreasurerOf } from './disbursements';
import { recordCallPayment } from '../fpci/calls';
import { awaitedCallPayments, reverseInvestorPayment } from '../fpci/payments';
import { awaitedSubscriptionPayments, recordSubscriptionPayment } from '../fpci/subscription-payments';
import { treasuryMessages } from './messages';

/**
 * Matches between a statement's lines and what the fund expects, kept in the
 * database: proposed by the matcher (src/treasury/matcher.ts) or by the
 * treasurer's hand, then confirmed — which moves the payment and the books —,
 * rejected, or undone (which reverses what the confirmation moved). Each
 * decision goes through the bank-match workflow and its history.
 */
type ItemType = ExpectedItem['type'] | 'donor' | 'account';
type MatchItem = {
  type: ItemType;
  id: string;
  key: string;
  action: ExpectedItem['action'] | 'book';
  amountMinor: bigint;
};

const subjectOf = (matchId: string) => ({ type: 'bank-match', id: matchId });
const relationsOf = (principal: Principal) => (isAdmin(principal) ? ['admin'] : ['treasurer']);

/**
 * Our sent transfers (to settle), awaited receipts, bank movements in the books
 * no line accounts for yet, and — for the end-to-end ids a return quotes —
 * the sent or settled transfers the bank may have sent back.
 */
export async function expectedItems(
  db: Database | Transaction,
  fundId: string,
  returnedEndToEndIds: readonly string[] = [],
): Promise<ExpectedItem[]> {
  // One after the other: inside a transaction they share one connection.
  const transfers = await db.raw(
    `select d.id, d.end_to_end_id, d.amount_minor, d.creditor_name, d.creditor_iban, w.state, b.id as batch_id, b.message_id, b.requested_execution_date::text as execution_date,
            coalesce(m.settle_matched, false) as settle_matched, coalesce(m.return_matched, false) as return_matched
     from disbursements d
     left join (
       select item_key, bool_or(action = 'settle') as settle_matched, bool_or(action = 'return') as return_matched
       from bank_match_items where live and item_type = 'disbursement' group by item_key
     ) m on m.item_key = d.end_to_end_id
     join ? w on w.subject_id = d.id::text
     join payment_batches b on b.id = d.batch_id
     where d.fund_id = ? and (w.state = 'sent' or (w.state = 'settled' and d.end_to_end_id = any(?)))`,
    [disbursementStates(db), fundId, [...returnedEndToEndIds]],
  );
  const returnable = new Set(returnedEndToEndIds);
  const receipts = await db.raw(
    `select r.id, r.amount_minor, r.structured_reference, r.counterparty_iban, r.expected_on::text as expected_on, r.label
     from expected_receipts r
     where r.fund_id = ? and not exists (select 1 from bank_match_items i where i.live and i.item_type = 'expected-receipt' and i.item_key = r.id::text)`,
    [fundId],
  );
  const investorPayments = await awaitedInvestorPayments(db, fundId);
  const entries = await bookMovementsNotOnStatements(db, fundId, { exceptProposed: true });
  const items: ExpectedItem[] = [];
  for (const row of transfers.rows) {
    const amountMinor = BigInt(row.amount_minor);
    const item = (action: 'settle' | 'return', signed: bigint, group: ExpectedItem['group'] = null): ExpectedItem => ({
      type: 'disbursement',
      id: row.id,
      key: row.end_to_end_id,
      action,
      amountMinor: signed,
      date: row.execution_date,
      label: row.creditor_name,
      endToEndId: row.end_to_end_id,
      counterpartyIban: row.creditor_iban,
      group,
    });
    if (row.state === 'sent' && !row.settle_matched)
      items.push(item('settle', -amountMinor, { id: row.batch_id, reference: row.message_id }));
    if (returnable.has(row.end_to_end_id) && !row.return_matched) items.push(item('return', amountMinor));
  }
  for (const row of receipts.rows) {
    items.push({
      type: 'expected-receipt',
      id: row.id,
      key: row.id,
      action: 'receive',
      amountMinor: BigInt(row.amount_minor),
      date: row.expected_on,
      label: row.label,
      structuredReference: row.structured_reference,
      counterpartyIban: row.counterparty_iban,
    });
  }
  items.push(...investorPayments);
  for (const entry of entries) {
    items.push({
      type: 'entry',
      id: String(entry.entryId),
      key: String(entry.entryId),
      action: 'point',
      amountMinor: entry.amountMinor,
      date: entry.date,
      label: entry.label,
    });
  }
  return items;
}

/**
 * What the unit fund's investors still owe, as the bank may show it: on each
 * issued call, and a later subscriber's catch-up and premium; each by the
 * reference the investor quotes, none already in a live match.
 */
async function awaitedInvestorPayments(db: Database | Transaction, fundId: string): Promise<ExpectedItem[]> {
  const calls = (await awaitedCallPayments(db, fundId)).map((call) => ({
    type: 'capital-call' as const,
    ...call,
    label: `${call.investor} — appel n° ${call.callNumber}`,
  }));
  const subscriptions = (await awaitedSubscriptionPayments(db, fundId)).map((one) => ({
    type: 'subscription' as const,
    ...one,
  }));
  const awaited = [...calls, ...subscriptions];
  const matched = new Set<string>(
    await db('bank_match_items')
      .where('live', true)
      .whereIn('item_type', ['capital-call', 'subscription'])
      .whereIn(
        'item_key',
        awaited.map((one) => one.key),
      )
      .pluck('item_key'),
  );
  return awaited
    .filter((one) => !matched.has(one.key))
    .map((one) => ({
      type: one.type,
      id: one.id,
      key: one.key,
      action: 'receive',
      amountMinor: one.remainingMinor,
      date: one.dueOn,
      label: one.label,
      structuredReference: one.structuredReference,
      counterpartyIban: one.investorIban,
    }));
}

/**
 * Entries that moved the bank account (512) in the books and that no bank line
 * accounts for: neither posted by a confirmed match nor pointed by one. An
 * entry and its reversal cancel out and are left aside.
 */
export type BookMovement = AccountMovement;

export async function bookMovementsNotOnStatements(
  db: Database | Transaction,
  fundId: string,
  options: { from?: string; to?: string; exceptProposed?: boolean } = {},
): Promise<BookMovement[]> {
  const movements = await accountMovements(db, fundId, bankAccountCode, options);
  // One array parameter each, not one per entry: a fund's bank movements may outnumber PostgreSQL's 65,535 parameters.
  const entryIds = movements.map((movement) => movement.entryId);
  const confirmed = db('bank_match_items as i')
    .join('bank_matches as m', 'm.id', 'i.match_id')
    .where({ 'i.live': true, 'm.status': 'confirmed' })
    .whereRaw('i.entry_id = any(?::bigint[])', [entryIds])
    .pluck('i.entry_id');
  const pointed = options.exceptProposed
    ? db('bank_match_items')
        .where({ live: true, item_type: 'entry' })
        .whereRaw('item_key = any(?::text[])', [entryIds.map(String)])
        .pluck('item_key')
    : [];
  const accountedFor = new Set([...(await confirmed), ...(await pointed)].map(Number));
  return movements.filter((movement) => !accountedFor.has(movement.entryId));
}

export async function openLinesOf(db: Database | Transaction, statementId: string): Promise<BankLineFacts[]> {
  const rows = await db('bank_lines')
    .where('statement_id', statementId)
    .whereNotExists(db('bank_match_lines').whereRaw('bank_match_lines.line_id = bank_lines.id').where('live', true))
    .orderBy(['entry_number', 'detail_number'])
    .select(
      'id',
      'amount_minor',
      db.raw('booking_date::text as booking_date'),
      'end_to_end_id',
      'structured_reference',
      'counterparty_iban',
      'return_reason',
      'remittance',
      'bank_reference',
    );
  return rows.map((row) => ({
    id: row.id,
    amountMinor: BigInt(row.amount_minor),
    bookingDate: row.booking_date,
    endToEndId: row.end_to_end_id,
    structuredReference: row.structured_reference,
    counterpartyIban: row.counterparty_iban,
    returnReason: row.return_reason,
    text: [row.remittance, row.bank_reference].filter(Boolean).join(' ') || null,
  }));
}

export async function statementOf(db: Database | Transaction, fundId: string, statementId: string) {
  const statement = await db('bank_statements')
    .where({ id: statementId, fund_id: fundId })
    .first('id', 'bank_statement_id');
  if (!statement) throw new NotFoundError(treasuryMessages.statementMissing);
  return statement;
}

type NewMatch = {
  id: string;
  method: MatchMethod | 'manual';
  reason: string;
  confidence: string;
  lineIds: string[];
  items: MatchItem[];
};

/** Writes matches in three set-based statements, whatever their number. */
// Matches written per statement: enough to keep round trips few, few enough to keep one statement's JSON small.
const matchesPerInsert = 20_000;

async function insertMatches(
  trx: Transaction,
  fundId: string,
  statementId: string,
  matches: NewMatch[],
  createdBy: string | null,
): Promise<void> {
  const insertRecords = (sql: string, records: unknown[]) => trx.raw(sql, [JSON.stringify(records)]);
  for (let offset = 0; offset < matches.length; offset += matchesPerInsert) {
    const slice = matches.slice(offset, offset + matchesPerInsert);
    await insertRecords(
      `insert into bank_matches (id, fund_id, statement_id, method, reason, confidence, created_by)
       select id, fund_id, statement_id, method, reason, confidence, created_by from json_to_recordset(?::json) as m(id uuid, fund_id text, statement_id uuid, method text, reason text, confidence numeric, created_by uuid)`,
      slice.map((match) => ({
        id: match.id,
        fund_id: fundId,
        statement_id: statementId,
        method: match.method,
        reason: match.reason,
        confidence: match.confidence,
        created_by: createdBy,
      })),
    );
    await insertRecords(
      'insert into bank_match_lines (match_id, line_id) select match_id, line_id from json_to_recordset(?::json) as l(match_id uuid, line_id uuid)',
      slice.flatMap((match) => match.lineIds.map((lineId) => ({ match_id: match.id, line_id: lineId }))),
    );
    await insertRecords(
      `insert into bank_match_items (match_id, position, item_type, item_id, item_key, action, amount_minor)
       select match_id, position, item_type, item_id, item_key, action, amount_minor from json_to_recordset(?::json) as i(match_id uuid, position smallint, item_type text, item_id text, item_key text, action text, amount_minor bigint)`,
      slice.flatMap((match) =>
        match.items.map((item, index) => ({
          match_id: match.id,
          position: index + 1,
          item_type: item.type,
          item_id: item.id,
          item_key: item.key,
          action: item.action,
          amount_minor: item.amountMinor.toString(),
        })),
      ),
    );
  }
}

/** Runs the matcher on a statement's open lines and records its proposals; run again, it proposes only what is new. */
export async function proposeMatches(trx: Transaction, fundId: string, statementId: string): Promise<number> {
  await statementOf(trx, fundId, statementId);
  // One matcher at a time per fund: two would propose the same items twice.
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`reconcile:${fundId}`]);
  const lines = await openLinesOf(trx, statementId);
  const items = await expectedItems(
    trx,
    fundId,
    lines.flatMap((line) => (line.returnReason && line.endToEndId ? [line.endToEndId] : [])),
  );
  const rejected = new Set<string>(
    (
      await trx('bank_match_lines as l')
        .join('bank_matches as m', 'm.id', 'l.match_id')
        .join('bank_match_items as i', 'i.match_id', 'm.id')
        .where({ 'm.statement_id': statementId, 'm.status': 'rejected' })
        .select('l.line_id', 'i.item_type', 'i.item_key', 'i.action')
    ).map(
      (row: { line_id: string; item_type: string; item_key: string; action: string }) =>
        `${row.line_id}|${row.item_type}|${row.item_key}|${row.action}`,
    ),
  );
  // A pairing the treasurer rejected is not proposed again; its line waits for a hand match.
  const proposals = reconcile(lines, items)
    .filter(
      (proposal) =>
        !proposal.lineIds.some((lineId) =>
          proposal.items.some((item) => rejected.has(`${lineId}|${item.type}|${item.key}|${item.action}`)),
        ),
    )
    .map((proposal) => ({ ...proposal, id: timeOrderedUuid() }));
  await insertMatches(trx, fundId, statementId, proposals, null);
  return proposals.length;
}

export async function listMatches(db: Database, fundId: string, statementId: string) {
  await statementOf(db, fundId, statementId);
  const matches = await db('bank_matches')
    .where({ statement_id: statementId, fund_id: fundId })
    .orderBy('created_at')
    .orderBy('id');
  // By statement rather than by a list of match ids: a statement may hold 100,000 matches.
  const ofStatement = (table: string) =>
    db(table)
      .join('bank_matches', 'bank_matches.id', `${table}.match_id`)
      .where('bank_matches.statement_id', statementId);
  const lines = await ofStatement('bank_match_lines')
    .join('bank_lines', 'bank_lines.id', 'bank_match_lines.line_id')
    .orderBy(['entry_number', 'detail_number'])
    .select('match_id', 'line_id', 'entry_number', 'detail_number', 'amount_minor');
  const items = await ofStatement('bank_match_items').orderBy('position').select('bank_match_items.*');
  const byMatch = <T extends { match_id: string }>(rows: T[]) => {
    const groups = new Map<string, T[]>();
    for (const row of rows) groups.set(row.match_id, [...(groups.get(row.match_id) ?? []), row]);
    return groups;
  };
  const [linesOf, itemsOf] = [byMatch(lines), byMatch(items)];
  const amount = (minor: bigint) => toApiAmount(euros(BigInt(minor)));
  return matches
    .map((match) => ({
      id: match.id,
      method: match.method,
      reason: match.reason,
      confidence: String(Number(match.confidence)),
      status: match.status,
      proposedBy: match.created_by,
      decidedBy: match.decided_by,
      decidedAt: match.decided_at,
      lines: (linesOf.get(match.id) ?? []).map((line) => ({
        id: line.line_id,
        entry: line.entry_number,
        detail: line.detail_number,
        amount: amount(line.amount_minor),
      })),
      items: (itemsOf.get(match.id) ?? []).map((item) => ({
        type: item.item_type,
        id: item.item_id,
        action: item.action,
        amount: amount(item.amount_minor),
        entryId: item.entry_id === null ? null : Number(item.entry_id),
      })),
    }))
    .sort(
      (left, right) =>
        (left.lines[0]?.entry ?? 0) - (right.lines[0]?.entry ?? 0) ||
        (left.lines[0]?.detail ?? 0) - (right.lines[0]?.detail ?? 0),
    );
}

type LockedMatch = {
  id: string;
  fund_id: string;
  statement_id: string;
  status: string;
  reason: string;
  created_by: string | null;
  bank_statement_id: string;
};

async function lockMatch(trx: Transaction, matchId: string, principal: Principal): Promise<LockedMatch> {
  const match: LockedMatch | undefined = await trx('bank_matches')
    .join('bank_statements', 'bank_statements.id', 'bank_matches.statement_id')
    .where('bank_matches.id', matchId)
    .forUpdate()
    .first('bank_matches.*', 'bank_statements.bank_statement_id');
  if (!match || !isTreasurerOf(principal, match.fund_id)) throw new NotFoundError(treasuryMessages.matchMissing);
  return match;
}

/** The match's workflow, started at its first decision: until then a proposal is only a row the matcher wrote. */
async function matchWorkflow(trx: Transaction, match: LockedMatch) {
  const existing = await findWorkflowIfAny(trx, bankMatchWorkflow.name, { type: 'bank-match', id: match.id });
  if (!existing) {
    const proposer = match.created_by
      ? { userId: match.created_by, relations: ['treasurer'] }
      : { userId: null, relations: ['matcher'] };
    await startWorkflow(trx, bankMatchWorkflow, subjectOf(match.id), {}, proposer, match.reason);
  }
  return lockWorkflow(trx, bankMatchWorkflow.name, subjectOf(match.id));
}

async function step(
  trx: Transaction,
  match: LockedMatch,
  event: BankMatchEvent,
  principal: Principal,
  reason: string,
): Promise<void> {
  const instance = await matchWorkflow(trx, match);
  const next = await sendWorkflowEvent(
    trx,
    bankMatchWorkflow,
    instance,
    event,
    { userId: principal.userId, relations: relationsOf(principal) },
    reason,
  );
  await trx('bank_matches')
    .where('id', match.id)
    .update({ status: next.state, decided_by: principal.userId, decided_at: trx.fn.now() });
  if (next.state === 'rejected' || next.state === 'undone') {
    await trx('bank_match_lines').where('match_id', match.id).update({ live: false });
    await trx('bank_match_items').where('match_id', match.id).update({ live: false });
  }
}

type StoredItem = {
  position: number;
  item_type: ItemType;
  item_id: string;
  action: MatchItem['action'];
  amount_minor: bigint;
  entry_id: bigint | null;
};

/** Confirming moves what the match says: a transfer settled or returned, a gift recorded, fees booked, an entry pointed. */
async function applyConfirmation(trx: Transaction, match: LockedMatch, principal: Principal): Promise<void> {
  const items: StoredItem[] = await trx('bank_match_items').where('match_id', match.id).orderBy('position');
  const lines = await trx('bank_match_lines')
    .join('bank_lines', 'bank_lines.id', 'bank_match_lines.line_id')
    .where('match_id', match.id)
    .orderBy(['entry_number', 'detail_number'])
    .select('bank_lines.*', trx.raw('bank_lines.booking_date::text as booked_on'));
  const first = lines[0]!;
  const reason = `Relevé ${match.bank_statement_id} : ${match.reason}`;
  for (const item of items) {
    const entryId = await confirmedEntry(
      trx,
      match,
      item,
      {
        bookedOn: first.booked_on,
        bankReference: first.bank_reference,
        returnReason: first.return_reason,
        text: first.remittance ?? first.bank_reference,
      },
      principal,
      reason,
    );
    if (entryId !== null)
      await trx('bank_match_items')
        .where({ match_id: match.id, position: item.position })
        .update({ entry_id: entryId });
  }
}

async function confirmedEntry(
  trx: Transaction,
  match: LockedMatch,
  item: StoredItem,
  line: { bookedOn: string; bankReference: string | null; returnReason: string | null; text: string | null },
  principal: Principal,
  reason: string,
): Promise<number | null> {
  const amountMinor = BigInt(item.amount_minor);
  const giftFrom = async (donorId: string) => {
    const { donationId } = await recordDonation(
      trx,
      match.fund_id,
      {
        donorId,
        amount: amountMinor,
        receivedOn: line.bookedOn,
        method: 'transfer',
        recurring: false,
        externalRef: line.bankReference ?? undefined,
      },
      principal,
      `bank-match:${match.id}:${item.position}`,
    );
    return entryOfDonation(trx, donationId);
  };
  switch (item.item_type) {
    case 'disbursement':
      return bankConfirms(
        trx,
        item.item_id,
        item.action === 'settle' ? { type: 'SETTLE' } : { type: 'RETURN', reasonCode: line.returnReason ?? 'NARR' },
        principal.userId,
        { reason, bookedOn: line.bookedOn },
      );
    case 'expected-receipt':
      return giftFrom((await trx('expected_receipts').where('id', item.item_id).first('donor_id')).donor_id);
    case 'capital-call':
    case 'subscription':
      return investorPaymentFrom(trx, match, item, line.bookedOn, principal);
    case 'donor':
      return giftFrom(item.item_id);
    case 'account': {
      const { entry } = await postEntry(
        trx,
        {
          fundId: match.fund_id,
          journalCode: 'BQ',
          accountingDate: line.bookedOn,
          label: `Relevé ${match.bank_statement_id} — ${line.text ?? 'mouvement bancaire'}`.slice(
            0,
            entryLabelLengthMax,
          ),
          reason,
          sourceType: 'bank-match',
          sourceId: match.id,
          idempotencyKey: `bank-match:${match.id}:${item.position}`,
          lines: [
            { accountCode: bankAccountCode, amountMinor },
            { accountCode: item.item_id, amountMinor: -amountMinor },
          ],
        },
        principal,
      );
      return entry.id;
    }
    case 'entry':
      return Number(item.item_id);
  }
}

/**
 * An investor's payment, recorded by the FPCI as the bank booked it — on a call
 * ("<call id>.<investor id>"), or a subscription's catch-up and premium; the match names it once.
 */
async function investorPaymentFrom(
  trx: Transaction,
  match: LockedMatch,
  item: StoredItem,
  receivedOn: string,
  principal: Principal,
): Promise<number> {
  const payment = {
    amountMinor: BigInt(item.amount_minor),
    receivedOn,
    idempotencyKey: `bank-match:${match.id}:${item.position}`,
  };
  if (item.item_type === 'subscription')
    return (await recordSubscriptionPayment(trx, match.fund_id, item.item_id, payment, principal)).entryId;
  const [callId, investorId] = item.item_id.split('.') as [string, string];
  return (await recordCallPayment(trx, match.fund_id, callId, { investorId, ...payment }, principal)).entryId;
}

/**
 * Undoing puts back what the confirmation moved. A gift the match recorded was
 * not received from that donor after all: it is cancelled without replacement —
 * its entry reversed, its receipt cancelled, its number kept in the register.
 */
async function applyUndo(trx: Transaction, match: LockedMatch, principal: Principal, reason: string): Promise<void> {
  const items: StoredItem[] = await trx('bank_match_items').where('match_id', match.id).orderBy('position');
  for (const item of items) {
    if ((item.item_type === 'donor' || item.item_type === 'expected-receipt') && item.entry_id !== null) {
      await cancelDonation(trx, match.fund_id, await donationOfEntry(trx, Number(item.entry_id)), reason, principal);
      continue;
    }
    const entryId = item.entry_id === null ? null : Number(item.entry_id);
    if (item.item_type === 'disbursement') {
      await bankConfirms(
        trx,
        item.item_id,
        item.action === 'settle' ? { type: 'UNSETTLE' } : { type: 'UNDO_RETURN', backTo: entryId ? 'settled' : 'sent' },
        principal.userId,
        { reason, entryToReverse: entryId },
      );
    }
    if (item.item_type === 'account' && entryId)
      await reverseEntry(trx, match.fund_id, entryId, { accountingDate: todayInParis(), reason }, principal);
    if ((item.item_type === 'capital-call' || item.item_type === 'subscription') && entryId)
      await reverseInvestorPayment(
        trx,
        match.fund_id,
        item.item_type === 'subscription' ? 'subscription' : 'call',
        entryId,
        reason,
        principal,
      );
  }
}

export type MatchDecision = { decision: 'confirm' | 'reject' | 'undo'; reason?: string | undefined };

/** The treasurer's decision on a match. */
export async function decideMatch(
  trx: Transaction,
  matchId: string,
  input: MatchDecision,
  principal: Principal,
): Promise<void> {
  const match = await lockMatch(trx, matchId, principal);
  const reason = input.reason ?? match.reason;
  if (input.decision === 'undo') {
    if (match.status !== 'confirmed') throw new ConflictError(treasuryMessages.onlyConfirmedUndone);
    await step(trx, match, { type: 'UNDO' }, principal, reason);
    await applyUndo(trx, match, principal, `Rapprochement défait : ${reason}`);
    return;
  }
  if (match.status !== 'proposed')
    throw new ConflictError(
      treasuryMessages.matchAlreadyDecided(
        { confirmed: 'confirmé', rejected: 'rejeté', undone: 'défait' }[match.status] ?? match.status,
      ),
    );
  await step(trx, match, { type: input.decision === 'confirm' ? 'CONFIRM' : 'REJECT' }, principal, reason);
  if (input.decision === 'confirm') await applyConfirmation(trx, match, principal);
}

export type ManualItem =
  | { type: 'disbursement'; id: string; action: 'settle' | 'return' }
  | { type: 'expected-receipt'; id: string }
  /** An investor's payment on a call ("<call id>.<investor id>"), or on its subscription's catch-up and premium (its id): all that remains due or a part of it. */
  | { type: 'capital-call' | 'subscription'; id: string }
  | { type: 'entry'; id: number }
  | { type: 'donor'; id: string }
  | { type: 'account'; accountCode: string };

/** What a manually named item stands for, signed as the bank shows it; refused when it is not open. */
async function resolveManualItem(
  trx: Transaction,
  fundId: string,
  item: ManualItem,
  open: readonly ExpectedItem[],
  linesTotal: bigint,
  index: number,
): Promise<MatchItem> {
  const refuse = (message: string): never => {
    throw new ValidationError([{ path: ['items', index], message }]);
  };
  switch (item.type) {
    case 'disbursement':
      return (
        open.find(
          (candidate) =>
            candidate.type === 'disbursement' && candidate.id === item.id && candidate.action === item.action,
        ) ??
        refuse(
          item.action === 'settle'
            ? 'Ce virement n’attend pas de débit (il n’est pas envoyé, ou déjà rapproché).'
            : 'Ce virement ne peut pas revenir (il n’est ni envoyé ni réglé, ou déjà rapproché).',
        )
      );
    case 'expected-receipt':
      return (
        open.find((candidate) => candidate.type === 'expected-receipt' && candidate.id === item.id) ??
        refuse('Cet encaissement attendu est inconnu ou déjà rapproché.')
      );
    case 'capital-call':
    case 'subscription': {
      const awaited =
        open.find((candidate) => candidate.type === item.type && candidate.id === item.id) ??
        refuse(treasuryMessages.callPaymentNotAwaited);
      // Paid in part: the lines' total is what the investor paid, never more than what remains due.
      if (linesTotal <= 0n || linesTotal > awaited.amountMinor) refuse(treasuryMessages.callPaymentAboveDue);
      return { ...awaited, amountMinor: linesTotal };
    }
    case 'entry':
      return (
        open.find((candidate) => candidate.type === 'entry' && candidate.id === String(item.id)) ??
        refuse('Cette écriture ne mouvemente pas le compte 512, ou elle est déjà rapprochée.')
      );
    case 'donor': {
      if (linesTotal <= 0n) refuse('Un don se rapproche de lignes créditrices.');
      if (!(await isDonorOf(trx, fundId, item.id))) refuse('Donateur inconnu dans ce fonds.');
      return { type: 'donor', id: item.id, key: randomUUID(), action: 'receive', amountMinor: linesTotal };
    }
    case 'account': {
      if (item.accountCode === bankAccountCode || !(await hasAccount(trx, fundId, item.accountCode)))
        refuse(`Le compte ${item.accountCode} n'existe pas dans ce fonds (ou c'est la banque elle-même).`);
      return { type: 'account', id: item.accountCode, key: randomUUID(), action: 'book', amountMinor: linesTotal };
    }
  }
}

/**
 * The treasurer matches lines with items by hand — a transfer the bank
 * reported without our reference, a donor's unannounced gift, bank fees —,
 * and the match is confirmed at once. Lines and items must add up.
 */
export async function matchByHand(
  trx: Transaction,
  fundId: string,
  input: { lineIds: string[]; items: ManualItem[]; reason: string },
  principal: Principal,
): Promise<string> {
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`reconcile:${fundId}`]);
  const lines = await trx('bank_lines')
    .join('bank_statements', 'bank_statements.id', 'bank_lines.statement_id')
    .whereIn('bank_lines.id', input.lineIds)
    .select(
      'bank_lines.id',
      'bank_lines.amount_minor',
      'bank_statements.fund_id',
      'bank_statements.id as statement_id',
    );
  const issues = input.lineIds.flatMap((lineId, index) =>
    lines.some((line) => line.id === lineId && line.fund_id === fundId)
      ? []
      : [{ path: ['lineIds', index], message: treasuryMessages.bankLineUnknown }],
  );
  if (issues.length > 0) throw new ValidationError(issues);
  if (new Set(lines.map((line) => line.statement_id)).size > 1)
    throw new ValidationError([{ path: ['lineIds'], message: treasuryMessages.linesOfOneStatement }]);
  const taken = await trx('bank_match_lines').whereIn('line_id', input.lineIds).where('live', true).first('line_id');
  if (taken) throw new ConflictError(treasuryMessages.lineAlreadyMatched, { lineId: taken.line_id });
  const linesTotal = lines.reduce((total, line) => total + BigInt(line.amount_minor), 0n);
  const standalone = input.items.some((item) => item.type === 'donor' || item.type === 'account');
  if (standalone && input.items.length > 1)
    throw new ValidationError([{ path: ['items'], message: treasuryMessages.giftOrAccountAlone }]);
  const items: MatchItem[] = [];
  const returned = input.items.flatMap((item) =>
    item.type === 'disbursement' && item.action === 'return' ? [item.id] : [],
  );
  const returnedEndToEndIds: string[] = returned.length
    ? await trx('disbursements').whereIn('id', returned).where('fund_id', fundId).pluck('end_to_end_id')
    : [];
  const open = await expectedItems(trx, fundId, returnedEndToEndIds);
  for (const [index, item] of input.items.entries())
    items.push(await resolveManualItem(trx, fundId, item, open, linesTotal, index));
  const itemsTotal = items.reduce((total, item) => total + item.amountMinor, 0n);
  if (itemsTotal !== linesTotal) {
    throw new RuleViolationError(
      'treasury/match-unbalanced',
      treasuryMessages.matchUnbalanced(toApiAmount(euros(linesTotal)), toApiAmount(euros(itemsTotal))),
      { lines: toApiAmount(euros(linesTotal)), items: toApiAmount(euros(itemsTotal)) },
    );
  }
  const matchId = randomUUID();
  await insertMatches(
    trx,
    fundId,
    lines[0]!.statement_id,
    [
      {
        id: matchId,
        method: 'manual',
        reason: `Rapprochement manuel : ${input.reason}`,
        confidence: '1.00',
        lineIds: input.lineIds,
        items,
      },
    ],
    principal.userId,
  );
  await decideMatch(trx, matchId, { decision: 'confirm', reason: input.reason }, principal);
  return matchId;
}

export async function matchHistory(db: Database, matchId: string, principal: Principal) {
  const match = await db('bank_matches').where('id', matchId).first('fund_id');
  if (!match || !isTreasurerOf(principal, match.fund_id)) throw new NotFoundError(treasuryMessages.matchMissing);
  const instance = await findWorkflowIfAny(db, bankMatchWorkflow.name, { type: 'bank-match', id: matchId });
  return instance ? workflowHistory(db, instance.id) : [];
}
