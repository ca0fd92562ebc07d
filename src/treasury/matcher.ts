import { euros, formatFrench } from '../money';

/**
 * Reconciling a bank statement with what the fund expects: pure, no I/O, so
 * that it can be proven on generated statements and measured alone. Passes run
 * from the surest evidence to the weakest, and what one pass matched is out of
 * the next: end-to-end id; structured creditor reference (one line, or several
 * lines paying one item); amount, counterparty IBAN and a date window; one line
 * paying a whole payment batch; amount and date alone against the books.
 * Every pass works on hash maps and sorted lists: near n log n in the number of
 * lines and items.
 */
export type MatchMethod =
  'end-to-end' | 'structured-reference' | 'instalments' | 'amount-counterparty-date' | 'batch-booking' | 'amount-date';
export type MatchAction = 'settle' | 'return' | 'receive' | 'point';

export type BankLineFacts = {
  id: string;
  /** Positive when money came in. */
  amountMinor: bigint;
  bookingDate: string;
  endToEndId: string | null;
  structuredReference: string | null;
  counterpartyIban: string | null;
  returnReason: string | null;
  /** The bank's own words on the line (remittance, additional information, its reference). */
  text: string | null;
};

export type ExpectedItem = {
  type: 'disbursement' | 'expected-receipt' | 'capital-call' | 'subscription' | 'entry';
  id: string;
  /** What is matched once for an action: a transfer's end-to-end id, an expected receipt's, an awaited call payment's or an entry's id. */
  key: string;
  action: MatchAction;
  /** Signed as the bank shows it: an outgoing transfer is negative. */
  amountMinor: bigint;
  date: string;
  label: string;
  endToEndId?: string | null;
  structuredReference?: string | null;
  counterpartyIban?: string | null;
  /** Items the bank may book as one line (a payment batch), and the reference it may quote (the file's message id). */
  group?: { id: string; reference: string } | null;
};

export type Proposal = {
  method: MatchMethod;
  lineIds: string[];
  items: ExpectedItem[];
  reason: string;
  confidence: string;
};

export const defaultWindowDays = 5;
// Statements repeat the same few dates: each is parsed once.
const dayNumbers = new Map<string, number>();
function dayNumber(isoDate: string): number {
  let day = dayNumbers.get(isoDate);
  if (day === undefined) {
    day = Math.round(Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000);
    if (dayNumbers.size > 100_000) dayNumbers.clear();
    dayNumbers.set(isoDate, day);
  }
  return day;
}
const inDateOrder = (lines: Iterable<BankLineFacts>) =>
  [...lines].sort((a, b) => (a.bookingDate < b.bookingDate ? -1 : a.bookingDate > b.bookingDate ? 1 : 0));
const normalisedIban = (iban: string | null | undefined) =>
  !iban ? null : /[\sa-z]/.test(iban) ? iban.replace(/\s/g, '').toUpperCase() : iban;
const euroText = (minor: bigint) => formatFrench(euros(minor < 0n ? -minor : minor));

function groupBy<T, K = string>(values: Iterable<T>, keyOf: (value: T) => K | null): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const value of values) {
    const key = keyOf(value);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}

