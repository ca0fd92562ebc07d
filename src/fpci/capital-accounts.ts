import type { Database, Transaction } from '../db/database';

/**
 * What the fund's reporting reads of its investors: each holding (an
 * investor's units of a class, from the closings approved by a day), what was
 * called from it (calls issued and catch-ups, on the day they were booked),
 * what it was given back, and the dated flows its performance is computed on.
 */
type Reader = Database | Transaction;
const keyOf = (row: { investor_id: string; class_code: string }) => `${row.investor_id}|${row.class_code}`;

export type HoldingInQuarter = {
  investorId: string;
  investorName: string;
  classCode: string;
  units: number;
  commitmentMinor: bigint;
  calledBeforeMinor: bigint;
  calledMinor: bigint;
  repaidMinor: bigint;
  contributionsMinor: bigint;
  distributionsMinor: bigint;
};

/** Called from each holding: calls on their issue day, catch-ups on their closing's day. */
function calledThrough(db: Reader, fundId: string, day: string, strictlyBefore: boolean) {
  const comparison = strictlyBefore ? '<' : '<=';
  return db
    .select<{ investor_id: string; class_code: string; total: bigint }[]>(
      'investor_id',
      'class_code',
      db.raw('sum(amount_minor)::bigint as total'),
    )
    .from(
      db('capital_call_items as i')
        .join('capital_calls as c', 'c.id', 'i.call_id')
        .where('c.fund_id', fundId)
        .andWhere('c.issued_on', comparison, day)
        .select('i.investor_id', 'i.class_code', 'i.amount_minor')
        .unionAll((union) => {
          void union
            .from('subscriptions as s')
            .join('closings as k', 'k.id', 's.closing_id')
            .where('k.fund_id', fundId)
            .andWhere('k.closed_on', comparison, day)
            .select('s.investor_id', 's.class_code', 's.catch_up_minor as amount_minor');
        })
        .as('called'),
    )
    .groupBy('investor_id', 'class_code');
}

export async function holdingsInQuarter(
  db: Reader,
  fundId: string,
  quarter: { startsOn: string; endsOn: string },
): Promise<HoldingInQuarter[]> {
  // One after the other: inside a transaction, a connection runs one query at a time.
  const held = await db('subscriptions as s')
    .join('closings as k', 'k.id', 's.closing_id')
    .join('investors as v', 'v.id', 's.investor_id')
    .where('k.fund_id', fundId)
    .andWhere('k.closed_on', '<=', quarter.endsOn)
    .groupBy('s.investor_id', 'v.name', 's.class_code')
    .orderBy(['v.name', 's.investor_id', 's.class_code'])
    .select<{ investor_id: string; name: string; class_code: string; units: number; commitment: bigint }[]>(
      's.investor_id',
      'v.name',
      's.class_code',
      db.raw('sum(s.units)::integer as units'),
      db.raw('sum(s.commitment_minor)::bigint as commitment'),
    );
  const calledBefore = await calledThrough(db, fundId, quarter.startsOn, true);
  const called = await calledThrough(db, fundId, quarter.endsOn, false);
  const distributed = await db('distribution_items as i')
    .join('distributions as d', 'd.id', 'i.distribution_id')
    .where('d.fund_id', fundId)
    .andWhere('d.booked_on', '<=', quarter.endsOn)
    .groupBy('i.investor_id', 'i.class_code')
    .select<{ investor_id: string; class_code: string; repaid: bigint; in_quarter: bigint }[]>(
      'i.investor_id',
      'i.class_code',
      db.raw('sum(i.repayment_minor)::bigint as repaid'),
      db.raw(
        'coalesce(sum(i.repayment_minor + i.gain_minor + i.income_minor) filter (where d.booked_on >= ?), 0)::bigint as in_quarter',
        [quarter.startsOn],
      ),
    );
  const byKey = <Row extends { investor_id: string; class_code: string }>(rows: Row[]) =>
    new Map(rows.map((row) => [keyOf(row), row]));
  const [before, through, given] = [byKey(calledBefore), byKey(called), byKey(distributed)];
  return held.map((row) => {
    const calledBeforeMinor = before.get(keyOf(row))?.total ?? 0n;
    const calledMinor = through.get(keyOf(row))?.total ?? 0n;
    return {
      investorId: row.investor_id,
      investorName: row.name,
      classCode: row.class_code,
      units: row.units,
      commitmentMinor: row.commitment,
      calledBeforeMinor,
      calledMinor,
      repaidMinor: given.get(keyOf(row))?.repaid ?? 0n,
      contributionsMinor: calledMinor - calledBeforeMinor,
      distributionsMinor: given.get(keyOf(row))?.in_quarter ?? 0n,
    };
  });
}

/**
 * Each investor's dated flows up to a day, as it sees them: called, caught up and the premium it
 * paid (negative), distributed (positive) — each apart, so that what was paid in and what was given
 * back are read from the same flows as the IRR.
 */
export async function investorFlows(
  db: Reader,
  fundId: string,
  through: string,
): Promise<{ investorId: string; on: string; amountMinor: bigint }[]> {
  const rows = await db.raw<{ rows: { investor_id: string; on: string; amount: string }[] }>(
    `select investor_id, "on"::text as "on", amount from (
       select i.investor_id, c.issued_on as "on", -i.amount_minor as amount
         from capital_call_items i join capital_calls c on c.id = i.call_id
        where c.fund_id = :fundId and c.issued_on <= :through
       union all
       select s.investor_id, k.closed_on, -(s.catch_up_minor + s.premium_minor)
         from subscriptions s join closings k on k.id = s.closing_id
        where k.fund_id = :fundId and k.closed_on <= :through and s.catch_up_minor + s.premium_minor > 0
       union all
       select i.investor_id, d.booked_on, i.repayment_minor + i.gain_minor + i.income_minor
         from distribution_items i join distributions d on d.id = i.distribution_id
        where d.fund_id = :fundId and d.booked_on <= :through
     ) flows order by investor_id, "on"`,
    { fundId, through },
  );
  return rows.rows.map((row) => ({ investorId: row.investor_id, on: row.on, amountMinor: BigInt(row.amount) }));
}
