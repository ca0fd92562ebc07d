import type { Database, Transaction } from '../db/database';
import { instrumentAccounts } from './drawdowns';
import { investedMinor, termsFromStorage } from './terms';

/**
 * The portfolio as it stood at the end of a day, for the fund's reports, in
 * one query whatever its size: each investment drawn by then, what it cost
 * (drawn less repaid), its value in the books (cost and differences of
 * estimation; nothing once ended), what came back from it; and the dated
 * flows of the whole portfolio, the gross IRR's.
 */
type Reader = Database | Transaction;

export type InvestmentAt = {
  id: string;
  name: string;
  instrument: string;
  accountCode: string;
  drawnMinor: bigint;
  costMinor: bigint;
  valueMinor: bigint;
  realisedMinor: bigint;
  ended: boolean;
  /** Shares or cooperative shares held; null for what is lent. */
  shares: number | null;
};

export async function portfolioAt(db: Reader, fundId: string, day: string): Promise<InvestmentAt[]> {
  const { rows } = await db.raw<{
    rows: {
      id: string;
      name: string;
      instrument: string;
      drawn: string;
      repaid: string;
      revalued: string;
      realised: string;
      ended: boolean;
      shares: number | null;
    }[];
  }>(
    `select i.id, i.name, i.instrument,
            coalesce((select sum(amount_minor) from investment_drawdowns d where d.investment_id = i.id and d.requested_on <= :day), 0) as drawn,
            coalesce((select sum(amount_minor) from investment_receipts r where r.investment_id = i.id and r.kind = 'repayment' and r.received_on <= :day), 0) as repaid,
            coalesce((select sum(amount_minor) from investment_revaluations v where v.investment_id = i.id and v.booked_on <= :day), 0) as revalued,
            coalesce((select sum(amount_minor) from investment_receipts r where r.investment_id = i.id and r.received_on <= :day), 0) as realised,
            coalesce(i.ended_on <= :day, false) as ended,
            (i.terms->>'shares')::integer as shares
       from investments i
      where i.fund_id = :fundId
        and exists (select 1 from investment_drawdowns d where d.investment_id = i.id and d.requested_on <= :day)
      order by i.name, i.id`,
    { fundId, day },
  );
  return rows.map((row) => {
    const costMinor = row.ended ? 0n : BigInt(row.drawn) - BigInt(row.repaid);
    return {
      id: row.id,
      name: row.name,
      instrument: row.instrument,
      accountCode: instrumentAccounts[row.instrument]!,
      drawnMinor: BigInt(row.drawn),
      costMinor,
      valueMinor: row.ended ? 0n : costMinor + BigInt(row.revalued),
      realisedMinor: BigInt(row.realised),
      ended: row.ended,
      shares: row.shares,
    };
  });
}

/** The portfolio's dated flows as the fund sees them: drawn out (negative), received back (positive). */
export async function portfolioFlows(
  db: Reader,
  fundId: string,
  day: string,
): Promise<{ on: string; amountMinor: bigint }[]> {
  const { rows } = await db.raw<{ rows: { on: string; amount: string }[] }>(
    `select "on"::text as "on", sum(amount)::bigint as amount from (
       select d.requested_on as "on", -d.amount_minor as amount
         from investment_drawdowns d join investments i on i.id = d.investment_id
        where i.fund_id = :fundId and d.requested_on <= :day
       union all
       select r.received_on, r.amount_minor
         from investment_receipts r join investments i on i.id = r.investment_id
        where i.fund_id = :fundId and r.received_on <= :day
     ) flows group by "on" order by "on"`,
    { fundId, day },
  );
  return rows.map((row) => ({ on: row.on, amountMinor: BigInt(row.amount) }));
}

/**
 * What the fund has signed to invest and not drawn yet at the end of a day —
 * an off-balance-sheet commitment: the term sheets signed by then, of
 * investments not ended by then, less what was drawn by then.
 */
export async function undrawnCommitmentsMinor(db: Reader, fundId: string, day: string): Promise<bigint> {
  const rows = await db('investments as i')
    .where('i.fund_id', fundId)
    .whereNotNull('i.terms')
    .andWhere('i.term_sheet_signed_on', '<=', day)
    .andWhere((query) => {
      query.whereNull('i.ended_on').orWhere('i.ended_on', '>', day);
    })
    .select<{ terms: Record<string, unknown>; drawn: string }[]>(
      'i.terms',
      db.raw(
        'coalesce((select sum(d.amount_minor) from investment_drawdowns d where d.investment_id = i.id and d.requested_on <= ?), 0) as drawn',
        [day],
      ),
    );
  return rows.reduce((total, row) => total + investedMinor(termsFromStorage(row.terms)) - BigInt(row.drawn), 0n);
}
