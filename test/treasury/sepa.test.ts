import { create } from 'xmlbuilder2';
import { painCreditTransfer, sepaText } from '../../src/treasury/sepa';
import { ValidationError } from '../../src/errors';
import { sepaBatches } from '../support/sepa-batches';

type XmlObject = Record<string, any>;
const parse = (xml: string): XmlObject => create(xml).end({ format: 'object' });
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const sepaSet = /^[a-zA-Z0-9/\-?:().,'+ ]*$/;

it('writes counts and control sums that add up, in the header and the batch', () => {
  for (const batch of Object.values(sepaBatches)) {
    const document = parse(painCreditTransfer(batch)).Document.CstmrCdtTrfInitn;
    const transactions = asArray(document.PmtInf.CdtTrfTxInf);
    const cents = transactions.reduce(
      (total: bigint, transaction: XmlObject) => total + BigInt(transaction.Amt.InstdAmt['#'].replace('.', '')),
      0n,
    );
    const expected = batch.transfers.reduce((total, transfer) => total + transfer.amountMinor, 0n);
    expect(cents).toBe(expected);
    for (const group of [document.GrpHdr, document.PmtInf]) {
      expect(group.NbOfTxs).toBe(String(batch.transfers.length));
      expect(BigInt(group.CtrlSum.replace('.', ''))).toBe(expected);
      expect(group.CtrlSum).toMatch(/^\d+\.\d{2}$/);
    }
  }
});

it('keeps every text field within its length and the SEPA character set', () => {
  for (const batch of Object.values(sepaBatches)) {
    const document = parse(painCreditTransfer(batch)).Document.CstmrCdtTrfInitn;
    const texts: [string, string, number][] = [
      ['MsgId', document.GrpHdr.MsgId, 35],
      ['PmtInfId', document.PmtInf.PmtInfId, 35],
      ['Dbtr/Nm', document.PmtInf.Dbtr.Nm, 70],
      ...asArray(document.PmtInf.CdtTrfTxInf).flatMap((transaction: XmlObject): [string, string, number][] => [
        ['EndToEndId', transaction.PmtId.EndToEndId, 35],
        ['Cdtr/Nm', transaction.Cdtr.Nm, 70],
        ['Ustrd', transaction.RmtInf.Ustrd, 140],
      ]),
    ];
    for (const [field, value, length] of texts) {
      expect([field, value.length <= length && value.length > 0, sepaSet.test(value)]).toEqual([field, true, true]);
    }
  }
});

it('transliterates rather than fails, and keeps end-to-end ids unique', () => {
  expect(sepaText('Coopérative Œuvre — Café « Ça va » & Cie', 70)).toBe('Cooperative OEuvre - Cafe Ca va Cie');
  expect(sepaText('Straße Müller', 70)).toBe('Strasse Muller');
  const accents = parse(painCreditTransfer(sepaBatches.accents!)).Document.CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf;
  expect(accents[0].RmtInf.Ustrd).toBe('Ref. ete 2026 : equipement ndeg 3 (1/2 tarif) - merci EU');
  const ids = asArray(
    parse(painCreditTransfer(sepaBatches['many payments']!)).Document.CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf,
  ).map((transaction: XmlObject) => transaction.PmtId.EndToEndId);
  expect(new Set(ids).size).toBe(250);
});

it('refuses an invalid IBAN or BIC, naming the payment, and a duplicate end-to-end id', () => {
  const transfer = sepaBatches['one payment']!.transfers[0]!;
  const attempt =
    (changes: Record<string, unknown>, extra: (typeof transfer)[] = []) =>
    () =>
      painCreditTransfer({ ...sepaBatches['one payment']!, transfers: [{ ...transfer, ...changes }, ...extra] });
  expect(attempt({ creditorIban: 'FR7630006000011234567890180' })).toThrow(ValidationError);
  expect(attempt({ creditorBic: 'AGRI' })).toThrow(/BIC du bénéficiaire invalide/);
  expect(attempt({ amountMinor: 0n })).toThrow(/Montant entre 0,01/);
  expect(attempt({}, [transfer])).toThrow(/Référence de bout en bout en double/);
});
