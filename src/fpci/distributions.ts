import { amount } from '../ledger/views';
import type { Database, Transaction } from '../db/database';
import { NotFoundError, RuleViolationError, ValidationError } from '../errors';
import type { Principal } from '../identity/roles';
import { linesWithinLimit, postEntry, type EntryLine } from '../ledger/entries';
import { allocate, euros, minorUnits } from '../money';
import { formatFrenchDay, todayInParis } from '../time';
import { openDisbursementRequest, paymentsOfDistribution } from '../treasury/requests';
import { lockWorkflow, sendWorkflowEvent, startWorkflow, workflowStates } from '../workflow-runtime';
import { distributionWorkflow, type DistributionContext } from '../../workflows/distribution.machine';
import { actorOn } from './access';
import { unitsHeld } from './investors';
import { fpciMessages } from './messages';
import { requestDistributionNotices } from './notices';
import { catchUpPaidByInvestor } from './subscription-payments';
import { rulesOn } from './rules';
import { livePayments } from './payments';

/**
 * Distributions: never before the end of the subscription period unless the
 * rules allow it (CMF R214-75); the amount shared by units held in the classes
 * distributed (`allocate`, to the cent); each investor's part repays first the
 * capital it paid and has not had back, then is gain and income — the income
 * the fund says, spread over what is not repayment. One that reaches the carry
 * units is booked only once the auditor's special report is recorded.
 */
const subjectOf = (distributionId: string) => ({ type: 'distribution', id: distributionId });

type Line = { investor_id: string; class_code: string; part: bigint };

/** The capital each investor has paid in, less what earlier distributions repaid it. */
async function capitalNotRepaid(db: Database | Transaction, fundId: string): Promise<Map<string, bigint>> {
  const paid = await livePayments(db)
    .join('capital_calls', 'capital_calls.id', 'capital_call_payments.call_id')
    .where('capital_calls.fund_id', fundId)
    .groupBy('capital_call_payments.investor_id')
    .select<{ investor_id: string; total: bigint }[]>(
      'capital_call_payments.investor_id',
      db.raw('sum(capital_call_payments.amount_minor)::bigint as total'),
    );
  const repaid = await db('distribution_items')
    .join('distributions', 'distributions.id', 'distribution_items.distribution_id')
    .join(workflowStates(db, 'distribution', 'distribution').as('w'), 'w.subject_id', db.raw('distributions.id::text'))
    .where('distributions.fund_id', fundId)
    .whereNot('w.state', 'cancelled')
    .groupBy('distribution_items.investor_id')
    .select<{ investor_id: string; total: bigint }[]>(
      'distribution_items.investor_id',
      db.raw('sum(distribution_items.repayment_minor)::bigint as total'),
    );
  const left = new Map(paid.map((one) => [one.investor_id, one.total]));
  // A later subscriber's catch-up is paid-in capital too.
  for (const [investorId, catchUp] of await catchUpPaidByInvestor(db, { fundId }))
    left.set(investorId, (left.get(investorId) ?? 0n) + catchUp);
  for (const one of repaid) left.set(one.investor_id, (left.get(one.investor_id) ?? 0n) - one.total);
  return left;
}

/** Each line's repayment first (up to its investor's capital not repaid), then its income and gain. */
export function splitDistribution(lines: readonly Line[], notRepaid: Map<string, bigint>, incomeMinor: bigint) {
  const left = new Map(notRepaid);
  const repaid = lines.map((line) => {
    const repayment = line.part < (left.get(line.investor_id) ?? 0n) ? line.part : (left.get(line.investor_id) ?? 0n);
    left.set(line.investor_id, (left.get(line.investor_id) ?? 0n) - repayment);
    return { ...line, repayment, rest: line.part - repayment };
  });
  const restTotal = repaid.reduce((total, line) => total + line.rest, 0n);
  if (incomeMinor > restTotal) return undefined;
  const incomes =
    incomeMinor === 0n
      ? repaid.map(() => 0n)
      : allocate(
          euros(incomeMinor),
          repaid.map((line) => line.rest.toString()),
        ).map(minorUnits);
  return repaid.map((line, index) => ({
    investor_id: line.investor_id,
    class_code: line.class_code,
    repayment_minor: line.repayment,
    income_minor: incomes[index]!,
    gain_minor: line.rest - incomes[index]!,
  }));
}

