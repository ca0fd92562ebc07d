import fc from 'fast-check';
import {
  fundLineNames,
  lineNames,
  netChangeMinor,
  quarterFigures,
  type FundLineName,
  type Holding,
} from '../../src/reporting/capital-account';
import { columnAddsUp, columnFrom, type StatementQuarter } from '../../src/reporting/statements';

/**
 * For generated funds — holdings of several classes, quarters of calls,
 * distributions, fees, income, gains and losses of any sign — the capital
 * accounts roll forward to the cent: every holding's ending is its beginning
 * plus its movements, the holdings add up to the fund on every line and to
 * the books' net assets, each class's NAV sums to the fund's; every statement
 * column (quarter, year, since inception) adds up. A cent off in the books is
 * caught.
 */
const amountMinor = fc.bigInt({ min: -5_000_000_00n, max: 5_000_000_00n });
const holdingArbitrary = fc.record({
  classCode: fc.constantFrom('A', 'B'),
  units: fc.integer({ min: 1, max: 100_000 }),
  nominalMinor: fc.constantFrom(100_00n, 1_000_00n, 37_50n),
});
const quarterArbitrary = (holdings: number) =>
  fc.record({
    callShares: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: holdings, maxLength: holdings }),
    distributed: fc.array(fc.bigInt({ min: 0n, max: 1_000_000_00n }), { minLength: holdings, maxLength: holdings }),
    fundLines: fc.record(
      Object.fromEntries(fundLineNames.map((name) => [name, amountMinor])) as Record<
        FundLineName,
        fc.Arbitrary<bigint>
      >,
    ),
  });
const fundArbitrary = fc.array(holdingArbitrary, { minLength: 1, maxLength: 25 }).chain((holdings) =>
  fc.record({
    holdings: fc.constant(holdings),
    quarters: fc.array(quarterArbitrary(holdings.length), { minLength: 1, maxLength: 8 }),
  }),
);

it('rolls every holding forward and adds up to the fund and the books, quarter after quarter', () => {
  fc.assert(
    fc.property(fundArbitrary, ({ holdings, quarters }) => {
      const called = holdings.map(() => 0n);
      const repaid = holdings.map(() => 0n);
      let endings = holdings.map(() => 0n);
      let booksMinor = 0n;
      const history: StatementQuarter[][] = holdings.map(() => []);
      for (const quarter of quarters) {
        const input: Holding[] = holdings.map((holding, index) => {
          const commitmentMinor = BigInt(holding.units) * holding.nominalMinor;
          const calledBeforeMinor = called[index]!;
          const contribution = (commitmentMinor * BigInt(quarter.callShares[index]!)) / 100n;
          const callable = commitmentMinor - calledBeforeMinor;
          called[index]! += contribution > callable ? callable : contribution;
          const distributionsMinor = quarter.distributed[index]!;
          repaid[index]! += distributionsMinor;
          return {
            investorId: `investor-${index}`,
            classCode: holding.classCode,
            units: holding.units,
            commitmentMinor,
            beginningMinor: endings[index]!,
            calledBeforeMinor,
            calledMinor: called[index]!,
            repaidMinor: repaid[index]!,
            contributionsMinor: called[index]! - calledBeforeMinor,
            distributionsMinor,
          };
        });
        const capitalMinor = input.reduce((total, one) => total + one.contributionsMinor - one.distributionsMinor, 0n);
        const fundMovesMinor = netChangeMinor({ ...quarter.fundLines, contributions: 0n, distributions: 0n });
        const books = { beginningMinor: booksMinor, endingMinor: booksMinor + capitalMinor + fundMovesMinor };
        const figures = quarterFigures(input, quarter.fundLines, books);
        expect(figures.problems).toEqual([]);
        for (const position of figures.positions)
          expect(position.endingMinor).toBe(position.beginningMinor + netChangeMinor(position.lines));
        for (const name of lineNames)
          expect(figures.positions.reduce((total, one) => total + one.lines[name], 0n)).toBe(figures.fund.lines[name]);
        for (const name of fundLineNames) expect(figures.fund.lines[name]).toBe(quarter.fundLines[name]);
        expect(figures.fund.endingMinor).toBe(books.endingMinor);
        expect(figures.classes.reduce((total, one) => total + one.navMinor, 0n)).toBe(books.endingMinor);
        figures.positions.forEach((position, index) => history[index]!.push({ ...position }));
        endings = figures.positions.map((position) => position.endingMinor);
        booksMinor = books.endingMinor;
        // A cent the books hold that no line explains is caught.
        const off = quarterFigures(input, quarter.fundLines, { ...books, endingMinor: books.endingMinor + 1n });
        expect(off.problems.length).toBeGreaterThan(0);
      }
      for (const quarterly of history) {
        expect(columnAddsUp(columnFrom(quarterly))).toBe(true);
        expect(columnAddsUp(columnFrom(quarterly.slice(-1)))).toBe(true);
        expect(columnAddsUp(columnFrom(quarterly.slice(Math.floor(quarterly.length / 2))))).toBe(true);
      }
    }),
    { numRuns: 200 },
  );
});
