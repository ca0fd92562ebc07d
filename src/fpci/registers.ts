import type { Database } from '../db/database';
import { pageOf, type Page } from '../db/pagination';
import type { Principal } from '../identity/roles';
import { amount } from '../ledger/views';
import { todayInParis } from '../time';
import { actualDays } from '../day-counts';
import { workflowStates } from '../workflow-runtime';
import { actorOn } from './access';
import { lateInterestMinor } from './interest';
import { livePayments } from './payments';
import { assertUnitFund, rulesOn } from './rules';

/**
 * The fund's registers as its team reads them: closings, capital calls and
 * distributions, newest first, with their totals; and the late payers — every
 * investor owing on a call past its due date, with the interest run so far.
 * Each list is one query, paginated in the database.
 */
/** The fund's registers are its team's: a unit fund's treasurers and admins (404 for others). */
async function assertTeamOf(db: Database, fundId: string, principal: Principal): Promise<void> {
  actorOn(principal, fundId);
  await assertUnitFund(db, fundId);
}

/** A register of the fund (as `c`), each row with its workflow's state (as `w.state`). */
function registerOf(
  db: Database,
  fundId: string,
  register: { table: 'closings' | 'capital_calls' | 'distributions'; workflow: string },
) {
  return db(`${register.table} as c`)
    .join(workflowStates(db, register.workflow, register.workflow).as('w'), 'w.subject_id', db.raw('c.id::text'))
    .where('c.fund_id', fundId);
}

export async function listClosings(db: Database, fundId: string, page: Page, principal: Principal) {
  await assertTeamOf(db, fundId, principal);
  const query = registerOf(db, fundId, { table: 'closings', workflow: 'closing' });
  const { rows, ...paged } = await pageOf<{
    id: string;
    number: number;
    state: string;
    opened_on: string;
    closed_on: string | null;
    subscriptions: number;
    commitment_minor: string;
  }>(query, page, (read) =>
    read
      .orderBy('c.number', 'desc')
      .select(
        'c.id',
        'c.number',
        'w.state',
        'c.opened_on',
        'c.closed_on',
        db.raw('(select count(*) from subscriptions s where s.closing_id = c.id)::int as subscriptions'),
        db.raw(
          '(select coalesce(sum(s.commitment_minor), 0) from subscriptions s where s.closing_id = c.id)::bigint as commitment_minor',
        ),
      ),
  );
  return {
    ...paged,
    closings: rows.map((row) => ({
      id: row.id,
      number: row.number,
      state: row.state,
      openedOn: row.opened_on,
      closedOn: row.closed_on,
      subscriptions: row.subscriptions,
      commitment: amount(BigInt(row.commitment_minor)),
    })),
  };
}

export async function listCalls(db: Database, fundId: string, page: Page, principal: Principal) {
  await assertTeamOf(db, fundId, principal);
  const query = registerOf(db, fundId, { table: 'capital_calls', workflow: 'capital-call' });
  const { rows, ...paged } = await pageOf<{
    id: string;
    number: number;
    state: string;
    due_on: string;
    issued_on: string | null;
    due_minor: string;
    paid_minor: string;
  }>(query, page, (read) =>
    read
      .orderBy('c.number', 'desc')
      .select(
        'c.id',
        'c.number',
        'w.state',
        'c.due_on',
        'c.issued_on',
        db.raw(
          '(select coalesce(sum(i.amount_minor), 0) from capital_call_items i where i.call_id = c.id)::bigint as due_minor',
        ),
        db.raw('(?)::bigint as paid_minor', [
          livePayments(db)
            .whereRaw('capital_call_payments.call_id = c.id')
            .select(db.raw('coalesce(sum(capital_call_payments.amount_minor), 0)')),
        ]),
      ),
  );
  return {
    ...paged,
    calls: rows.map((row) => ({
      id: row.id,
      number: row.number,
      state: row.state,
      dueOn: row.due_on,
      issuedOn: row.issued_on,
      due: amount(BigInt(row.due_minor)),
      paid: amount(BigInt(row.paid_minor)),
    })),
  };
}

