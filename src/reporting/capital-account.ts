import Decimal from 'decimal.js';
import { allocate, euros, minorUnits } from '../money';

/**
 * The quarter's capital accounts, in the shape of ILPA's capital-account
 * statement, pure: each holding (an investor's units of a class) begins the
 * quarter at its last ending NAV, adds its own contributions, takes off its
 * own distributions, and takes its share of the fund's other movements — fees
 * and their offsets, expenses, internal chargebacks, income, gains realised
 * and unrealised, other — each split exactly (largest remainder) pro rata to
 * the capital it has at work at the quarter end (called less repaid; its
 * commitment when nothing is at work anywhere). The carry units' share of the
 * gains is not accrued: the fund's rules carry no carry rate yet.
 *
 * Identities, each to the cent: beginning + movements = ending for every
 * holding and for the fund; the fund's beginning and ending equal its net
 * assets in the books; the holdings' sum equals the fund on every line.
 */
export const fundLineNames = [
  'managementFees',
  'feeOffsets',
  'fundExpenses',
  'internalChargebacks',
  'income',
  'realisedGains',
  'unrealisedGains',
  'other',
] as const;
export type FundLineName = (typeof fundLineNames)[number];
export const lineNames = ['contributions', 'distributions', ...fundLineNames] as const;
export type LineName = (typeof lineNames)[number];
/** Every line as its amount in cents, each positive as the statement shows it (a fee paid is positive). */
export type Lines = Record<LineName, bigint>;

/** How each line moves the NAV: fees, expenses and distributions take it down. */
const lineSigns: Record<LineName, 1n | -1n> = {
  contributions: 1n,
  distributions: -1n,
  managementFees: -1n,
  feeOffsets: 1n,
  fundExpenses: -1n,
  internalChargebacks: -1n,
  income: 1n,
  realisedGains: 1n,
  unrealisedGains: 1n,
  other: 1n,
};

export const noLines = (): Lines => Object.fromEntries(lineNames.map((name) => [name, 0n])) as Lines;

export function netChangeMinor(lines: Lines): bigint {
  return lineNames.reduce((total, name) => total + lineSigns[name] * lines[name], 0n);
}

export function addLines(left: Lines, right: Lines): Lines {
  return Object.fromEntries(lineNames.map((name) => [name, left[name] + right[name]])) as Lines;
}

export type Holding = {
  investorId: string;
  classCode: string;
  units: number;
  commitmentMinor: bigint;
  /** Its ending NAV at the last quarter closed (nothing before the first). */
  beginningMinor: bigint;
  /** Called from it up to the quarter's start, and up to its end. */
  calledBeforeMinor: bigint;
  calledMinor: bigint;
  /** Its paid-in capital given back by distributions, up to the quarter's end. */
  repaidMinor: bigint;
  /** Its own contributions and distributions in the quarter. */
  contributionsMinor: bigint;
  distributionsMinor: bigint;
};

export type Position = {
  investorId: string;
  classCode: string;
  units: number;
  commitmentMinor: bigint;
  beginningMinor: bigint;
  lines: Lines;
  endingMinor: bigint;
  unfundedBeginningMinor: bigint;
  unfundedEndingMinor: bigint;
};

export type ClassNav = { classCode: string; units: number; navMinor: bigint; navPerUnit: string };

export type QuarterFigures = {
  positions: Position[];
  fund: { beginningMinor: bigint; lines: Lines; endingMinor: bigint };
  classes: ClassNav[];
  /** Each identity that does not hold, in French (nothing when all hold). */
  problems: string[];
};

/** The capital at work of each holding, the weights the fund's movements are shared by. */
function weightsOf(holdings: readonly Holding[]): bigint[] {
  const atWork = holdings.map((holding) => {
    const capital = holding.calledMinor - holding.repaidMinor;
    return capital > 0n ? capital : 0n;
  });
  return atWork.some((capital) => capital > 0n) ? atWork : holdings.map((holding) => holding.commitmentMinor);
}

export function quarterFigures(
  holdings: readonly Holding[],
  fundLines: Record<FundLineName, bigint>,
  books: { beginningMinor: bigint; endingMinor: bigint },
): QuarterFigures {
  const weights = weightsOf(holdings).map(String);
  const shares = Object.fromEntries(
    fundLineNames.map((name) => [
      name,
      holdings.length === 0 ? [] : allocate(euros(fundLines[name]), weights).map(minorUnits),
    ]),
  ) as Record<FundLineName, bigint[]>;
  const positions = holdings.map((holding, index): Position => {
    const lines: Lines = {
      ...noLines(),
      contributions: holding.contributionsMinor,
      distributions: holding.distributionsMinor,
    };
    for (const name of fundLineNames) lines[name] = shares[name][index]!;
    return {
      investorId: holding.investorId,
      classCode: holding.classCode,
      units: holding.units,
      commitmentMinor: holding.commitmentMinor,
      beginningMinor: holding.beginningMinor,
      lines,
      endingMinor: holding.beginningMinor + netChangeMinor(lines),
      unfundedBeginningMinor: holding.commitmentMinor - holding.calledBeforeMinor,
      unfundedEndingMinor: holding.commitmentMinor - holding.calledMinor,
    };
  });
  const fundTotal = positions.reduce((total, position) => addLines(total, position.lines), noLines());
  const fund = {
    beginningMinor: positions.reduce((total, position) => total + position.beginningMinor, 0n),
    lines: fundTotal,
    endingMinor: positions.reduce((total, position) => total + position.endingMinor, 0n),
  };
  return { positions, fund, classes: classNavs(positions), problems: identityProblems(fund, fundLines, books) };
}

function identityProblems(
  fund: QuarterFigures['fund'],
  fundLines: Record<FundLineName, bigint>,
  books: { beginningMinor: bigint; endingMinor: bigint },
): string[] {
  const problems: string[] = [];
  const cents = (minor: bigint) => `${minor} centimes`;
  if (fund.beginningMinor !== books.beginningMinor)
    problems.push(
      `NAV d’ouverture : les porteurs ${cents(fund.beginningMinor)}, l’actif net des livres ${cents(books.beginningMinor)}`,
    );
  if (fund.endingMinor !== books.endingMinor)
    problems.push(
      `NAV de clôture : les porteurs ${cents(fund.endingMinor)}, l’actif net des livres ${cents(books.endingMinor)} — un mouvement des livres n’est dans aucune ligne`,
    );
  for (const name of fundLineNames)
    if (fund.lines[name] !== fundLines[name])
      problems.push(`${name} : les porteurs ${cents(fund.lines[name])}, le fonds ${cents(fundLines[name])}`);
  return problems;
}

/** Each class's NAV (its holdings' sum) and its NAV per unit, to six decimals of a euro. */
function classNavs(positions: readonly Position[]): ClassNav[] {
  const byClass = new Map<string, { units: number; navMinor: bigint }>();
  for (const position of positions) {
    const held = byClass.get(position.classCode) ?? { units: 0, navMinor: 0n };
    byClass.set(position.classCode, {
      units: held.units + position.units,
      navMinor: held.navMinor + position.endingMinor,
    });
  }
  return [...byClass.entries()]
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([classCode, held]) => ({
      classCode,
      units: held.units,
      navMinor: held.navMinor,
      navPerUnit: perUnit(held.navMinor, held.units),
    }));
}

/** Cents over units as euros with six decimals, rounded half up (away from zero). */
function perUnit(navMinor: bigint, units: number): string {
  if (units === 0) return '0.000000';
  return new Decimal(String(navMinor)).div(100 * units).toFixed(6, Decimal.ROUND_HALF_UP);
}
