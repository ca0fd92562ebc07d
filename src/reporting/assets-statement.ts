import { stringify } from 'csv-stringify/sync';
import type { Database } from '../db/database';
import { renderPdf } from '../documents/pdf';
import { documentIdsByKey, documentRequest, type DocumentKind } from '../documents/service';
import { RuleViolationError } from '../errors';
import { actorOn } from '../fpci/access';
import { assertUnitFund } from '../fpci/rules';
import type { Principal } from '../identity/roles';
import { enqueueAll } from '../jobs/outbox';
import { balancesAt, getFund } from '../ledger/queries';
import { amount } from '../ledger/views';
import { portfolioWords } from '../portfolio/messages';
import { portfolioAt, undrawnCommitmentsMinor } from '../portfolio/summary';
import { formatFrenchDay, todayInParis } from '../time';
import { assetsStatement } from '../../templates/assets-statement';
import { reportingMessages } from './messages';
import { closeAt } from './quarter-close';

/**
 * The half-yearly statement of assets (composition de l'actif, CMF L214-24-49),
 * from the quarter closed at the half-year's end: the inventory of the
 * portfolio with quantities and values, cash, receivables and payables, net
 * assets, units and NAV per unit of each class, and the off-balance-sheet
 * commitments (capital not called yet, investments signed and not drawn,
 * guarantees). Due eight weeks after the half-year; produced when its PDF is
 * kept, overdue when not produced by then. As PDF (kept with its hash) or CSV.
 */
export const assetsStatementKind = 'assets-statement';
const dueAfterDays = 56;
const keyOf = (closeId: string) => `${assetsStatementKind}:${closeId}`;

export const isHalfYearEnd = (day: string) => day.endsWith('-06-30') || day.endsWith('-12-31');
export function dueOnOf(halfYearEnd: string): string {
  const due = new Date(Date.parse(`${halfYearEnd}T12:00:00Z`) + dueAfterDays * 86_400_000);
  return due.toISOString().slice(0, 10);
}

/** The composition at a half-year's end; refused until that quarter is closed. */
export async function assetsStatementOf(db: Database, fundId: string, halfYearEnd: string) {
  const close = await closeAt(db, fundId, halfYearEnd);
  if (!close)
    throw new RuleViolationError(
      'reporting/quarter-not-closed',
      reportingMessages.quarterNotClosed(formatFrenchDay(halfYearEnd)),
    );
  const [fund, investments, balances, undrawnMinor] = [
    await getFund(db, fundId),
    await portfolioAt(db, fundId, halfYearEnd),
    await balancesAt(db, fundId, halfYearEnd),
    await undrawnCommitmentsMinor(db, fundId, halfYearEnd),
  ];
  const held = investments.filter((one) => !one.ended);
  const inClass = (digit: string) => balances.filter((one) => one.code.startsWith(digit) && one.balanceMinor !== 0n);
  const sumOf = (rows: { balanceMinor: bigint }[]) => rows.reduce((total, one) => total + one.balanceMinor, 0n);
  const positions = await db('quarter_positions')
    .where('close_id', close.id)
    .sum<{ unfunded: string | null }>('unfunded_ending_minor as unfunded')
    .first();
  const classes = await db('quarter_class_navs')
    .where('close_id', close.id)
    .orderBy('class_code')
    .select<{ class_code: string; units: number; nav_minor: bigint; nav_per_unit: string }[]>(
      'class_code',
      'units',
      'nav_minor',
      db.raw('nav_per_unit::text as nav_per_unit'),
    );
  const portfolioMinor = sumOf(inClass('2'));
  const cashMinor = sumOf(inClass('5'));
  const receivablesMinor = sumOf(inClass('4').filter((one) => one.balanceMinor > 0n));
  const payablesMinor = -sumOf(inClass('4').filter((one) => one.balanceMinor < 0n));
  const documents = await documentIdsByKey(db, [keyOf(close.id)]);
  return {
    fund: { id: fundId, name: fund.name, siren: fund.siren },
    halfYearEnd,
    dueOn: dueOnOf(halfYearEnd),
    documentId: documents.get(keyOf(close.id)) ?? null,
    inventory: held.map((one) => ({
      name: one.name,
      instrument: portfolioWords.instruments[one.instrument] ?? one.instrument,
      quantity: one.shares === null ? null : one.shares,
      cost: amount(one.costMinor),
      value: amount(one.valueMinor),
    })),
    portfolio: amount(portfolioMinor),
    cash: amount(cashMinor),
    receivables: amount(receivablesMinor),
    payables: amount(payablesMinor),
    netAssets: amount(close.net_assets_minor),
    // The inventory at its values and the books agree, and so do the books and the frozen net assets.
    addsUp:
      held.reduce((total, one) => total + one.valueMinor, 0n) === portfolioMinor &&
      portfolioMinor + cashMinor + receivablesMinor - payablesMinor === close.net_assets_minor,
    classes: classes.map((one) => ({
      classCode: one.class_code,
      units: one.units,
      nav: amount(one.nav_minor),
      navPerUnit: one.nav_per_unit,
    })),
    offBalanceSheet: {
      uncalledCommitments: amount(BigInt(positions?.unfunded ?? 0)),
      undrawnInvestments: amount(undrawnMinor),
      guarantees: amount(0n),
    },
  };
}

