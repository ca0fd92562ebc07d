import { create } from 'xmlbuilder2';
import { transliterate } from 'transliteration';
import { isSepaIban, isValidBic, isValidIban, normaliseIban } from '../identifiers/bank-account';
import { ValidationError } from '../errors';
import { euros, toApiAmount } from '../money';
import { treasuryMessages } from './messages';

/**
 * SEPA credit-transfer initiation, pain.001.001.09 (RULES.md §4; EPC132-08
 * implementation guidelines). Text goes through the SEPA character set —
 * accents are transliterated, other characters become spaces — and is cut to
 * each field's length; an invalid IBAN or BIC is refused, never sent.
 */
export type CreditTransfer = {
  endToEndId: string;
  amountMinor: bigint;
  creditorName: string;
  creditorIban: string;
  creditorBic?: string | null;
  remittance: string;
};

export type PaymentBatchFile = {
  messageId: string;
  createdAt: Date;
  initiatingParty: string;
  paymentInformationId: string;
  requestedExecutionDate: string;
  debtor: { name: string; iban: string; bic: string };
  transfers: CreditTransfer[];
};

/** The most one SEPA credit transfer carries (EPC rulebook: 999 999 999,99 €). */
export const transferAmountMaxMinor = 999_999_999_99n;
const sepaCharacters = /[^a-zA-Z0-9/\-?:().,'+ ]/g;

/**
 * "Société Générale — Café", "Søren Łukasz Đorđević Þór" → "Societe Generale - Cafe",
 * "Soren Lukasz Dordevic Thor": transliterated by the `transliteration` library
 * (letters without a decomposition included), then kept to the SEPA Latin subset,
 * at most `length` characters. May be empty: callers refuse what has nothing left.
 */
export function sepaText(text: string, length: number): string {
  const latin = transliterate(text.replace(/[–—−]/g, '-')).replace(sepaCharacters, ' ').replace(/\s+/g, ' ').trim();
  return latin.slice(0, length).trim();
}

/**
 * Identifiers (message, batch, end-to-end): the SEPA set without spaces, at most
 * 35 characters; never starting or ending with '/' nor holding '//' (EPC rules).
 */
export function sepaIdentifier(text: string): string {
  const id = sepaText(text, 1000)
    .replace(/ /g, '')
    .replace(/\/{2,}/g, '/')
    .replace(/^\/+|\/+$/g, '')
    .slice(0, 35)
    .replace(/\/+$/, '');
  if (id.length === 0) throw new Error(`no SEPA identifier character in ${JSON.stringify(text)}`);
  return id;
}

/**
 * A message id: the fund's id cut short enough that the unique part (time and
 * random) always fits in the 35 characters, whatever the fund id's length.
 */
export function sepaMessageId(fundId: string, uniquePart: string): string {
  const prefix = sepaText(`MIL-${fundId.toUpperCase()}`, 1000)
    .replace(/ /g, '')
    .slice(0, 35 - uniquePart.length - 1);
  return sepaIdentifier(`${prefix}-${uniquePart}`);
}

/** What a payee's name or a remittance text becomes in the file; refuses one that would be empty, naming the field. */
export function assertSepaTextUsable(fields: { creditorName: string; remittance: string }): void {
  const issues = [
    ...(sepaText(fields.creditorName, 70) === ''
      ? [
          {
            path: ['creditorName'],
            message: treasuryMessages.creditorNameNotSepa(fields.creditorName),
          },
        ]
      : []),
    ...(sepaText(fields.remittance, 140) === ''
      ? [
          {
            path: ['remittance'],
            message: treasuryMessages.remittanceNotSepa(fields.remittance),
          },
        ]
      : []),
  ];
  if (issues.length > 0) throw new ValidationError(issues);
}

function checkBatch(batch: PaymentBatchFile): void {
  const issues: { path: (string | number)[]; message: string }[] = [];
  if (!isValidIban(batch.debtor.iban))
    issues.push({ path: ['debtor', 'iban'], message: treasuryMessages.debtorIbanInvalid });
  if (!isValidBic(batch.debtor.bic))
    issues.push({ path: ['debtor', 'bic'], message: treasuryMessages.debtorBicInvalid });
  if (batch.transfers.length === 0) issues.push({ path: ['transfers'], message: treasuryMessages.batchEmpty });
  const endToEndIds = new Set<string>();
  batch.transfers.forEach((transfer, index) => {
    if (!isValidIban(transfer.creditorIban))
      issues.push({
        path: ['transfers', index, 'creditorIban'],
        message: treasuryMessages.creditorIbanInvalid(transfer.creditorName),
      });
    else if (!isSepaIban(transfer.creditorIban))
      issues.push({
        path: ['transfers', index, 'creditorIban'],
        message: treasuryMessages.creditorIbanNotSepa(transfer.creditorName),
      });
    if (sepaText(transfer.creditorName, 70) === '' || sepaText(transfer.remittance, 140) === '')
      issues.push({
        path: ['transfers', index, 'creditorName'],
        message: treasuryMessages.transferTextNotSepa(transfer.creditorName),
      });
    if (transfer.creditorBic && !isValidBic(transfer.creditorBic))
      issues.push({
        path: ['transfers', index, 'creditorBic'],
        message: treasuryMessages.creditorBicInvalid(transfer.creditorName),
      });
    if (transfer.amountMinor <= 0n || transfer.amountMinor > transferAmountMaxMinor)
      issues.push({ path: ['transfers', index, 'amountMinor'], message: treasuryMessages.transferAmountOutOfBounds });
    const id = sepaIdentifier(transfer.endToEndId);
    if (endToEndIds.has(id))
      issues.push({ path: ['transfers', index, 'endToEndId'], message: treasuryMessages.endToEndIdTwice });
    endToEndIds.add(id);
  });
  if (issues.length > 0) throw new ValidationError(issues);
}

export function controlSum(transfers: readonly CreditTransfer[]): string {
  return toApiAmount(euros(transfers.reduce((total, transfer) => total + transfer.amountMinor, 0n)));
}

/** The pain.001.001.09 document, UTF-8, for one payment batch from one debtor account. */
export function painCreditTransfer(batch: PaymentBatchFile): string {
  checkBatch(batch);
  const count = String(batch.transfers.length);
  const sum = controlSum(batch.transfers);
  const document = create({ version: '1.0', encoding: 'UTF-8' })
    .ele('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09', 'Document')
    .ele('CstmrCdtTrfInitn');
  const header = document.ele('GrpHdr');
  header.ele('MsgId').txt(sepaIdentifier(batch.messageId));
  header.ele('CreDtTm').txt(batch.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  header.ele('NbOfTxs').txt(count);
  header.ele('CtrlSum').txt(sum);
  header.ele('InitgPty').ele('Nm').txt(sepaText(batch.initiatingParty, 70));

  const payment = document.ele('PmtInf');
  payment.ele('PmtInfId').txt(sepaIdentifier(batch.paymentInformationId));
  payment.ele('PmtMtd').txt('TRF');
  payment.ele('NbOfTxs').txt(count);
  payment.ele('CtrlSum').txt(sum);
  payment.ele('PmtTpInf').ele('SvcLvl').ele('Cd').txt('SEPA');
  payment.ele('ReqdExctnDt').ele('Dt').txt(batch.requestedExecutionDate);
  payment.ele('Dbtr').ele('Nm').txt(sepaText(batch.debtor.name, 70));
  payment.ele('DbtrAcct').ele('Id').ele('IBAN').txt(normaliseIban(batch.debtor.iban));
  payment.ele('DbtrAgt').ele('FinInstnId').ele('BICFI').txt(batch.debtor.bic.toUpperCase());
  payment.ele('ChrgBr').txt('SLEV');
  for (const transfer of batch.transfers) {
    const transaction = payment.ele('CdtTrfTxInf');
    transaction.ele('PmtId').ele('EndToEndId').txt(sepaIdentifier(transfer.endToEndId));
    transaction
      .ele('Amt')
      .ele('InstdAmt', { Ccy: 'EUR' })
      .txt(toApiAmount(euros(transfer.amountMinor)));
    if (transfer.creditorBic)
      transaction.ele('CdtrAgt').ele('FinInstnId').ele('BICFI').txt(transfer.creditorBic.toUpperCase());
    transaction.ele('Cdtr').ele('Nm').txt(sepaText(transfer.creditorName, 70));
    transaction.ele('CdtrAcct').ele('Id').ele('IBAN').txt(normaliseIban(transfer.creditorIban));
    transaction.ele('RmtInf').ele('Ustrd').txt(sepaText(transfer.remittance, 140));
  }
  return document.end({ prettyPrint: true });
}
