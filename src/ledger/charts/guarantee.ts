import { commonAccounts } from './common';
import { chart } from './types';

/**
 * ESS guarantee fund: plan comptable général (règlement ANC n° 2014-03), with
 * the guarantees given kept off balance sheet in class 8 as French guarantee
 * funds do (RULES.md §6).
 */
export const guaranteeChart = chart(
  'Plan comptable général (règlement ANC n° 2014-03), engagements hors bilan en classe 8',
  [
    ['1025', 'Dotations des contributeurs au fonds de garantie', 'equity'],
    ['1518', 'Provisions pour pertes attendues sur garanties', 'liability'],
    ['4672', 'Prêteurs partenaires — appels en garantie à payer', 'liability'],
    ['4673', 'Prêteurs partenaires — récupérations à reverser', 'liability'],
    ['6581', 'Appels en garantie payés', 'expense'],
    ['6815', "Dotations aux provisions pour risques et charges d'exploitation", 'expense'],
    ['7061', 'Commissions de garantie', 'income'],
    ['7588', 'Récupérations sur appels en garantie', 'income'],
    ['7815', "Reprises sur provisions pour risques et charges d'exploitation", 'income'],
    ['8011', 'Engagements de garantie donnés', 'asset'],
    ['8091', 'Contrepartie des engagements de garantie donnés', 'liability'],
    ...commonAccounts,
  ],
);
