import { commonAccounts } from './common';
import { chart } from './types';

/**
 * Endowment fund: règlement ANC n° 2018-06 (associations, foundations and
 * endowment funds), on top of the plan comptable général. Labels are the
 * official ones listed in RULES.md §2.
 */
export const endowmentChart = chart(
  'Règlement ANC n° 2018-06 (plan comptable des associations, fondations et fonds de dotation)',
  [
    ['1023', 'Dotations non consomptibles', 'equity'],
    ['1081', 'Dotations consomptibles', 'equity'],
    ['1089', 'Dotations consomptibles inscrites au compte de résultat', 'equity'],
    ['194', "Fonds dédiés sur subventions d'exploitation", 'liability'],
    ['195', "Fonds dédiés sur contributions financières d'autres organismes", 'liability'],
    ['196', 'Fonds dédiés sur ressources liées à la générosité du public', 'liability'],
    ['4671', 'Bénéficiaires — aides financières à verser', 'liability'],
    ['530', 'Caisse', 'asset', false],
    ['6571', 'Aides financières octroyées', 'expense'],
    ['6895', "Reports en fonds dédiés sur contributions financières d'autres organismes", 'expense'],
    ['6896', 'Reports en fonds dédiés sur ressources liées à la générosité du public', 'expense'],
    ['7532', 'Quotes-parts de dotation consomptible virée au compte de résultat', 'income'],
    ['7541', 'Dons manuels', 'income'],
    ['7542', 'Mécénats', 'income'],
    ['7543', 'Legs, donations et assurances-vie', 'income'],
    ['7551', "Contributions financières d'autres organismes", 'income'],
    ['7895', "Utilisations des fonds dédiés sur contributions financières d'autres organismes", 'income'],
    ['7896', 'Utilisations des fonds dédiés sur ressources liées à la générosité du public', 'income'],
    ...commonAccounts,
  ],
);
