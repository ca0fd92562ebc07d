import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ValidationError } from '../errors';
import { minorUnits, parseApiAmount } from '../money';

/**
 * Bank-to-customer statements, camt.053 (versions 001.02 and 001.08; RULES.md
 * §4). The parser is given a document only after it was found well-formed and
 * free of any DTD: no entity of any kind is expanded, no external resource read.
 */
export const statementSizeMaxBytes = 20 * 1024 * 1024;
const supportedVersions = ['camt.053.001.02', 'camt.053.001.08'];

export type StatementLine = {
  entryNumber: number;
  detailNumber: number;
  amountMinor: bigint;
  bookingDate: string;
  valueDate: string | null;
  bankReference: string | null;
  endToEndId: string | null;
  structuredReference: string | null;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  remittance: string | null;
  returnReason: string | null;
  batchBooking: boolean;
};

export type ParsedStatement = {
  format: string;
  accountIban: string;
  statementId: string;
  opening: { amountMinor: bigint; date: string };
  closing: { amountMinor: bigint; date: string };
  lines: StatementLine[];
};

type Node = Record<string, any>;
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const text = (value: unknown): string | null => (value === undefined || value === null ? null : typeof value === 'object' ? String((value as Node)['#text'] ?? '') || null : String(value));
const refuse = (message: string): never => {
  throw new ValidationError([{ path: ['body'], message }]);
};

function amountOf(node: Node | undefined, where: string): bigint {
  const raw = text(node);
  if (!raw || !/^\d{1,15}(\.\d{1,2})?$/.test(raw)) refuse(`${where} : montant illisible (${raw ?? 'absent'}).`);
  return minorUnits(parseApiAmount(raw!));
}

const signed = (amount: bigint, indicator: unknown) => (text(indicator) === 'DBIT' ? -amount : amount);
const dateOf = (node: Node | undefined): string | null => text(node?.Dt) ?? (text(node?.DtTm)?.slice(0, 10) || null);

export function parseCamt053(content: Buffer): ParsedStatement {
  if (content.length > statementSizeMaxBytes) refuse(`Relevé trop volumineux (plus de ${statementSizeMaxBytes / 1024 / 1024} Mo).`);
  const xml = content.toString('utf8');
  // A bank statement has no business with a DTD: refusing it closes the door to XXE and entity bombs.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) refuse('Relevé refusé : les DTD et entités XML ne sont pas acceptées.');
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) refuse(`XML mal formé (ligne ${wellFormed.err.line}) : ${wellFormed.err.msg}`);
  const namespace = /xmlns(?::\w+)?="urn:iso:std:iso:20022:tech:xsd:(camt\.053\.\d{3}\.\d{2})"/.exec(xml)?.[1];
  if (!namespace || !supportedVersions.includes(namespace)) refuse(`Format non pris en charge (${namespace ?? 'espace de noms camt.053 absent'}) : ${supportedVersions.join(', ')}.`);
  const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, processEntities: false, isArray: (name) => ['Stmt', 'Ntry', 'TxDtls', 'Bal', 'Ustrd'].includes(name) });
  const document: Node = parser.parse(xml);
  const statements = list<Node>(document.Document?.BkToCstmrStmt?.Stmt);
  if (statements.length !== 1) refuse(`Un fichier porte un relevé (ici ${statements.length}).`);
  const statement = statements[0]!;
  const balance = (code: string) => {
    const found = list<Node>(statement.Bal).find((item) => text(item.Tp?.CdOrPrtry?.Cd) === code);
    if (!found) return refuse(`Solde ${code} absent du relevé.`);
    return { amountMinor: signed(amountOf(found.Amt, `Solde ${code}`), found.CdtDbtInd), date: dateOf(found.Dt) ?? refuse(`Solde ${code} sans date.`) };
  };
  const accountIban = text(statement.Acct?.Id?.IBAN) ?? refuse('IBAN du compte absent du relevé.');
  const lines: StatementLine[] = [];
  list<Node>(statement.Ntry).forEach((entry, entryIndex) => {
    if (text(entry.Sts?.Cd ?? entry.Sts) !== 'BOOK') return;
    const entryAmount = signed(amountOf(entry.Amt, `Écriture ${entryIndex + 1}`), entry.CdtDbtInd);
    const details = list<Node>(entry.NtryDtls?.TxDtls);
    const batch = details.length > 1;
    const common = { entryNumber: entryIndex + 1, bookingDate: dateOf(entry.BookgDt) ?? refuse(`Écriture ${entryIndex + 1} sans date de comptabilisation.`), valueDate: dateOf(entry.ValDt), bankReference: text(entry.AcctSvcrRef), batchBooking: batch };
    if (details.length === 0) {
      lines.push({ ...common, detailNumber: 1, amountMinor: entryAmount, endToEndId: null, structuredReference: null, counterpartyName: null, counterpartyIban: null, remittance: list(entry.AddtlNtryInf).map(text).join(' ') || null, returnReason: null });
      return;
    }
    details.forEach((detail, detailIndex) => {
      const incoming = entryAmount > 0n;
      const party = incoming ? detail.RltdPties?.Dbtr : detail.RltdPties?.Cdtr;
      const partyAccount = incoming ? detail.RltdPties?.DbtrAcct : detail.RltdPties?.CdtrAcct;
      const amount = batch ? signed(amountOf(detail.Amt ?? detail.AmtDtls?.TxAmt?.Amt, `Écriture ${entryIndex + 1}, détail ${detailIndex + 1}`), entry.CdtDbtInd) : entryAmount;
      const endToEnd = text(detail.Refs?.EndToEndId);
      lines.push({
        ...common,
        detailNumber: detailIndex + 1,
        amountMinor: amount,
        endToEndId: endToEnd === 'NOTPROVIDED' ? null : endToEnd,
        structuredReference: text(detail.RmtInf?.Strd?.CdtrRefInf?.Ref),
        counterpartyName: text(party?.Nm ?? party?.Pty?.Nm),
        counterpartyIban: text(partyAccount?.Id?.IBAN),
        remittance: list(detail.RmtInf?.Ustrd).map(text).join(' ') || null,
        returnReason: text(detail.RtrInf?.Rsn?.Cd),
      });
    });
    if (batch && lines.filter((line) => line.entryNumber === entryIndex + 1).reduce((total, line) => total + line.amountMinor, 0n) !== entryAmount) {
      refuse(`Écriture ${entryIndex + 1} : les détails de la remise ne font pas son montant.`);
    }
  });
  return { format: namespace!, accountIban: accountIban.replace(/\s/g, ''), statementId: text(statement.Id) ?? refuse('Identifiant du relevé absent.'), opening: balance('OPBD'), closing: balance('CLBD'), lines };
}
