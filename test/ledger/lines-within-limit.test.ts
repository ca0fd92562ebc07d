import { entryLinesMax, linesWithinLimit, type EntryLine } from '../../src/ledger/entries';

/** A register's entry keeps its detail while it fits, and books every cent by account beyond it. */
const perInvestor = (investors: number): EntryLine[] =>
  Array.from({ length: investors }, (_, index) => {
    const due = BigInt(10_000 + index);
    return [
      { accountCode: '4562', amountMinor: due, label: `Porteur ${index}` },
      { accountCode: '109', amountMinor: -due, label: `Porteur ${index}` },
      { accountCode: '1011', amountMinor: due, label: `Porteur ${index}` },
      { accountCode: '1012', amountMinor: -due, label: `Porteur ${index}` },
    ];
  }).flat();

it('keeps the lines of a register while they fit in one entry', () => {
  const lines = perInvestor(entryLinesMax / 4);
  expect(linesWithinLimit(lines, 'Appel n° 1')).toEqual(lines);
});

it('sums them by account beyond the limit, to the cent, the summary as label', () => {
  const lines = perInvestor(entryLinesMax / 4 + 1);
  const due = lines.filter((line) => line.accountCode === '4562').reduce((total, line) => total + line.amountMinor, 0n);
  expect(linesWithinLimit(lines, 'Appel n° 1 : 126 porteurs')).toEqual([
    { accountCode: '4562', amountMinor: due, label: 'Appel n° 1 : 126 porteurs' },
    { accountCode: '109', amountMinor: -due, label: 'Appel n° 1 : 126 porteurs' },
    { accountCode: '1011', amountMinor: due, label: 'Appel n° 1 : 126 porteurs' },
    { accountCode: '1012', amountMinor: -due, label: 'Appel n° 1 : 126 porteurs' },
  ]);
  // An account whose lines cancel out leaves no line.
  const cancelling = [...lines, { accountCode: '4562', amountMinor: -due }, { accountCode: '109', amountMinor: due }];
  expect(linesWithinLimit(cancelling, 'x').map((line) => line.accountCode)).toEqual(['1011', '1012']);
});
