import type { DocumentDefinition } from '../src/documents/pdf';
import { formatFrenchDay } from '../src/time';
import { shownAmount } from '../src/web/components';

/**
 * An investor's quarterly statement in the shape of ILPA's capital-account
 * statement (2025 template): the capital account for the quarter, the year to
 * date and since inception, side by side; commitment and unfunded; the
 * investor's performance and the fund's; the portfolio's summary; the chart
 * of its NAV and paid-in over the quarters. Amounts come as API euro strings.
 */
export type StatementColumn = { beginning: string; lines: Record<string, string>; ending: string };

export type QuarterlyStatementData = {
  fund: { name: string; siren: string; manager: string };
  investor: { name: string; address: string };
  quarterEnd: string;
  lineLabels: { key: string; label: string; sign: '+' | '-' }[];
  labels: { beginning: string; ending: string };
  columns: { quarter: StatementColumn; yearToDate: StatementColumn; sinceInception: StatementColumn };
  commitment: string;
  unfunded: { quarter: string; yearToDate: string; sinceInception: string; ending: string };
  classes: { classCode: string; units: number; navPerUnit: string; nav: string }[];
  performance: { label: string; investor: string; fund: string }[];
  gross: { irr: string; moic: string };
  portfolio: { name: string; instrument: string; cost: string; value: string; moic: string }[];
  chartSvg: string | null;
};

// Signed: a loss or a gain given back shows with its minus.
const money = (apiAmount: string) => shownAmount(apiAmount);
const right = (text: string, bold = false) => ({ text, alignment: 'right' as const, bold });
const header = (text: string) => ({ text, bold: true, fillColor: '#eef3f1' });

function capitalAccountTable(data: QuarterlyStatementData) {
  const { quarter, yearToDate, sinceInception } = data.columns;
  const columns = [quarter, yearToDate, sinceInception];
  const amounts = (pick: (column: StatementColumn) => string, bold = false) =>
    columns.map((column) => right(money(pick(column)), bold));
  return {
    table: {
      headerRows: 1,
      widths: ['*', 90, 90, 90],
      body: [
        [header('Compte de capital'), right('Trimestre', true), right('Année', true), right('Depuis l’origine', true)],
        [{ text: data.labels.beginning, bold: true }, ...amounts((column) => column.beginning, true)],
        ...data.lineLabels.map((line) => [
          `${line.sign === '-' ? '− ' : '+ '}${line.label}`,
          ...amounts((column) => column.lines[line.key]!),
        ]),
        [{ text: data.labels.ending, bold: true }, ...amounts((column) => column.ending, true)],
        ['Engagement', ...[1, 2, 3].map(() => right(money(data.commitment)))],
        [
          'Non appelé en début de période',
          right(money(data.unfunded.quarter)),
          right(money(data.unfunded.yearToDate)),
          right(money(data.unfunded.sinceInception)),
        ],
        ['Non appelé en fin de période', ...[1, 2, 3].map(() => right(money(data.unfunded.ending)))],
      ],
    },
    layout: 'lightHorizontalLines',
  };
}

function classesTable(classes: QuarterlyStatementData['classes']) {
  return {
    table: {
      headerRows: 1,
      widths: ['auto', '*', '*', '*'],
      body: [
        [
          header('Parts'),
          right('Nombre', true),
          right('Valeur liquidative par part', true),
          right('Votre valeur', true),
        ],
        ...classes.map((one) => [
          one.classCode,
          right(String(one.units)),
          right(`${one.navPerUnit.replace('.', ',')} €`),
          right(money(one.nav)),
        ]),
      ],
    },
    layout: 'lightHorizontalLines',
  };
}

function performanceTable(data: QuarterlyStatementData) {
  return {
    table: {
      headerRows: 1,
      widths: ['*', 110, 110],
      body: [
        [header('Performance depuis l’origine'), right('Vous', true), right('Le fonds (net)', true)],
        ...data.performance.map((line) => [line.label, right(line.investor), right(line.fund)]),
      ],
    },
    layout: 'lightHorizontalLines',
  };
}

function portfolioTable(data: QuarterlyStatementData) {
  return {
    table: {
      headerRows: 1,
      widths: ['*', 'auto', 80, 80, 50],
      body: [
        [
          header('Investissement'),
          header('Instrument'),
          right('Coût', true),
          right('Valeur', true),
          right('Multiple', true),
        ],
        ...data.portfolio.map((one) => [
          one.name,
          one.instrument,
          right(money(one.cost)),
          right(money(one.value)),
          right(one.moic),
        ]),
      ],
    },
    layout: 'lightHorizontalLines',
  };
}

export function quarterlyStatement(data: QuarterlyStatementData): DocumentDefinition & { info: { title: string } } {
  const quarter = formatFrenchDay(data.quarterEnd);
  return {
    info: { title: `Relevé trimestriel au ${quarter} — ${data.investor.name}`, subject: data.fund.name },
    content: [
      { text: `Relevé de compte de capital au ${quarter}`, style: 'title' },
      {
        text: `${data.fund.name} — SIREN ${data.fund.siren} — géré par ${data.fund.manager}`,
        style: 'small',
        margin: [0, 0, 0, 12],
      },
      { text: data.investor.name, bold: true },
      ...(data.investor.address ? [{ text: data.investor.address }] : []),
      { text: 'Votre compte de capital', style: 'heading' },
      capitalAccountTable(data),
      { text: 'Vos parts', style: 'heading' },
      classesTable(data.classes),
      { text: 'Performance', style: 'heading' },
      performanceTable(data),
      {
        text: `Portefeuille (brut des frais du fonds) : TRI ${data.gross.irr}, multiple ${data.gross.moic}.`,
        margin: [0, 6, 0, 0],
      },
      ...(data.chartSvg
        ? [
            { text: 'Votre valeur liquidative et vos apports', style: 'heading' },
            { svg: data.chartSvg, width: 460 },
          ]
        : []),
      { text: 'Le portefeuille du fonds', style: 'heading' },
      portfolioTable(data),
      {
        text: 'Les investissements sont évalués à leur juste valeur selon les lignes directrices IPEV ; la part des plus-values revenant aux parts de carried interest n’est pas provisionnée dans ces valeurs.',
        style: 'small',
        margin: [0, 12, 0, 0],
      },
    ],
  };
}