export async function listDistributions(db: Database, fundId: string, page: Page, principal: Principal) {
  await assertTeamOf(db, fundId, principal);
  const query = registerOf(db, fundId, { table: 'distributions', workflow: 'distribution' });
  const { rows, ...paged } = await pageOf<{
    id: string;
    number: number;
    state: string;
    class_codes: string[];
    amount_minor: string;
    booked_on: string | null;
    auditor_report_required: boolean;
    auditor_report_on: string | null;
  }>(query, page, (read) =>
    read
      .orderBy('c.number', 'desc')
      .select(
        'c.id',
        'c.number',
        'w.state',
        'c.class_codes',
        'c.amount_minor',
        'c.booked_on',
        'c.auditor_report_required',
        'c.auditor_report_on',
      ),
  );
  return {
    ...paged,
    distributions: rows.map((row) => ({
      id: row.id,
      number: row.number,
      state: row.state,
      classCodes: row.class_codes,
      amount: amount(BigInt(row.amount_minor)),
      bookedOn: row.booked_on,
      auditorReportAwaited: row.auditor_report_required && row.auditor_report_on === null,
    })),
  };
}

/** What each investor owes on each call issued and due before `asOf`. */
function overdueDues(db: Database, fundId: string, asOf: string) {
  return db('capital_calls as c')
    .join('capital_call_items as i', 'i.call_id', 'c.id')
    .join('investors as v', 'v.id', 'i.investor_id')
    .where('c.fund_id', fundId)
    .whereNotNull('c.issued_on')
    .where('c.due_on', '<', asOf)
    .groupBy('c.id', 'c.number', 'c.due_on', 'c.issued_on', 'i.investor_id', 'v.name')
    .orderBy([{ column: 'c.due_on' }, { column: 'v.name' }])
    .select<
      {
        call_id: string;
        number: number;
        due_on: string;
        issued_on: string;
        investor_id: string;
        name: string;
        due_minor: string;
      }[]
    >(
      'c.id as call_id',
      'c.number',
      'c.due_on',
      'c.issued_on',
      'i.investor_id',
      'v.name',
      db.raw('sum(i.amount_minor)::bigint as due_minor'),
    );
}

/**
 * Who owes on a call past its due date, on `asOf`: what is outstanding, for how
 * many days, and the late interest run so far at the rate of the rules the call
 * was issued under (CMF R214-75). Most overdue first.
 */
export async function latePayers(db: Database, fundId: string, principal: Principal, asOf = todayInParis()) {
  await assertTeamOf(db, fundId, principal);
  const owing = await overdueDues(db, fundId, asOf);
  const payments = await livePayments(db)
    .whereIn(
      'call_id',
      owing.map((one) => one.call_id),
    )
    .select<{ call_id: string; investor_id: string; amount_minor: string; received_on: string }[]>(
      'call_id',
      'investor_id',
      'amount_minor',
      'received_on',
    );
  const late = [];
  // One reading of the rules per issue date, not per investor's line.
  const lateRateOn = new Map<string, Promise<string>>();
  for (const one of owing) {
    const own = payments
      .filter((payment) => payment.call_id === one.call_id && payment.investor_id === one.investor_id)
      .map((payment) => ({ amountMinor: BigInt(payment.amount_minor), receivedOn: payment.received_on }));
    const dueMinor = BigInt(one.due_minor);
    const paidMinor = own.reduce((total, payment) => total + payment.amountMinor, 0n);
    if (paidMinor >= dueMinor) continue;
    if (!lateRateOn.has(one.issued_on))
      lateRateOn.set(
        one.issued_on,
        rulesOn(db, fundId, one.issued_on).then(({ rules }) => rules.lateInterestRate),
      );
    const lateInterestRate = await lateRateOn.get(one.issued_on)!;
    late.push({
      callId: one.call_id,
      callNumber: one.number,
      investorId: one.investor_id,
      investor: one.name,
      dueOn: one.due_on,
      due: amount(dueMinor),
      paid: amount(paidMinor),
      outstanding: amount(dueMinor - paidMinor),
      daysLate: actualDays(one.due_on, asOf),
      lateInterest: amount(lateInterestMinor(dueMinor, one.due_on, own, asOf, lateInterestRate)),
    });
  }
  return { asOf, latePayers: late };
}
