import type { DocumentDefinition } from '../src/documents/pdf';
import { formatFrench, parseApiAmount } from '../src/money';
import { formatFrenchDay } from '../src/time';

/**
 * A distribution notice in the shape of ILPA's 2025 notice template: the fund
 * section, the investor section (commitment, paid in, distributed before and
 * after, unfunded, the investor's share of the fund), the transaction table —
 * repayment of paid-in capital, income, gain, by class of units — and how the
 * money comes (the bank details it is paid to, the reference the transfer bears).
 */
export type DistributionNoticeData = {
  fund: { name: string; siren: string; manager: string };
  distribution: { number: number; bookedOn: string; totalDistributed: string };
  investor: { name: string; address: string | null };
  position: {
    commitment: string;
    paidIn: string;
    distributedBefore: string;
    thisDistribution: string;
    distributedAfter: string;
    unfunded: string;
    sharePercent: string;
  };
  lines: { classCode: string; repayment: string; income: string; gain: string; total: string }[];
  payment: { ibanEnd: string | null; reference: string };
};

const money = (apiAmount: string) => formatFrench(parseApiAmount(apiAmount));
const right = (text: string, bold = false) => ({ text, alignment: 'right' as const, bold });
const row = (label: string, value: string) => [label, right(value)];

function positionTable(position: DistributionNoticeData['position']) {
  return {
    table: {
      widths: ['*', 'auto'],
      body: [
        row('Engagement', money(position.commitment)),
        row('Versé au fonds (libéré)', money(position.paidIn)),
        row('Distribué avant cette distribution', money(position.distributedBefore)),
        row('Cette distribution', money(position.thisDistribution)),
        row('Distribué après cette distribution', money(position.distributedAfter)),
        row('Non appelé', money(position.unfunded)),
        row('Votre part des engagements du fonds', `${position.sharePercent} %`),
      ],
    },
  };
}

/** The transaction table: by class of units, repayment of paid-in capital, income and gain. */
function linesTable(lines: DistributionNoticeData['lines'], total: string) {
  return {
    table: {
      headerRows: 1,
      widths: ['auto', '*', '*', '*', '*'],
      body: [
        [
          { text: 'Parts', bold: true },
          right('Remboursement d’apport', true),
          right('Revenus', true),
          right('Plus-values', true),
          right('Total', true),
        ],
        ...lines.map((line) => [
          line.classCode,
          right(money(line.repayment)),
          right(money(line.income)),
          right(money(line.gain)),
          right(money(line.total)),
        ]),
        [{ text: 'Total qui vous revient', bold: true, colSpan: 4 }, '', '', '', right(money(total), true)],
      ],
    },
  };
}

export function distributionNotice(data: DistributionNoticeData): DocumentDefinition & { info: { title: string } } {
  const { position } = data;
  return {
    info: { title: `Distribution n° ${data.distribution.number} — ${data.investor.name}`, subject: data.fund.name },
    content: [
      { text: `Avis de distribution n° ${data.distribution.number}`, style: 'title' },
      {
        text: `${data.fund.name} — SIREN ${data.fund.siren} — géré par ${data.fund.manager}`,
        style: 'small',
        margin: [0, 0, 0, 12],
      },
      {
        text: `Décidée et comptabilisée le ${formatFrenchDay(data.distribution.bookedOn)}. Distribution totale du fonds : ${money(data.distribution.totalDistributed)}.`,
      },
      { text: 'Porteur de parts', style: 'heading' },
      { text: data.investor.name, bold: true },
      ...(data.investor.address ? [{ text: data.investor.address }] : []),
      { text: 'Votre position', style: 'heading' },
      positionTable(position),
      { text: 'Détail de la distribution', style: 'heading' },
      linesTable(data.lines, position.thisDistribution),
      { text: 'Règlement', style: 'heading' },
      {
        text: data.payment.ibanEnd
          ? `Par virement sur votre compte se terminant par ${data.payment.ibanEnd}, avec la référence ${data.payment.reference}.`
          : `Par virement, dès que vos coordonnées bancaires sont enregistrées auprès de la société de gestion ; référence : ${data.payment.reference}.`,
      },
      {
        text: 'Les sommes distribuées remboursent d’abord les montants libérés de vos parts, puis constituent des revenus et plus-values (CMF art. R214-75).',
        style: 'small',
        margin: [0, 12, 0, 0],
      },
    ],
  };
}
