export type AccountType = 'asset' | 'liability' | 'equity' | 'income' | 'expense';

export type ChartAccount = {
  code: string;
  label: string;
  type: AccountType;
  /** Cash and similar accounts may never go below zero: the bank does not lend us money by accident. */
  mayGoNegative: boolean;
};

export type Chart = {
  standard: string;
  accounts: readonly ChartAccount[];
};

/** Compact notation for the chart files: [code, label, type, mayGoNegative?]. */
export function chart(standard: string, rows: readonly [string, string, AccountType, boolean?][]): Chart {
  return {
    standard,
    accounts: rows.map(([code, label, type, mayGoNegative]) => ({
      code,
      label,
      type,
      mayGoNegative: mayGoNegative ?? true,
    })),
  };
}
