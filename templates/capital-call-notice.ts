import type { DocumentDefinition } from '../src/documents/pdf';
import { formatFrench, parseApiAmount } from '../src/money';
import { formatFrenchDay } from '../src/time';

/**
 * A capital-call notice in the shape of ILPA's 2025 notice template: the fund
 * section, the investor section (commitment, this call, paid-up and unfunded
 * before and after, the investor's share of the fund), the transaction table
 * by purpose, and how to pay (bank details, the reference to quote).
 */
export type CapitalCallNoticeData = {
  fund: { name: string; siren: string; manager: string };
  call: { number: number; issuedOn: string; dueOn: string; totalCalled: string };
  investor: { name: string; address: string | null };
  position: {
    commitment: string;
    calledBefore: string;
    thisCall: string;
    calledAfter: string;
    unfundedBefore: string;
    unfundedAfter: string;
    sharePercent: string;
  };
  purposes: { label: string; amount: string }[];
  payment: { holder: string; iban: string; bic: string } | null;
  reference: string;
};

const money = (apiAmount: string) => formatFrench(parseApiAmount(apiAmount));
const row = (label: string, value: string) => [label, { text: value, alignment: 'right' as const }];

export function capitalCallNotice(data: CapitalCallNoticeData): DocumentDefinition & { info: { title: string } } {
  const { position } = data;
  return {
    info: { title: `Appel de fonds n° ${data.call.number} — ${data.investor.name}`, subject: data.fund.name },
    content: [
      { text: `Avis d’appel de fonds n° ${data.call.number}`, style: 'title' },
      {
        text: `${data.fund.name} — SIREN ${data.fund.siren} — géré par ${data.fund.manager}`,
        style: 'small',
        margin: [0, 0, 0, 12],
      },
      {
        text: `Émis le ${formatFrenchDay(data.call.issuedOn)}. À verser au plus tard le ${formatFrenchDay(data.call.dueOn)}. Appel total du fonds : ${money(data.call.totalCalled)}.`,
      },
      { text: 'Porteur de parts', style: 'heading' },
      { text: data.investor.name, bold: true },
      ...(data.investor.address ? [{ text: data.investor.address }] : []),
      { text: 'Votre position', style: 'heading' },
      {
        table: {
          widths: ['*', 'auto'],
          body: [
            row('Engagement', money(position.commitment)),
            row('Appelé avant cet appel', money(position.calledBefore)),
            row('Cet appel', money(position.thisCall)),
            row('Appelé après cet appel', money(position.calledAfter)),
            row('Non appelé avant cet appel', money(position.unfundedBefore)),
            row('Non appelé après cet appel', money(position.unfundedAfter)),
            row('Votre part des engagements du fonds', `${position.sharePercent} %`),
          ],
        },
      },
      { text: 'Détail de l’appel', style: 'heading' },
      {
        table: {
          headerRows: 1,
          widths: ['*', 'auto'],
          body: [
            [
              { text: 'Objet', bold: true },
              { text: 'Montant', bold: true, alignment: 'right' },
            ],
            ...data.purposes.map((purpose) => row(purpose.label, money(purpose.amount))),
            [
              { text: 'Total à verser', bold: true },
              { text: money(position.thisCall), bold: true, alignment: 'right' },
            ],
          ],
        },
      },
      { text: 'Règlement', style: 'heading' },
      data.payment
        ? {
            text: `Par virement à ${data.payment.holder}, IBAN ${data.payment.iban}, BIC ${data.payment.bic}, avec la référence ${data.reference}.`,
          }
        : {
            text: `Coordonnées bancaires du fonds communiquées par la société de gestion ; référence à indiquer : ${data.reference}.`,
          },
      {
        text: 'Un versement après l’échéance porte intérêt au taux prévu par le règlement du fonds (CMF art. R214-75), jour par jour, sur ce qui reste dû.',
        style: 'small',
        margin: [0, 12, 0, 0],
      },
    ],
  };
}
