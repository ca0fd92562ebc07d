import { create } from 'xmlbuilder2';
import type { Transaction } from '../db/database';
import { balancesAt } from '../ledger/queries';
import { euros, toApiAmount } from '../money';
import { assert } from '../errors';
import { donorIdByEmail } from '../endowment/gifts';
import { treasuryAccountOf } from '../treasury/accounts';
import { expectReceipt, referenceOfExpectedReceipt } from '../treasury/expected-receipts';
import { importStatement, statementImported } from '../treasury/statements';

/**
 * April's statement of the endowment fund's account, as the bank would send it
 * (camt.053.001.08), for a newcomer to reconcile: ACTED's contribution already
 * in the books (pointed by amount and date), the gift Jeanne announced and paid
 * quoting its structured reference (recorded when confirmed), and bank fees
 * (matched by hand to 627).
 */
const statementId = 'RELEVE-DEMO-2026-04';
type Movement = {
  amountMinor: bigint;
  date: string;
  reference: string;
  party?: { name: string; iban: string };
  structuredReference?: string;
  text?: string;
};

function camt053(
  iban: string,
  opening: { amountMinor: bigint; date: string },
  closingDate: string,
  movements: Movement[],
): string {
  const amount = (minor: bigint) => ({ '@Ccy': 'EUR', '#': toApiAmount(euros(minor < 0n ? -minor : minor)) });
  const side = (minor: bigint) => (minor < 0n ? 'DBIT' : 'CRDT');
  const balance = (code: string, minor: bigint, date: string) => ({
    Tp: { CdOrPrtry: { Cd: code } },
    Amt: amount(minor),
    CdtDbtInd: side(minor),
    Dt: { Dt: date },
  });
  const closingMinor = movements.reduce((total, movement) => total + movement.amountMinor, opening.amountMinor);
  const entries = movements.map((movement) => ({
    Amt: amount(movement.amountMinor),
    CdtDbtInd: side(movement.amountMinor),
    Sts: { Cd: 'BOOK' },
    BookgDt: { Dt: movement.date },
    ValDt: { Dt: movement.date },
    AcctSvcrRef: movement.reference,
    ...(movement.party
      ? {
          NtryDtls: {
            TxDtls: {
              RltdPties: {
                Dbtr: { Pty: { Nm: movement.party.name } },
                DbtrAcct: { Id: { IBAN: movement.party.iban } },
              },
              ...(movement.structuredReference
                ? { RmtInf: { Strd: { CdtrRefInf: { Ref: movement.structuredReference } } } }
                : {}),
            },
          },
        }
      : {}),
    ...(movement.text ? { AddtlNtryInf: movement.text } : {}),
  }));
  return create({ version: '1.0', encoding: 'UTF-8' })
    .ele({
      Document: {
        '@xmlns': 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08',
        BkToCstmrStmt: {
          GrpHdr: { MsgId: `MSG-${statementId}`, CreDtTm: `${closingDate}T06:00:00` },
          Stmt: {
            Id: statementId,
            CreDtTm: `${closingDate}T06:00:00`,
            Acct: { Id: { IBAN: iban }, Ccy: 'EUR' },
            Bal: [balance('OPBD', opening.amountMinor, opening.date), balance('CLBD', closingMinor, closingDate)],
            Ntry: entries,
          },
        },
      },
    })
    .end({ prettyPrint: true });
}

export async function seedBankStatement(trx: Transaction, treasurerId: string): Promise<void> {
  if (await statementImported(trx, 'dotation', statementId)) return;
  const jeanne = await donorIdByEmail(trx, 'dotation', 'donatrice@milliard.test');
  assert(jeanne, 'the demo donor, seeded before the statement');
  const receiptId = await expectReceipt(
    trx,
    'dotation',
    { donorId: jeanne, amount: 500_00n, expectedOn: '2026-04-10', label: 'Don annoncé par Jeanne Donatrice' },
    treasurerId,
  );
  const reference = await referenceOfExpectedReceipt(trx, receiptId);
  // The bank's opening balance is the books' at the end of March: nothing to explain before April.
  const opening = (await balancesAt(trx, 'dotation', '2026-03-31')).find(
    (account) => account.code === '512',
  )!.balanceMinor;
  const { iban } = await treasuryAccountOf(trx, 'dotation');
  const xml = camt053(iban, { amountMinor: opening, date: '2026-04-01' }, '2026-04-30', [
    {
      amountMinor: 90_000_00n,
      date: '2026-04-02',
      reference: 'BQ-DEMO-1',
      party: { name: 'ACTED', iban: 'FR7630004000031234567890143' },
      text: 'VIR ACTED CONTRIBUTION POOL',
    },
    {
      amountMinor: 500_00n,
      date: '2026-04-11',
      reference: 'BQ-DEMO-2',
      party: { name: 'DONATRICE JEANNE', iban: 'FR7630006000011234567890189' },
      structuredReference: reference,
    },
    { amountMinor: -4_20n, date: '2026-04-30', reference: 'BQ-DEMO-3', text: 'FRAIS TENUE DE COMPTE AVRIL' },
  ]);
  await importStatement(trx, 'dotation', Buffer.from(xml), treasurerId);
}
