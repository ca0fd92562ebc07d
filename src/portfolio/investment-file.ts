import type { Database } from '../db/database';
import type { Principal } from '../identity/roles';
import { amount } from '../ledger/views';
import { moic } from '../fpci/performance';
import { drawdownsView } from './drawdowns';
import { returnsOf } from './returns';
import { revaluedMinor } from './valuations';
import { getInvestment, investmentsInOrganisation } from './investments';
import { repaymentSchedule } from './schedules';
import { investedMinor, loanTermsOf, termsFromStorage } from './terms';

/**
 * An investment's file as its team reads it: the investment and its history,
 * its terms, what they invest and what has been drawn (each drawdown with its
 * transfer), and — for an instrument lent at a rate — its schedule, running
 * from the first drawdown (from the term sheet until then).
 */
export async function investmentFile(db: Database, fundId: string, investmentId: string, principal: Principal) {
  return fileOf(db, await getInvestment(db, fundId, investmentId, principal));
}

/**
 * The investments in an organisation, as its own people read them: terms,
 * drawdowns and their transfers, what it paid back, its schedule and the
 * history — never the fund's valuations of it.
 */
export async function investmentsOfOrganisation(db: Database, organisationId: string) {
  const investments = await investmentsInOrganisation(db, organisationId);
  return Promise.all(
    investments.map(async (investment) => {
      const { carryingValue: _carrying, bookValue: _book, moic: _moic, ...own } = await fileOf(db, investment);
      return own;
    }),
  );
}

async function fileOf(db: Database, { storedTerms, ...investment }: Awaited<ReturnType<typeof getInvestment>>) {
  const terms = storedTerms === null ? null : termsFromStorage(storedTerms);
  const drawn = await drawdownsView(db, investment.id);
  const startOn = drawn.firstDrawnOn ?? investment.termSheetSignedOn;
  const loanTerms = terms && startOn ? loanTermsOf(terms, startOn) : undefined;
  const returns = await returnsOf(db, investment.id);
  const realisedMinor = returns.reduce((total, one) => total + one.amount_minor, 0n);
  const ended = investment.state === 'exited' || investment.state === 'written-off';
  // At cost: what was drawn less what was repaid (both already read).
  const repaidMinor = returns
    .filter((one) => one.kind === 'repayment')
    .reduce((total, one) => total + one.amount_minor, 0n);
  const carryingMinor = ended ? 0n : drawn.drawnMinor - repaidMinor;
  const bookValueMinor = carryingMinor + (await revaluedMinor(db, investment.id));
  const multiple = moic({
    invested: drawn.drawnMinor.toString(),
    realised: realisedMinor.toString(),
    value: bookValueMinor.toString(),
  });
  return {
    ...investment,
    terms:
      terms &&
      Object.fromEntries(
        Object.entries(terms).map(([key, value]) => [key, typeof value === 'bigint' ? amount(value) : value]),
      ),
    invested: terms ? amount(investedMinor(terms)) : null,
    drawn: drawn.drawn,
    drawdowns: drawn.drawdowns,
    returns: returns.map((one) => ({ kind: one.kind, amount: amount(one.amount_minor), receivedOn: one.received_on })),
    realised: amount(realisedMinor),
    carryingValue: amount(carryingMinor),
    bookValue: amount(bookValueMinor),
    // What came back and what is still held (at its latest fair value), over what was drawn.
    moic: multiple === null ? null : multiple.toDecimalPlaces(4).toString(),
    schedule: loanTerms
      ? repaymentSchedule(loanTerms).map((line) => ({
          number: line.number,
          dueOn: line.dueOn,
          outstanding: amount(line.outstandingMinor),
          interest: amount(line.interestMinor),
          principal: amount(line.principalMinor),
        }))
      : null,
  };
}
