import fc from 'fast-check';
import { reconcile, type BankLineFacts, type ExpectedItem, type Proposal } from '../../src/treasury/matcher';

/** The matcher alone: each pass on a small statement, then generated statements of N payments. */
const line = (
  id: string,
  amountMinor: bigint,
  bookingDate: string,
  facts: Partial<BankLineFacts> = {},
): BankLineFacts => ({
  id,
  amountMinor,
  bookingDate,
  endToEndId: null,
  structuredReference: null,
  counterpartyIban: null,
  returnReason: null,
  text: null,
  ...facts,
});
const transfer = (id: string, amountMinor: bigint, date: string, facts: Partial<ExpectedItem> = {}): ExpectedItem => ({
  type: 'disbursement',
  id,
  key: `E2E-${id}`,
  action: 'settle',
  amountMinor: -amountMinor,
  date,
  label: `Bénéficiaire ${id}`,
  endToEndId: `E2E-${id}`,
  counterpartyIban: 'FR7630006000011234567890189',
  ...facts,
});
const summary = (proposals: Proposal[]) =>
  proposals.map((proposal) => [
    proposal.method,
    proposal.lineIds,
    proposal.items.map((item) => `${item.action}:${item.id}`),
    proposal.confidence,
  ]);

it('takes the end-to-end id first, and a credit quoting it with a reason code as its return', () => {
  const settle = transfer('a', 75_000n, '2026-11-02');
  const returnable: ExpectedItem = { ...settle, action: 'return', amountMinor: 75_000n };
  const proposals = reconcile(
    [
      line('debit', -75_000n, '2026-11-03', { endToEndId: 'E2E-a', counterpartyIban: 'FR7630006000011234567890189' }),
      line('back', 75_000n, '2026-11-06', { endToEndId: 'E2E-a', returnReason: 'AC04' }),
      line('other', -75_000n, '2026-11-03', { endToEndId: 'E2E-a' }),
    ],
    [settle, returnable],
  );
  expect(summary(proposals)).toEqual([
    ['end-to-end', ['debit'], ['settle:a'], '1.00'],
    ['end-to-end', ['back'], ['return:a'], '1.00'],
  ]);
  expect(proposals[1]!.reason).toContain('AC04');
});

it('does not settle from an end-to-end id whose amount differs', () => {
  expect(
    reconcile(
      [line('debit', -74_999n, '2026-11-03', { endToEndId: 'E2E-a' })],
      [transfer('a', 75_000n, '2026-11-02', { counterpartyIban: null })],
    ),
  ).toEqual([]);
});

it('pairs a structured reference with one line, or with the instalments that together pay it', () => {
  const pledge = (id: string, amountMinor: bigint): ExpectedItem => ({
    type: 'expected-receipt',
    id,
    key: id,
    action: 'receive',
    amountMinor,
    date: '2026-11-10',
    label: 'Don annoncé',
    structuredReference: `RF18${id.toUpperCase()}`,
  });
  const proposals = reconcile(
    [
      line('one', 50_000n, '2026-11-09', { structuredReference: 'RF18ONE' }),
      line('part-1', 30_000n, '2026-11-09', { structuredReference: 'RF18SPLIT' }),
      line('part-2', 70_000n, '2026-11-20', { structuredReference: 'RF18SPLIT' }),
      line('short', 10_000n, '2026-11-09', { structuredReference: 'RF18SHORT' }),
    ],
    [pledge('one', 50_000n), pledge('split', 100_000n), pledge('short', 20_000n)],
  );
  expect(summary(proposals)).toEqual([
    ['structured-reference', ['one'], ['receive:one'], '0.95'],
    ['instalments', ['part-1', 'part-2'], ['receive:split'], '0.90'],
  ]);
});

it('matches amount and counterparty IBAN within the date window, and says when another item was possible', () => {
  const iban = 'DE89370400440532013000';
  const proposals = reconcile(
    [
      line('near', -20_000n, '2026-11-12', { counterpartyIban: 'DE89 3704 0044 0532 0130 00' }),
      line('late', -20_000n, '2026-11-30', { counterpartyIban: iban }),
      line('twin', -30_000n, '2026-11-10', { counterpartyIban: iban }),
    ],
    [
      transfer('x', 20_000n, '2026-11-10', { counterpartyIban: iban }),
      transfer('y', 30_000n, '2026-11-09', { counterpartyIban: iban }),
      transfer('z', 30_000n, '2026-11-11', { counterpartyIban: iban }),
    ],
  );
  expect(summary(proposals)).toEqual([
    ['amount-counterparty-date', ['twin'], ['settle:y'], '0.60'],
    ['amount-counterparty-date', ['near'], ['settle:x'], '0.80'],
  ]);
});

