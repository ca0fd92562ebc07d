import { commonAccounts } from './common';
import { chart } from './types';

/**
 * FPCI: accounting of undertakings for collective investment (règlement ANC
 * n° 2014-01, to be confirmed with the fund's auditor), written with PCG roots
 * and official labels where the PCG has one; sub-accounts name the instruments
 * the fund holds (RULES.md §5).
 */
export const fpciChart = chart('Règlement ANC n° 2014-01 (OPC) — racines du plan comptable général', [
  ['1011', 'Capital souscrit — non appelé', 'equity'],
  ['1012', 'Capital souscrit — appelé, non versé', 'equity'],
  ['1013', 'Capital souscrit — appelé, versé', 'equity'],
  ['1041', 'Primes de souscription acquises au fonds', 'equity'],
  ['1071', 'Différences d’estimation du portefeuille', 'equity'],
  ['109', 'Porteurs de parts : capital souscrit — non appelé', 'asset'],
  ['2611', 'Titres de participation — actions', 'asset'],
  ['2612', 'Titres de participation — parts sociales de coopératives', 'asset'],
  ['2721', 'Obligations', 'asset'],
  ['2722', 'Titres participatifs', 'asset'],
  ['2723', 'Titres associatifs', 'asset'],
  ['2741', 'Prêts participatifs', 'asset'],
  ['2780', 'Différences d’estimation sur le portefeuille (juste valeur moins coût)', 'asset'],
  ['404', 'Fournisseurs d’immobilisations — investissements à décaisser', 'liability'],
  ['4081', 'Frais du fonds à payer', 'liability'],
  ['4562', 'Porteurs de parts — capital appelé, non versé', 'asset'],
  ['457', 'Porteurs de parts — distributions à payer', 'liability'],
  ['4571', 'Porteurs de parts — intérêts d’égalisation à reverser', 'liability'],
  ['6281', 'Frais de gestion — société de gestion', 'expense'],
  ['6282', 'Frais de gestion — réductions et compensations', 'expense'],
  ['6283', 'Frais du fonds (dépositaire, commissaire aux comptes, juridiques)', 'expense'],
  ['6284', 'Refacturations internes de la société de gestion', 'expense'],
  ['661', "Charges d'intérêts", 'expense'],
  ['675', "Valeurs comptables des éléments d'actif cédés", 'expense'],
  ['761', 'Produits de participations', 'income'],
  ['762', 'Produits des autres immobilisations financières', 'income'],
  ['775', "Produits des cessions d'éléments d'actif", 'income'],
  ...commonAccounts,
]);
