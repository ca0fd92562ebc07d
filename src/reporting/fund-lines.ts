import type { FundLineName } from './capital-account';

/**
 * The fund's movements of a quarter, from the books, in the capital account's
 * lines: each account of the result (classes 6 and 7), the portfolio's
 * differences of estimation (1071) and the subscription premiums (1041) — the
 * only accounts besides the investors' capital that move the net assets.
 * Amounts as the statement shows them: a fee paid, an income received, a gain
 * made are positive.
 */
const startsWithAny = (code: string, roots: readonly string[]) => roots.some((root) => code.startsWith(root));

const managementFee = ['6281'];
const feeOffset = ['6282'];
const internalChargeback = ['6284'];
const realised = ['775', '675'];

function lineOf(code: string): FundLineName | undefined {
  if (startsWithAny(code, managementFee)) return 'managementFees';
  if (startsWithAny(code, feeOffset)) return 'feeOffsets';
  if (startsWithAny(code, internalChargeback)) return 'internalChargebacks';
  if (startsWithAny(code, realised)) return 'realisedGains';
  if (code.startsWith('6')) return 'fundExpenses';
  if (code.startsWith('7')) return 'income';
  if (code.startsWith('1071')) return 'unrealisedGains';
  if (code.startsWith('1041')) return 'other';
  return undefined;
}

/** Debit-positive movements by account to the fund's lines. */
export function fundLinesFrom(movements: ReadonlyMap<string, bigint>): Record<FundLineName, bigint> {
  const lines: Record<FundLineName, bigint> = {
    managementFees: 0n,
    feeOffsets: 0n,
    fundExpenses: 0n,
    internalChargebacks: 0n,
    income: 0n,
    realisedGains: 0n,
    unrealisedGains: 0n,
    other: 0n,
  };
  for (const [code, debitMinor] of movements) {
    const line = lineOf(code);
    if (!line) continue;
    // Expenses are debits (a fee paid positive); an offset, income, a gain or a premium are credits.
    const expense = line === 'managementFees' || line === 'fundExpenses' || line === 'internalChargebacks';
    lines[line] += expense ? debitMinor : -debitMinor;
  }
  return lines;
}