it('settles a whole payment batch from the one line the bank booked for it', () => {
  const group = { id: 'batch-1', reference: 'MIL-DOTATION-ABC' };
  const members = [
    transfer('a', 100_000n, '2026-11-06', { group, counterpartyIban: null }),
    transfer('b', 200_000n, '2026-11-06', { group, counterpartyIban: null }),
  ];
  const [proposal] = reconcile(
    [line('batch', -300_000n, '2026-11-07', { text: 'REMISE VIREMENTS MIL-DOTATION-ABC' })],
    members,
  );
  expect(summary([proposal!])).toEqual([['batch-booking', ['batch'], ['settle:a', 'settle:b'], '0.95']]);
  expect(reconcile([line('batch', -300_000n, '2026-11-20')], members)).toEqual([]);
});

it('points an entry already in the books by amount and date, after every surer pass', () => {
  const entry: ExpectedItem = {
    type: 'entry',
    id: '42',
    key: '42',
    action: 'point',
    amountMinor: 25_000n,
    date: '2026-11-02',
    label: 'Don — Martin Élise',
  };
  const pledge: ExpectedItem = {
    type: 'expected-receipt',
    id: 'p',
    key: 'p',
    action: 'receive',
    amountMinor: 25_000n,
    date: '2026-11-02',
    label: 'Don annoncé',
    structuredReference: 'RF18P',
  };
  expect(
    summary(
      reconcile(
        [
          line('credit', 25_000n, '2026-11-03'),
          line('quoted', 25_000n, '2026-11-03', { structuredReference: 'RF18P' }),
        ],
        [entry, pledge],
      ),
    ),
  ).toEqual([
    ['structured-reference', ['quoted'], ['receive:p'], '0.95'],
    ['amount-date', ['credit'], ['point:42'], '0.60'],
  ]);
});

/**
 * A generated statement: payments (some with our end-to-end id on the line,
 * some without it, some returned), batches booked per transfer or as one line,
 * pledges paid at once, in instalments or without their reference, and entries
 * the books already hold — shuffled. Every line and every expected item is
 * matched exactly once, and each match adds up.
 */
type Shape = 'e2e' | 'bare' | 'returned';
const day = (offset: number) => new Date(Date.UTC(2026, 0, 1 + offset)).toISOString().slice(0, 10);
const ibans = ['FR7630006000011234567890189', 'DE89370400440532013000', 'BE68539007547034'];

const scenario = fc.record({
  payments: fc.array(
    fc.record({
      shape: fc.constantFrom<Shape>('e2e', 'bare', 'returned'),
      amount: fc.constantFrom(1_000n, 2_500n, 7_500n, 12_345n),
      iban: fc.integer({ min: 0, max: 2 }),
      day: fc.integer({ min: 0, max: 60 }),
      shift: fc.integer({ min: -3, max: 3 }),
    }),
    { maxLength: 120 },
  ),
  batches: fc.array(
    fc.record({
      size: fc.integer({ min: 2, max: 5 }),
      day: fc.integer({ min: 0, max: 60 }),
      asOneLine: fc.boolean(),
      quoted: fc.boolean(),
    }),
    { maxLength: 15 },
  ),
  pledges: fc.array(
    fc.record({
      paid: fc.constantFrom('at-once', 'instalments', 'without-reference'),
      day: fc.integer({ min: 0, max: 60 }),
      shift: fc.integer({ min: -3, max: 3 }),
    }),
    { maxLength: 40 },
  ),
  entries: fc.array(
    fc.record({
      day: fc.integer({ min: 0, max: 60 }),
      shift: fc.integer({ min: -3, max: 3 }),
      sameAmountAsPrevious: fc.boolean(),
    }),
    { maxLength: 40 },
  ),
  order: fc.array(fc.nat(), { minLength: 1 }),
});

