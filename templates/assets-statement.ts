import type { DocumentDefinition } from '../src/documents/pdf';
import { formatFrenchDay } from '../src/time';
import { shownAmount } from '../src/web/components';

/**
 * The half-yearly statement of assets (composition de l'actif, CMF
 * L214-24-49): the inventory with quantities and values, the other assets and
 * the payables, the net assets, the units and NAV per unit of each class, the
 * off-balance-sheet commitments. Amounts come as API euro strings.
 */
export type AssetsStatementData = {
  fund: { name: string; siren: string };
  halfYearEnd: string;
  inventory: { name: string; instrument: string; quantity: number | null; cost: string; value: string }[];
  portfolio: string;
  cash: string;
  receivables: string;
  payables: string;
  netAssets: string;
  classes: { classCode: string; units: number; nav: string; navPerUnit: string }[];
  offBalanceSheet: { uncalledCommitments: string; undrawnInvestments: string; guarantees: string };
};

const right = (text: string, bold = false) => ({ text, alignment: 'right' as const, bold });
const header = (text: string) => ({ text, bold: true, fillColor: '#eef3f1' });
const row = (label: string, value: string, bold = false) => [{ text: label, bold }, right(shownAmount(value), bold)];

function inventoryTable(data: AssetsStatementData) {
  return {
    table: {
      headerRows: 1,
      widths: ['*', 'auto', 60, 80, 80],
      body: [
        [header('Ligne'), header('Instrument'), right('Quantité', true), right('Coût', true), right('Valeur', true)],
        ...data.inventory.map((one) => [
          one.name,
          one.instrument,
          right(one.quantity === null ? '—' : String(one.quantity)),
          right(shownAmount(one.cost)),
          right(shownAmount(one.value)),
        ]),
      ],
    },
    layout: 'lightHorizontalLines',
  };
}

export function assetsStatement(data: AssetsStatementData): DocumentDefinition & { info: { title: string } } {
  const date = formatFrenchDay(data.halfYearEnd);
  return {
    info: { title: `Composition de l’actif au ${date} — ${data.fund.name}`, subject: data.fund.name },
    content: [
      { text: `Composition de l’actif au ${date}`, style: 'title' },
      { text: `${data.fund.name} — SIREN ${data.fund.siren}`, style: 'small', margin: [0, 0, 0, 12] },
      { text: 'Inventaire du portefeuille', style: 'heading' },
      inventoryTable(data),
      { text: 'Actif net', style: 'heading' },
      {
        table: {
          widths: ['*', 110],
          body: [
            row('Portefeuille à sa valeur', data.portfolio),
            row('Disponibilités', data.cash),
            row('Créances', data.receivables),
            row('Dettes (à déduire)', data.payables),
            row('Actif net', data.netAssets, true),
          ],
        },
        layout: 'lightHorizontalLines',
      },
      { text: 'Parts', style: 'heading' },
      {
        table: {
          headerRows: 1,
          widths: ['auto', '*', '*', '*'],
          body: [
            [
              header('Catégorie'),
              right('Nombre de parts', true),
              right('Actif net', true),
              right('Valeur liquidative', true),
            ],
            ...data.classes.map((one) => [
              one.classCode,
              right(String(one.units)),
              right(shownAmount(one.nav)),
              right(`${one.navPerUnit.replace('.', ',')} €`),
            ]),
          ],
        },
        layout: 'lightHorizontalLines',
      },
      { text: 'Engagements hors bilan', style: 'heading' },
      {
        table: {
          widths: ['*', 110],
          body: [
            row('Engagements des porteurs non appelés', data.offBalanceSheet.uncalledCommitments),
            row('Investissements signés non décaissés', data.offBalanceSheet.undrawnInvestments),
            row('Garanties données', data.offBalanceSheet.guarantees),
          ],
        },
        layout: 'lightHorizontalLines',
      },
    ],
  };
}
