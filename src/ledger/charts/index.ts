import { endowmentChart } from './endowment';
import { fpciChart } from './fpci';
import { guaranteeChart } from './guarantee';
import type { Chart } from './types';

export type FundKind = 'endowment' | 'fpci' | 'guarantee';

export const chartsByFundKind: Record<FundKind, Chart> = {
  endowment: endowmentChart,
  fpci: fpciChart,
  guarantee: guaranteeChart,
};

export const journals: readonly { code: string; label: string }[] = [
  { code: 'AN', label: 'À nouveaux' },
  { code: 'BQ', label: 'Banque' },
  { code: 'OD', label: 'Opérations diverses' },
  { code: 'DONS', label: 'Dons et mécénat' },
  { code: 'AIDES', label: 'Aides financières octroyées' },
  { code: 'INV', label: 'Investissements' },
  { code: 'PARTS', label: 'Porteurs de parts : souscriptions, appels, distributions' },
  { code: 'GAR', label: 'Garanties' },
];

export * from './types';
export * from './common';
