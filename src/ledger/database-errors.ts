import { ledgerMessages } from './messages';
import { ConflictError, RuleViolationError, type DomainError } from '../errors';

/**
 * The ledger's database guards speak SQLSTATE class "ML" (see the ledger
 * migration). This turns them, and the constraints they back, into the typed
 * errors the edge knows; anything else is not ours to interpret.
 */
const byCode: Record<string, (message: string) => DomainError> = {
  ML001: (message) => new RuleViolationError('ledger/unbalanced', capitalise(message)),
  ML002: (message) => new RuleViolationError('ledger/immutable', capitalise(message)),
  ML003: (message) => new RuleViolationError('ledger/period-closed', capitalise(message)),
  ML004: (message) => new RuleViolationError('ledger/foreign-posting', capitalise(message)),
  ML005: (message) => new RuleViolationError('ledger/year-closed', capitalise(message)),
  ML006: (message) => new RuleViolationError('ledger/account-guarded', capitalise(message)),
  ML007: (message) => new RuleViolationError('ledger/amount-unrepresentable', capitalise(message)),
};

const byConstraint: Record<string, () => DomainError> = {
  accounts_floor: () => new RuleViolationError('ledger/account-floor', ledgerMessages.accountFloor),
  journal_entries_reverses_entry_id_key: () => new ConflictError(ledgerMessages.alreadyReversed),
  accounts_balance_representable: () =>
    new RuleViolationError('ledger/amount-unrepresentable', ledgerMessages.balanceUnrepresentable),
  period_closures_active: () => new ConflictError(ledgerMessages.periodClosedConflict),
};

export function ledgerErrorFrom(error: unknown): DomainError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, constraint, message } = error as { code?: string; constraint?: string; message?: string };
  if (constraint && byConstraint[constraint]) return byConstraint[constraint]();
  if (code && byCode[code]) return byCode[code](withoutStatement(message ?? ''));
  return undefined;
}

/** knex prefixes the database's message with the statement that raised it ("COMMIT; - la période…"): people read only the message. */
const withoutStatement = (message: string): string =>
  message.replace(/^\s*(?:commit|select|insert|update|delete|with)\b[\s\S]*? - /i, '');

function capitalise(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