export async function draftDistribution(
  trx: Transaction,
  fundId: string,
  draft: { classCodes: string[]; amountMinor: bigint; incomeMinor: bigint },
  principal: Principal,
): Promise<string> {
  const actor = actorOn(principal, fundId);
  const today = todayInParis();
  const { rules } = await rulesOn(trx, fundId, today);
  if (!rules.distributionsBeforePeriodEnd && today <= rules.subscriptionPeriodEndsOn)
    throw new RuleViolationError(
      'fpci/distribution-before-period-end',
      fpciMessages.distributionTooEarly(formatFrenchDay(rules.subscriptionPeriodEndsOn)),
    );
  const unknown = draft.classCodes.find((code) => !rules.unitClasses.some((unitClass) => unitClass.code === code));
  if (unknown)
    throw new ValidationError([
      {
        path: ['classCodes'],
        message: fpciMessages.classUnknown(unknown, rules.unitClasses.map((c) => c.code).join(', ')),
      },
    ]);
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`distributions:${fundId}`]);
  const holdings = (await unitsHeld(trx, fundId)).filter((holding) => draft.classCodes.includes(holding.class_code));
  if (holdings.length === 0)
    throw new RuleViolationError('fpci/nothing-to-distribute', fpciMessages.nothingToDistribute);
  const parts = allocate(
    euros(draft.amountMinor),
    holdings.map((holding) => holding.units),
  ).map(minorUnits);
  const items = splitDistribution(
    holdings.map((holding, index) => ({
      investor_id: holding.investor_id,
      class_code: holding.class_code,
      part: parts[index]!,
    })),
    await capitalNotRepaid(trx, fundId),
    draft.incomeMinor,
  );
  if (!items) throw new ValidationError([{ path: ['income'], message: fpciMessages.incomeAboveGains }]);
  const carry = new Set(rules.unitClasses.filter((unitClass) => unitClass.holders === 'carry').map((c) => c.code));
  const last = await trx('distributions')
    .where('fund_id', fundId)
    .max<{ number: number | null }>('number as number')
    .first();
  const [row] = await trx('distributions')
    .insert({
      fund_id: fundId,
      number: (last?.number ?? 0) + 1,
      class_codes: draft.classCodes,
      amount_minor: draft.amountMinor,
      income_minor: draft.incomeMinor,
      auditor_report_required: holdings.some((holding) => carry.has(holding.class_code)),
      created_by: principal.userId,
    })
    .returning<{ id: string }[]>('id');
  await trx('distribution_items').insert(items.map((item) => ({ distribution_id: row!.id, ...item })));
  await startWorkflow(
    trx,
    distributionWorkflow,
    subjectOf(row!.id),
    { draftedBy: principal.userId },
    actor,
    'Distribution préparée',
  );
  return row!.id;
}

type DistributionRow = {
  id: string;
  number: number;
  class_codes: string[];
  amount_minor: bigint;
  income_minor: bigint;
  auditor_report_required: boolean;
  auditor_report_reference: string | null;
  auditor_report_on: string | null;
  booked_on: string | null;
  entry_id: bigint | null;
};

async function lockedDistribution(trx: Transaction, fundId: string, distributionId: string, principal: Principal) {
  const actor = actorOn(principal, fundId);
  const row = await trx('distributions')
    .where({ id: distributionId, fund_id: fundId })
    .forUpdate()
    .first<DistributionRow | undefined>();
  if (!row) throw new NotFoundError(fpciMessages.distributionMissing);
  return { row, actor, instance: await lockWorkflow<DistributionContext>(trx, 'distribution', subjectOf(row.id)) };
}

/** The auditor's special report on a distribution reaching the carry units: what must be done before it is booked. */
export async function recordAuditorReport(
  trx: Transaction,
  fundId: string,
  distributionId: string,
  report: { reference: string; reportOn: string },
  principal: Principal,
): Promise<void> {
  const { row } = await lockedDistribution(trx, fundId, distributionId, principal);
  if (!row.auditor_report_required)
    throw new RuleViolationError('fpci/no-report-needed', fpciMessages.auditorReportNotNeeded);
  await trx('distributions')
    .where('id', row.id)
    .update({ auditor_report_reference: report.reference, auditor_report_on: report.reportOn });
}

const itemsOf = (db: Database | Transaction, distributionId: string) =>
  db('distribution_items')
    .join('investors', 'investors.id', 'distribution_items.investor_id')
    .where('distribution_items.distribution_id', distributionId)
    .orderBy(['investors.name', 'distribution_items.class_code'])
    .select<
      {
        investor_id: string;
        name: string;
        class_code: string;
        repayment_minor: bigint;
        gain_minor: bigint;
        income_minor: bigint;
      }[]
    >(
      'distribution_items.investor_id',
      'investors.name',
      'distribution_items.class_code',
      'distribution_items.repayment_minor',
      'distribution_items.gain_minor',
      'distribution_items.income_minor',
    );

