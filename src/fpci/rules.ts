import type { Database, Transaction } from '../db/database';
import { NotFoundError, RuleViolationError, ValidationError } from '../errors';
import { minorUnits, parseApiAmount } from '../money';
import { findFund } from '../ledger/queries';
import { todayInParis } from '../time';
import { fpciMessages } from './messages';
import { vehicleRulesSchema, type VehicleRules } from './schema';

/**
 * A unit fund's rules, one dated version after another: what applies on a day
 * is the latest version in effect that day. A new version never rewrites an
 * old one (the database refuses it): what was decided under it stays explained.
 */
export type RulesVersion = {
  fundId: string;
  version: number;
  effectiveFrom: string;
  reason: string;
  setAt: Date;
  rules: VehicleRules;
};

export async function assertUnitFund(db: Database | Transaction, fundId: string): Promise<void> {
  const fund = await findFund(db, fundId);
  if (!fund) throw new NotFoundError(fpciMessages.fundMissing);
  if (fund.kind !== 'fpci') throw new RuleViolationError('fpci/not-a-unit-fund', fpciMessages.notAUnitFund);
}

type RulesRow = {
  fund_id: string;
  version: number;
  effective_from: string;
  reason: string;
  set_at: Date;
  rules: unknown;
};

const versionOf = (row: RulesRow): RulesVersion => ({
  fundId: row.fund_id,
  version: row.version,
  effectiveFrom: row.effective_from,
  reason: row.reason,
  setAt: row.set_at,
  rules: vehicleRulesSchema.parse(row.rules),
});

const rulesColumns = ['fund_id', 'version', 'effective_from', 'reason', 'set_at', 'rules'];

/** The rules in effect on a day (today by default). */
export async function rulesOn(
  db: Database | Transaction,
  fundId: string,
  day: string = todayInParis(),
): Promise<RulesVersion> {
  await assertUnitFund(db, fundId);
  const row = await db('vehicle_rules')
    .where('fund_id', fundId)
    .where('effective_from', '<=', day)
    .orderBy('version', 'desc')
    .first<RulesRow | undefined>(rulesColumns);
  if (!row) throw new NotFoundError(fpciMessages.rulesMissing);
  return versionOf(row);
}

/**
 * A class with units subscribed keeps its code and its nominal in every later
 * version: its units' paid-up level is counted in cents of that nominal.
 */
async function assertSubscribedClassesKept(trx: Transaction, fundId: string, rules: VehicleRules) {
  const subscribed = await trx('subscriptions')
    .join('closings', 'closings.id', 'subscriptions.closing_id')
    .where('closings.fund_id', fundId)
    .distinct('subscriptions.class_code', 'subscriptions.nominal_per_unit_minor')
    .select<{ class_code: string; nominal_per_unit_minor: bigint }[]>();
  for (const held of subscribed) {
    const unitClass = rules.unitClasses.find((candidate) => candidate.code === held.class_code);
    if (!unitClass || minorUnits(parseApiAmount(unitClass.nominalPerUnit)) !== held.nominal_per_unit_minor)
      throw new ValidationError([
        { path: ['rules', 'unitClasses'], message: fpciMessages.subscribedClassChanged(held.class_code) },
      ]);
  }
}

/** Every version, the latest first. */
export async function rulesHistory(db: Database, fundId: string): Promise<RulesVersion[]> {
  await assertUnitFund(db, fundId);
  const rows = await db('vehicle_rules')
    .where('fund_id', fundId)
    .orderBy('version', 'desc')
    .select<RulesRow[]>(rulesColumns);
  return rows.map(versionOf);
}

/** A new version of the rules, in effect from a day no earlier than the previous version's. */
export async function setRules(
  trx: Transaction,
  fundId: string,
  change: { effectiveFrom: string; reason: string; rules: VehicleRules },
  actor: { userId: string | null },
): Promise<RulesVersion> {
  await assertUnitFund(trx, fundId);
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`vehicle-rules:${fundId}`]);
  const previous = await trx('vehicle_rules')
    .where('fund_id', fundId)
    .orderBy('version', 'desc')
    .first<{ version: number; effective_from: string } | undefined>('version', 'effective_from');
  if (previous && change.effectiveFrom < previous.effective_from)
    throw new RuleViolationError(
      'fpci/rules-before-previous',
      fpciMessages.rulesBeforePrevious(previous.effective_from),
      {
        field: 'effectiveFrom',
      },
    );
  await assertSubscribedClassesKept(trx, fundId, change.rules);
  const [row] = await trx('vehicle_rules')
    .insert({
      fund_id: fundId,
      version: (previous?.version ?? 0) + 1,
      effective_from: change.effectiveFrom,
      reason: change.reason,
      rules: JSON.stringify(change.rules),
      set_by: actor.userId,
    })
    .returning<RulesRow[]>(rulesColumns);
  return versionOf(row!);
}
