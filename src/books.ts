import type { Database } from './db/database';
import { endowmentBookChecks } from './endowment/verify';
import { verifyLedger, type LedgerVerification } from './ledger/verify';
import { treasuryBookChecks } from './treasury/verify';

/** The whole verification of the books: the ledger's own invariants, then each module's agreement with them. */
export const bookChecks = [...endowmentBookChecks, ...treasuryBookChecks];

export const verifyBooks = (db: Database): Promise<LedgerVerification> => verifyLedger(db, bookChecks);