export function reconcile(
  lines: readonly BankLineFacts[],
  items: readonly ExpectedItem[],
  windowDays = defaultWindowDays,
): Proposal[] {
  const proposals: Proposal[] = [];
  const openLines = new Set(lines);
  const openItems = new Set(items);
  const propose = (
    method: MatchMethod,
    matchedLines: BankLineFacts[],
    matchedItems: ExpectedItem[],
    reason: string,
    confidence: string,
  ) => {
    matchedLines.forEach((line) => openLines.delete(line));
    matchedItems.forEach((item) => openItems.delete(item));
    proposals.push({ method, lineIds: matchedLines.map((line) => line.id), items: matchedItems, reason, confidence });
  };
  /**
   * Open items sharing a key, by date. Lines must then come in date order: each
   * takes the earliest open item of its window, which pairs every line with an
   * item whenever that is possible at all (windows of equal width, both sides
   * sorted), and lets a cursor skip what earlier lines took or left behind.
   */
  const windowedCandidates = (keyOf: (item: ExpectedItem) => string | null) => {
    const lists = new Map(
      [...groupBy(openItems, keyOf)].map(([key, list]) => [
        key,
        list
          .map((item) => ({ item, day: dayNumber(item.date) }))
          .sort((a, b) => a.day - b.day || (a.item.id < b.item.id ? -1 : 1)),
      ]),
    );
    const cursors = new Map<string, number>();
    return (key: string, line: BankLineFacts): { item: ExpectedItem; othersInWindow: boolean } | null => {
      const list = lists.get(key);
      if (!list) return null;
      const day = dayNumber(line.bookingDate);
      let index = cursors.get(key) ?? 0;
      while (index < list.length && (list[index]!.day < day - windowDays || !openItems.has(list[index]!.item)))
        index += 1;
      cursors.set(key, index);
      const chosen = list[index];
      if (!chosen || chosen.day > day + windowDays) return null;
      return { item: chosen.item, othersInWindow: index + 1 < list.length && list[index + 1]!.day <= day + windowDays };
    };
  };

  // 1. Our own transfers, by the end-to-end id we gave them; a credit quoting one with a reason code is its return.
  const byEndToEnd = groupBy(items, (item) => item.endToEndId ?? null);
  for (const line of lines) {
    if (!line.endToEndId) continue;
    const action = line.returnReason ? 'return' : 'settle';
    const item = byEndToEnd
      .get(line.endToEndId)
      ?.find(
        (candidate) =>
          candidate.action === action && candidate.amountMinor === line.amountMinor && openItems.has(candidate),
      );
    if (!item) continue;
    propose(
      'end-to-end',
      [line],
      [item],
      line.returnReason
        ? `Retour de la banque (motif ${line.returnReason}) sur la référence de bout en bout ${line.endToEndId}`
        : `Même référence de bout en bout (${line.endToEndId}) et même montant`,
      '1.00',
    );
  }

  // 2. The structured creditor reference the payer quoted: one line, or several lines that together pay the item.
  const byReference = groupBy(openItems, (item) =>
    item.action === 'return' ? null : (item.structuredReference ?? null),
  );
  const linesByReference = groupBy(openLines, (line) => line.structuredReference);
  for (const [reference, referenced] of linesByReference) {
    const candidates = byReference.get(reference);
    if (!candidates || candidates.length !== 1) continue;
    const item = candidates[0]!;
    const exact = referenced.find((line) => line.amountMinor === item.amountMinor);
    if (exact) {
      propose('structured-reference', [exact], [item], `Référence structurée ${reference} et même montant`, '0.95');
      continue;
    }
    const sameDirection = referenced.filter((line) => line.amountMinor > 0n === item.amountMinor > 0n);
    if (
      sameDirection.length > 1 &&
      sameDirection.reduce((total, line) => total + line.amountMinor, 0n) === item.amountMinor
    ) {
      propose(
        'instalments',
        sameDirection,
        [item],
        `${sameDirection.length} versements portant la référence ${reference} font ensemble ${euroText(item.amountMinor)}`,
        '0.90',
      );
    }
  }

  // 3. Same amount from (or to) the expected counterparty's IBAN, within the date window.
  const byAmountAndIban = windowedCandidates((item) =>
    item.action === 'return' || !item.counterpartyIban
      ? null
      : `${item.amountMinor}|${normalisedIban(item.counterpartyIban)}`,
  );
  for (const line of inDateOrder(openLines)) {
    const iban = normalisedIban(line.counterpartyIban);
    const found = iban ? byAmountAndIban(`${line.amountMinor}|${iban}`, line) : null;
    if (!found) continue;
    propose(
      'amount-counterparty-date',
      [line],
      [found.item],
      `Même montant, même IBAN (${iban}), attendu le ${found.item.date}${found.othersInWindow ? ' ; d’autres attendus de même montant sont possibles' : ''}`,
      found.othersInWindow ? '0.60' : '0.80',
    );
  }

  // 4. One line for a whole batch: the bank booked our file as one debit.
  const groups = groupBy(openItems, (item) => (item.action === 'settle' && item.group ? item.group.id : null));
  const batchesByTotal = groupBy(
    [...groups.values()].filter((members) => members.length > 1),
    (members) => String(members.reduce((total, item) => total + item.amountMinor, 0n)),
  );
  for (const line of [...openLines]) {
    const batches = batchesByTotal.get(String(line.amountMinor));
    if (!batches) continue;
    const day = dayNumber(line.bookingDate);
    const batch = batches.find(
      (members) =>
        members.every((item) => openItems.has(item)) && Math.abs(dayNumber(members[0]!.date) - day) <= windowDays,
    );
    if (!batch) continue;
    const reference = batch[0]!.group!.reference;
    const quoted = line.text?.includes(reference) ?? false;
    propose(
      'batch-booking',
      [line],
      batch,
      `Une ligne de ${euroText(line.amountMinor)} pour les ${batch.length} virements du lot ${reference}${quoted ? ', qu’elle cite' : ''}`,
      quoted ? '0.95' : '0.75',
    );
  }

  // 5. What the books already hold (a gift recorded by hand): same amount, within the date window.
  const entriesByAmount = windowedCandidates((item) => (item.action === 'point' ? String(item.amountMinor) : null));
  for (const line of inDateOrder(openLines)) {
    const found = entriesByAmount(String(line.amountMinor), line);
    if (!found) continue;
    propose(
      'amount-date',
      [line],
      [found.item],
      `Écriture « ${found.item.label} » du ${found.item.date}, même montant${found.othersInWindow ? ' ; d’autres écritures de même montant sont possibles' : ''}`,
      found.othersInWindow ? '0.40' : '0.60',
    );
  }
  return proposals;
}