it('matches every payment of a generated statement exactly once', () => {
  fc.assert(
    fc.property(scenario, ({ payments, batches, pledges, entries, order }) => {
      const lines: BankLineFacts[] = [];
      const items: ExpectedItem[] = [];
      let unique = 1_000_000n;
      payments.forEach((payment, index) => {
        const item = transfer(`p${index}`, payment.amount, day(payment.day), {
          counterpartyIban: ibans[payment.iban]!,
        });
        items.push(item, { ...item, action: 'return', amountMinor: payment.amount });
        const booked = day(payment.day + payment.shift);
        lines.push(
          line(`l-p${index}`, -payment.amount, booked, {
            endToEndId: payment.shape === 'bare' ? null : item.endToEndId!,
            counterpartyIban: ibans[payment.iban]!,
          }),
        );
        if (payment.shape === 'returned')
          lines.push(
            line(`l-back${index}`, payment.amount, day(payment.day + 4), {
              endToEndId: item.endToEndId!,
              returnReason: 'AC04',
            }),
          );
      });
      batches.forEach((batch, index) => {
        const group = { id: `b${index}`, reference: `MSG-${index}` };
        const members = Array.from({ length: batch.size }, (_, member) =>
          transfer(`b${index}-${member}`, (unique += 7n), day(batch.day), { group, counterpartyIban: null }),
        );
        items.push(...members);
        if (batch.asOneLine)
          lines.push(
            line(
              `l-b${index}`,
              members.reduce((total, member) => total + member.amountMinor, 0n),
              day(batch.day + 1),
              { text: batch.quoted ? `REMISE ${group.reference}` : null },
            ),
          );
        else
          members.forEach((member) =>
            lines.push(
              line(`l-${member.id}`, member.amountMinor, day(batch.day + 1), { endToEndId: member.endToEndId! }),
            ),
          );
      });
      pledges.forEach((pledge, index) => {
        const amount = (unique += 11n) * 3n;
        const reference = `RF18PLEDGE${index}`;
        items.push({
          type: 'expected-receipt',
          id: `r${index}`,
          key: `r${index}`,
          action: 'receive',
          amountMinor: amount,
          date: day(pledge.day),
          label: 'Don annoncé',
          structuredReference: reference,
          counterpartyIban: 'FR7610107001011234567890129',
        });
        const booked = day(pledge.day + pledge.shift);
        if (pledge.paid === 'at-once')
          lines.push(line(`l-r${index}`, amount, booked, { structuredReference: reference }));
        if (pledge.paid === 'without-reference')
          lines.push(line(`l-r${index}`, amount, booked, { counterpartyIban: 'FR76 1010 7001 0112 3456 7890 129' }));
        if (pledge.paid === 'instalments')
          [amount / 3n, amount - amount / 3n].forEach((part, instalment) =>
            lines.push(
              line(`l-r${index}-${instalment}`, part, day(pledge.day + instalment * 20), {
                structuredReference: reference,
              }),
            ),
          );
      });
      let entryAmount = 0n;
      entries.forEach((entry, index) => {
        if (!entry.sameAmountAsPrevious || entryAmount === 0n) entryAmount = (unique += 13n) * 5n;
        items.push({
          type: 'entry',
          id: `e${index}`,
          key: `e${index}`,
          action: 'point',
          amountMinor: entryAmount,
          date: day(entry.day),
          label: 'Écriture',
        });
        lines.push(line(`l-e${index}`, entryAmount, day(entry.day + entry.shift)));
      });
      const shuffled = lines
        .map((value, index) => ({ value, rank: order[index % order.length]! * lines.length + index }))
        .sort((a, b) => a.rank - b.rank)
        .map(({ value }) => value);

      const proposals = reconcile(shuffled, items);
      const linesMatched = proposals.flatMap((proposal) => proposal.lineIds);
      expect(linesMatched.sort()).toEqual(lines.map((value) => value.id).sort());
      const expectedOnce = items.filter(
        (item) =>
          item.action !== 'return' || lines.some((value) => value.returnReason && value.endToEndId === item.endToEndId),
      );
      expect(proposals.flatMap((proposal) => proposal.items.map((item) => `${item.action}:${item.id}`)).sort()).toEqual(
        expectedOnce.map((item) => `${item.action}:${item.id}`).sort(),
      );
      const byId = new Map(lines.map((value) => [value.id, value]));
      for (const proposal of proposals) {
        expect(proposal.lineIds.reduce((total, id) => total + byId.get(id)!.amountMinor, 0n)).toBe(
          proposal.items.reduce((total, item) => total + item.amountMinor, 0n),
        );
      }
    }),
    { numRuns: 300 },
  );
});