export type AssetsStatement = Awaited<ReturnType<typeof assetsStatementOf>>;

/** The same figures as a CSV (« ; », comma decimals, as French spreadsheets read them). */
export function assetsStatementCsv(statement: AssetsStatement): string {
  const comma = (apiAmount: string) => apiAmount.replace('.', ',');
  const words = reportingMessages.assets;
  return stringify(
    [
      ['rubrique', 'libelle', 'quantite', 'cout', 'valeur'],
      ...statement.inventory.map((one) => [
        'inventaire',
        `${one.name} (${one.instrument})`,
        one.quantity ?? '',
        comma(one.cost),
        comma(one.value),
      ]),
      ['actif', words.portfolio, '', '', comma(statement.portfolio)],
      ['actif', words.cash, '', '', comma(statement.cash)],
      ['actif', words.receivables, '', '', comma(statement.receivables)],
      ['passif', words.payables, '', '', comma(statement.payables)],
      ['actif_net', words.netAssets, '', '', comma(statement.netAssets)],
      ...statement.classes.map((one) => [
        'parts',
        `${words.unitClass} ${one.classCode}`,
        one.units,
        one.navPerUnit.replace('.', ','),
        comma(one.nav),
      ]),
      ['hors_bilan', words.uncalled, '', '', comma(statement.offBalanceSheet.uncalledCommitments)],
      ['hors_bilan', words.undrawn, '', '', comma(statement.offBalanceSheet.undrawnInvestments)],
      ['hors_bilan', words.guarantees, '', '', comma(statement.offBalanceSheet.guarantees)],
    ],
    { delimiter: ';', record_delimiter: 'windows' },
  );
}

/** The statement as a file: the PDF drawn now, or the CSV. */
export async function assetsStatementFile(db: Database, fundId: string, halfYearEnd: string, format: 'pdf' | 'csv') {
  const statement = await assetsStatementOf(db, fundId, halfYearEnd);
  const fileName = `composition-actif-${fundId}-${halfYearEnd}.${format}`;
  if (format === 'csv')
    return { fileName, contentType: 'text/csv; charset=utf-8', content: Buffer.from(assetsStatementCsv(statement)) };
  return { fileName, contentType: 'application/pdf', content: await renderPdf(assetsStatement(statement), new Date()) };
}

/** Each half-year since the first quarter closed: due when, produced or not, overdue or not. */
export async function assetsStatements(db: Database, fundId: string, principal: Principal) {
  actorOn(principal, fundId);
  await assertUnitFund(db, fundId);
  const closes = await db('quarter_closes')
    .where('fund_id', fundId)
    .orderBy('quarter_end', 'desc')
    .select<{ id: string; quarter_end: string }[]>('id', db.raw('quarter_end::text as quarter_end'));
  const halfYears = closes.filter((close) => isHalfYearEnd(close.quarter_end));
  const documents = await documentIdsByKey(
    db,
    halfYears.map((close) => keyOf(close.id)),
  );
  const today = todayInParis();
  return {
    statements: halfYears.map((close) => {
      const documentId = documents.get(keyOf(close.id)) ?? null;
      const dueOn = dueOnOf(close.quarter_end);
      return { halfYearEnd: close.quarter_end, dueOn, documentId, overdue: documentId === null && today > dueOn };
    }),
  };
}

/** The PDF asked of the worker, kept with its hash: the statement produced. */
export async function produceAssetsStatement(db: Database, fundId: string, halfYearEnd: string, principal: Principal) {
  actorOn(principal, fundId);
  const statement = await assetsStatementOf(db, fundId, halfYearEnd);
  if (!statement.addsUp)
    throw new RuleViolationError('reporting/assets-do-not-add-up', reportingMessages.assetsDoNotAddUp);
  const close = (await closeAt(db, fundId, halfYearEnd))!;
  await db.transaction((trx) =>
    enqueueAll(trx, [
      documentRequest(assetsStatementKind, { type: assetsStatementKind, id: close.id }, keyOf(close.id)),
    ]),
  );
}

export const assetsStatementDocument: DocumentKind = {
  kind: assetsStatementKind,
  build: async (db, closeId) => {
    const close = await db('quarter_closes')
      .where('id', closeId)
      .first<{ fund_id: string; quarter_end: string }>('fund_id', db.raw('quarter_end::text as quarter_end'));
    const statement = await assetsStatementOf(db, close.fund_id, close.quarter_end);
    return {
      fileName: `composition-actif-${close.fund_id}-${close.quarter_end}.pdf`,
      definition: assetsStatement(statement),
    };
  },
};

/** The fund's team only. */
export async function assertAssetsStatementVisible(db: Database, closeId: string, principal: Principal) {
  if (!/^[0-9a-f-]{36}$/i.test(closeId)) throw new Error('not a statement');
  const close = await db('quarter_closes').where('id', closeId).first<{ fund_id: string } | undefined>('fund_id');
  if (!close) throw new Error('no such statement');
  actorOn(principal, close.fund_id);
}