export async function takeDistributionStep(
  trx: Transaction,
  fundId: string,
  distributionId: string,
  step: { event: 'APPROVE' | 'BOOK' | 'CANCEL' },
  principal: Principal,
): Promise<void> {
  const { row, actor, instance } = await lockedDistribution(trx, fundId, distributionId, principal);
  if (step.event === 'APPROVE') {
    if (instance.context.draftedBy === principal.userId)
      throw new RuleViolationError('fpci/four-eyes', fpciMessages.distributionApprovedByDrafter);
    await sendWorkflowEvent(
      trx,
      distributionWorkflow,
      instance,
      { type: 'APPROVE', approverId: principal.userId },
      actor,
    );
    return;
  }
  if (step.event === 'CANCEL') {
    await sendWorkflowEvent(trx, distributionWorkflow, instance, { type: 'CANCEL' }, actor);
    return;
  }
  if (row.auditor_report_required && !row.auditor_report_on)
    throw new RuleViolationError('fpci/auditor-report-missing', fpciMessages.auditorReportMissing);
  await sendWorkflowEvent(trx, distributionWorkflow, instance, { type: 'BOOK' }, actor);
  await bookDistribution(trx, fundId, row, principal);
}

/**
 * Books what a distribution owes each investor, and hands each investor's
 * total to the treasury to be paid: four eyes, a SEPA file, the bank's statement.
 */
async function bookDistribution(trx: Transaction, fundId: string, row: DistributionRow, principal: Principal) {
  const bookedOn = todayInParis();
  const items = await itemsOf(trx, row.id);
  // Repayment takes back paid-in capital; gain and income come out of the fund's results carried forward.
  const lines: EntryLine[] = items.flatMap((item) => {
    const label = `${item.name} — distribution n° ${row.number}, parts ${item.class_code}`;
    const gains = item.gain_minor + item.income_minor;
    return [
      ...(item.repayment_minor > 0n ? [{ accountCode: '1013', amountMinor: item.repayment_minor, label }] : []),
      ...(gains > 0n ? [{ accountCode: '110', amountMinor: gains, label }] : []),
      { accountCode: '457', amountMinor: -(item.repayment_minor + gains), label },
    ];
  });
  const { entry } = await postEntry(
    trx,
    {
      fundId,
      journalCode: 'PARTS',
      accountingDate: bookedOn,
      label: `Distribution n° ${row.number}`,
      sourceType: 'distribution',
      sourceId: row.id,
      idempotencyKey: `distribution:${row.id}`,
      lines: linesWithinLimit(lines, `Distribution n° ${row.number} : ${items.length} parts (détail au registre)`),
    },
    { userId: principal.userId },
  );
  await trx('distributions').where('id', row.id).update({ booked_on: bookedOn, entry_id: entry.id });
  const owed = new Map<string, bigint>();
  for (const item of items)
    owed.set(
      item.investor_id,
      (owed.get(item.investor_id) ?? 0n) + item.repayment_minor + item.gain_minor + item.income_minor,
    );
  await requestDistributionNotices(trx, { id: row.id, number: row.number }, [...owed.keys()]);
  for (const [investorId, amountMinor] of owed) {
    if (amountMinor === 0n) continue;
    await openDisbursementRequest(trx, {
      fundId,
      payee: { investorId, distributionId: row.id },
      amountMinor,
      payableAccountCode: '457',
      // Also the transfer's remittance text: only characters of the SEPA set.
      label: `Distribution ${row.number} du fonds ${fundId}`,
    });
  }
}

export async function getDistribution(db: Database, fundId: string, distributionId: string, principal: Principal) {
  actorOn(principal, fundId);
  const row = await db('distributions')
    .where({ id: distributionId, fund_id: fundId })
    .first<DistributionRow | undefined>();
  if (!row) throw new NotFoundError(fpciMessages.distributionMissing);
  const state = await workflowStates(db, 'distribution', 'distribution')
    .where('subject_id', row.id)
    .first<{ state: string } | undefined>('state');
  const [items, payments] = await Promise.all([itemsOf(db, row.id), paymentsOfDistribution(db, row.id)]);
  const sum = (pick: (item: (typeof items)[number]) => bigint) =>
    amount(items.reduce((total, item) => total + pick(item), 0n));
  return {
    id: row.id,
    number: row.number,
    state: state?.state ?? 'draft',
    classCodes: row.class_codes,
    amount: amount(row.amount_minor),
    income: amount(row.income_minor),
    auditorReport: {
      required: row.auditor_report_required,
      reference: row.auditor_report_reference,
      reportOn: row.auditor_report_on,
    },
    bookedOn: row.booked_on,
    entryId: row.entry_id === null ? null : Number(row.entry_id),
    totals: {
      repayment: sum((item) => item.repayment_minor),
      gain: sum((item) => item.gain_minor),
      income: sum((item) => item.income_minor),
    },
    investors: items.map((item) => ({
      investorId: item.investor_id,
      investor: item.name,
      classCode: item.class_code,
      repayment: amount(item.repayment_minor),
      gain: amount(item.gain_minor),
      income: amount(item.income_minor),
      total: amount(item.repayment_minor + item.gain_minor + item.income_minor),
      payment: payments.get(item.investor_id) ?? null,
    })),
  };
}
