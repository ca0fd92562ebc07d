import { z } from 'zod';
import { calendarDate, euroAmount, timestamp } from '../http/answers';
import { isQuarterEnd } from '../day-counts';
import { fundIdSchema, isoDateSchema } from '../ledger/schema';
import { lineNames } from './capital-account';
import { reportingMessages } from './messages';

/** What the reporting routes take and give (French refusals from messages.ts). */
export const quarterParams = z.strictObject({
  fundId: fundIdSchema,
  quarterEnd: isoDateSchema.refine(isQuarterEnd, reportingMessages.quarterEnd),
});

export const reportStepBody = z.strictObject({ event: z.enum(['REVIEW', 'APPROVE', 'PUBLISH']) });

const linesAnswer = z.strictObject(Object.fromEntries(lineNames.map((name) => [name, euroAmount])));

const irrAnswer = z
  .union([
    z.strictObject({ defined: z.literal(true), rate: z.string() }),
    z.strictObject({ defined: z.literal(false), reason: z.string() }),
  ])
  .meta({ description: 'TRI par XIRR (taux annuel, 0.1 = 10 %), ou pourquoi il n’est pas défini' });
const performanceFields = {
  paidIn: euroAmount,
  distributed: euroAmount,
  nav: euroAmount,
  dpi: z.string().nullable(),
  rvpi: z.string().nullable(),
  tvpi: z.string().nullable(),
  irr: irrAnswer,
};

export const quarterAnswer = z.strictObject({
  fundId: z.string(),
  quarterEnd: calendarDate,
  closed: z.boolean(),
  closedAt: timestamp.nullable(),
  report: z
    .strictObject({
      state: z.string(),
      youTookAStep: z
        .boolean()
        .meta({ description: 'La personne qui lit a déjà pris une étape : la suivante revient à une autre' }),
      history: z.array(
        z.strictObject({ event: z.string(), toState: z.string(), reason: z.string().nullable(), at: timestamp }),
      ),
    })
    .nullable(),
  missingValuations: z.array(z.string()).meta({ description: 'Les investissements sans valorisation approuvée' }),
  problems: z.array(z.string()).meta({ description: 'Les identités qui ne tombent pas juste (avant la clôture)' }),
  fund: z.strictObject({ beginning: euroAmount, lines: linesAnswer, ending: euroAmount }),
  classes: z.array(
    z.strictObject({
      classCode: z.string(),
      units: z.number().int(),
      nav: euroAmount,
      navPerUnit: z.string().meta({ description: 'Valeur liquidative par part, en euros, six décimales' }),
    }),
  ),
  positions: z.array(
    z.strictObject({
      investorId: z.uuid(),
      investorName: z.string(),
      classCode: z.string(),
      units: z.number().int(),
      commitment: euroAmount,
      beginning: euroAmount,
      lines: linesAnswer,
      ending: euroAmount,
      unfundedEnding: euroAmount,
    }),
  ),
  statements: z.array(
    z.strictObject({ investorId: z.uuid(), investorName: z.string(), documentId: z.uuid().nullable() }),
  ),
  performance: z
    .strictObject({
      fund: z.strictObject(performanceFields).meta({ description: 'Net, depuis l’origine' }),
      gross: z.strictObject({ irr: irrAnswer, moic: z.string().nullable() }),
      investors: z.array(z.strictObject({ investorId: z.uuid(), investorName: z.string(), ...performanceFields })),
    })
    .nullable()
    .meta({ description: 'Une fois le trimestre clos' }),
});

export const statementsAnswer = z.strictObject({
  statements: z.array(
    z.strictObject({
      fundId: z.string(),
      quarterEnd: calendarDate,
      investorId: z.uuid(),
      investorName: z.string(),
      documentId: z.uuid(),
    }),
  ),
});

const statementColumn = z.strictObject({
  beginning: euroAmount,
  lines: linesAnswer,
  ending: euroAmount,
  unfundedBeginning: euroAmount.meta({ description: 'Engagement non appelé en début de période' }),
});

export const statementParams = z.strictObject({ investorId: z.uuid(), quarterEnd: isoDateSchema });

export const statementAnswer = z.strictObject({
  fund: z.strictObject({ id: z.string(), name: z.string() }),
  investor: z.strictObject({ id: z.uuid(), name: z.string() }),
  quarterEnd: calendarDate,
  documentId: z.uuid().meta({ description: 'Le relevé en PDF, via /api/documents/{id}' }),
  columns: z
    .strictObject({ quarter: statementColumn, yearToDate: statementColumn, sinceInception: statementColumn })
    .meta({ description: 'Le compte de capital (lignes ILPA) sur le trimestre, l’année et depuis l’origine' }),
  commitment: euroAmount,
  unfundedEnding: euroAmount,
  classes: z.array(
    z.strictObject({ classCode: z.string(), units: z.number().int(), nav: euroAmount, navPerUnit: z.string() }),
  ),
  performance: z.strictObject({
    investor: z.strictObject(performanceFields),
    fund: z.strictObject(performanceFields).meta({ description: 'Le fonds, net' }),
  }),
  gross: z.strictObject({
    irr: irrAnswer,
    moic: z.string().nullable(),
    investments: z
      .array(
        z.strictObject({
          name: z.string(),
          instrument: z.string(),
          cost: euroAmount,
          value: euroAmount,
          moic: z.string().nullable(),
        }),
      )
      .meta({ description: 'Le portefeuille détenu, à sa valeur du trimestre' }),
  }),
  history: z
    .array(z.strictObject({ quarterEnd: calendarDate, nav: euroAmount, paidIn: euroAmount }))
    .meta({ description: 'Sa valeur liquidative et ses apports cumulés à chaque trimestre clos' }),
});

export const halfYearParams = z.strictObject({
  fundId: fundIdSchema,
  halfYearEnd: isoDateSchema.refine(
    (day) => day.endsWith('-06-30') || day.endsWith('-12-31'),
    reportingMessages.notAHalfYearEnd,
  ),
});
export const fileFormatQuery = z.strictObject({ format: z.enum(['pdf', 'csv']).default('pdf') });

export const assetsStatementsAnswer = z.strictObject({
  statements: z.array(
    z.strictObject({
      halfYearEnd: calendarDate,
      dueOn: calendarDate.meta({ description: 'Huit semaines après la fin du semestre' }),
      documentId: z.uuid().nullable().meta({ description: 'Le PDF produit et conservé, s’il l’est' }),
      overdue: z.boolean().meta({ description: 'Pas produit à l’échéance' }),
    }),
  ),
});

export const assetsStatementAnswer = z.strictObject({
  fund: z.strictObject({ id: z.string(), name: z.string(), siren: z.string() }),
  halfYearEnd: calendarDate,
  dueOn: calendarDate,
  documentId: z.uuid().nullable(),
  inventory: z.array(
    z.strictObject({
      name: z.string(),
      instrument: z.string(),
      quantity: z
        .number()
        .int()
        .nullable()
        .meta({ description: 'Actions ou parts sociales détenues ; rien pour un prêt' }),
      cost: euroAmount,
      value: euroAmount,
    }),
  ),
  portfolio: euroAmount,
  cash: euroAmount,
  receivables: euroAmount,
  payables: euroAmount,
  netAssets: euroAmount,
  addsUp: z.boolean(),
  classes: z.array(
    z.strictObject({ classCode: z.string(), units: z.number().int(), nav: euroAmount, navPerUnit: z.string() }),
  ),
  offBalanceSheet: z.strictObject({
    uncalledCommitments: euroAmount,
    undrawnInvestments: euroAmount,
    guarantees: euroAmount,
  }),
});
