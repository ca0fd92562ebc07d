import type { DocumentDefinition } from '../src/documents/pdf';
import { formatFrench, parseApiAmount } from '../src/money';
import { formatFrenchDate, formatFrenchDay } from '../src/time';

/** What a co-financing partner is shown of its pool: what it gave, what was granted from it, what is left. */
export type PoolStatementData = {
  fundName: string;
  pool: {
    name: string;
    partnerName: string;
    contributed: string;
    granted: string;
    requestedForPayment: string;
    available: string;
    grants: { beneficiary: string; amount: string; grantedOn: string }[];
  };
  at: Date;
};

const money = (apiAmount: string) => formatFrench(parseApiAmount(apiAmount));

export function poolStatement(data: PoolStatementData): DocumentDefinition & { info: { title: string } } {
  const { pool } = data;
  return {
    info: { title: `Relevé du pool ${pool.name}`, subject: pool.partnerName },
    content: [
      { text: `Relevé du pool « ${pool.name} »`, style: 'title' },
      {
        text: `${data.fundName} — pour ${pool.partnerName}, au ${formatFrenchDate(data.at)}`,
        style: 'small',
        margin: [0, 0, 0, 12],
      },
      {
        table: {
          widths: ['*', 'auto'],
          body: [
            ['Contributions reçues', money(pool.contributed)],
            ['Aides accordées', money(pool.granted)],
            ['dont demandées en paiement', money(pool.requestedForPayment)],
            [
              { text: 'Disponible', bold: true },
              { text: money(pool.available), bold: true },
            ],
          ],
        },
        layout: 'lightHorizontalLines',
      },
      { text: 'Aides accordées sur ce pool', style: 'heading' },
      pool.grants.length === 0
        ? { text: 'Aucune aide accordée à ce jour.' }
        : {
            table: {
              headerRows: 1,
              widths: ['*', 'auto', 'auto'],
              body: [
                [
                  { text: 'Bénéficiaire', bold: true },
                  { text: 'Montant', bold: true },
                  { text: 'Date', bold: true },
                ],
                ...pool.grants.map((grant) => [
                  grant.beneficiary,
                  money(grant.amount),
                  formatFrenchDay(grant.grantedOn),
                ]),
              ],
            },
          },
    ],
  };
}
