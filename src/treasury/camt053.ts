import { XMLParser, XMLValidator } from 'fast-xml-parser';
import iconv from 'iconv-lite';
import { ValidationError } from '../errors';
import { minorUnits, parseApiAmount } from '../money';

/**
 * Bank-to-customer statements, camt.053 (versions 001.02 to 001.13, which name
 * the elements read here alike; RULES.md §4). The parser is given a document
 * only after it was found well-formed and free of any DTD: only XML's own
 * entities and character references are decoded, no external resource read. The
 * declared encoding is honoured (character references such as &#233; decoded too). A file may hold several statements (pages, or
 * several accounts); every problem is a 400 naming where it is, never a 500.
 */
export const statementSizeMaxBytes = 20 * 1024 * 1024;
/** Deeper than any camt.053 (about 12 levels): refused before parsing. */
const elementDepthMax = 40;
const namespacePattern = /xmlns(?::[\w.-]+)?\s*=\s*["']urn:iso:std:iso:20022:tech:xsd:(camt\.053\.001\.(\d{2}))["']/;
const supportedVersionNumbers = { min: 2, max: 13 };

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
  /** Page of a statement sent in several (MsgPgntn/PgNb), 1 otherwise. */
  pageNumber: number;
  /** ElctrncSeqNb / LglSeqNb, as the bank numbers its statements. */
  sequenceNumber: string | null;
  opening: { amountMinor: bigint; date: string };
  closing: { amountMinor: bigint; date: string };
  lines: StatementLine[];
};

type Node = Record<string, any>;
const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const text = (value: unknown): string | null =>
  value === undefined || value === null
    ? null
    : typeof value === 'object'
      ? textOf((value as Node)['#text'])
      : (value as string); // parseTagValue is off: every value is text
// The text of an element that also carries attributes (fast-xml-parser puts it under #text).
const textOf = (inner: unknown): string | null =>
  typeof inner === 'string' || typeof inner === 'number' ? String(inner) || null : null;
const refuse = (message: string): never => {
  throw new ValidationError([{ path: ['body'], message }]);
};

/** "5442.09000" is 5 442,09 €; "8.855" is refused: amounts may carry five decimals (ISO), but only cents are money here. */
function amountOf(node: Node | undefined, where: string, currency: string): bigint {
  const raw = text(node);
  const match = raw ? /^(\d{1,15})(?:\.(\d{1,5}))?$/.exec(raw) : null;
  if (!match) return refuse(`${where} : montant illisible (${raw ?? 'absent'}).`);
  const decimals = match[2] ?? '';
  if (/[1-9]/.test(decimals.slice(2))) refuse(`${where} : ${raw} n'est pas un montant exact en centimes.`);
  const ccy = typeof node === 'object' ? text(node['@Ccy']) : null;
  if (ccy !== currency)
    refuse(`${where} : montant en ${ccy ?? 'devise absente'}, alors que le compte est tenu en ${currency}.`);
  return minorUnits(parseApiAmount(`${match[1]}.${decimals.slice(0, 2).padEnd(2, '0')}`));
}

const signed = (amount: bigint, indicator: unknown) => (text(indicator) === 'DBIT' ? -amount : amount);
const dateOf = (node: Node | undefined): string | null => text(node?.Dt) ?? (text(node?.DtTm)?.slice(0, 10) || null);

/** The text of the file in the encoding its declaration names (UTF-8 when it names none). */
function decode(content: Buffer): string {
  const declared =
    /^\uFEFF?<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(
      content.subarray(0, 200).toString('latin1'),
    )?.[1] ?? 'UTF-8';
  if (!iconv.encodingExists(declared)) refuse(`Encodage déclaré inconnu : ${declared}.`);
  return iconv.decode(content, declared).replace(/^\uFEFF/, '');
}

function assertShallow(xml: string): void {
  let depth = 0;
  for (const tag of xml.matchAll(/<(\/?)[A-Za-z_][^>]*?(\/?)>/g)) {
    if (tag[1]) depth -= 1;
    else if (!tag[2]) depth += 1;
    if (depth > elementDepthMax)
      refuse(
        `XML refusé : plus de ${elementDepthMax} éléments imbriqués (ligne ${xml.slice(0, tag.index).split('\n').length}).`,
      );
  }
}

export function parseCamt053(content: Buffer): ParsedStatement[] {
  if (content.length > statementSizeMaxBytes)
    refuse(`Relevé trop volumineux (plus de ${statementSizeMaxBytes / 1024 / 1024} Mo).`);
  const xml = decode(content);
  // A bank statement has no business with a DTD: refusing it closes the door to XXE and entity bombs.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) refuse('Relevé refusé : les DTD et entités XML ne sont pas acceptées.');
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) refuse(`XML mal formé (ligne ${wellFormed.err.line}) : ${wellFormed.err.msg}`);
  assertShallow(xml);
  const version = namespacePattern.exec(xml);
  const versionNumber = Number(version?.[2]);
  if (!version || versionNumber < supportedVersionNumbers.min || versionNumber > supportedVersionNumbers.max) {
    refuse(
      `Format non pris en charge (${version?.[1] ?? 'espace de noms camt.053 absent'}) : camt.053.001.02 à camt.053.001.13.`,
    );
  }
  let document: Node;
  try {
    const parser = new XMLParser({
      removeNSPrefix: true,
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      parseTagValue: false,
      processEntities: true,
      htmlEntities: true,
      isArray: (name) => ['Stmt', 'Ntry', 'TxDtls', 'Bal', 'Ustrd'].includes(name),
    });
    document = parser.parse(xml);
  } catch (error) {
    return refuse(`XML illisible : ${error instanceof Error ? error.message : String(error)}`);
  }
  const statements = list<Node>(document.Document?.BkToCstmrStmt?.Stmt);
  if (statements.length === 0) refuse('Le fichier ne contient aucun relevé (BkToCstmrStmt/Stmt).');
  return statements.map((statement, index) =>
    parseStatement(statement, version![1]!, statements.length > 1 ? `Relevé ${index + 1} : ` : ''),
  );
}

function parseStatement(statement: Node, format: string, where: string): ParsedStatement {
  const statementId = text(statement.Id) ?? refuse(`${where}identifiant du relevé absent.`);
  const accountId =
    text(statement.Acct?.Id?.IBAN) ??
    text(statement.Acct?.Id?.Othr?.Id) ??
    refuse(`${where}compte absent du relevé (ni IBAN ni Othr/Id).`);
  const currency = text(statement.Acct?.Ccy) ?? 'EUR';
  const balance = (codes: string[]) => {
    const found = codes
      .map((code) => list<Node>(statement.Bal).find((item) => text(item.Tp?.CdOrPrtry?.Cd) === code))
      .find(Boolean);
    if (!found) return refuse(`${where}solde ${codes.join(' ou ')} absent du relevé.`);
    const code = text(found.Tp?.CdOrPrtry?.Cd);
    return {
      amountMinor: signed(amountOf(found.Amt, `${where}solde ${code}`, currency), found.CdtDbtInd),
      date: dateOf(found.Dt) ?? refuse(`${where}solde ${code} sans date.`),
    };
  };
  const lines: StatementLine[] = [];
  list<Node>(statement.Ntry).forEach((entry, entryIndex) => {
    if (text(entry.Sts?.Cd ?? entry.Sts) !== 'BOOK') return;
    const label = `${where}écriture ${entryIndex + 1}`;
    const entryAmount = signed(amountOf(entry.Amt, label, currency), entry.CdtDbtInd);
    if (entryAmount === 0n)
      refuse(
        `${label} : montant nul. Une écriture sans montant ne déplace pas d'argent et n'est pas importée ; demandez à la banque le relevé sans ces écritures d'information.`,
      );
    const details = list<Node>(entry.NtryDtls?.TxDtls);
    const batch = details.length > 1;
    const common = {
      entryNumber: entryIndex + 1,
      bookingDate: dateOf(entry.BookgDt) ?? refuse(`${label} sans date de comptabilisation.`),
      valueDate: dateOf(entry.ValDt),
      bankReference: text(entry.AcctSvcrRef),
      batchBooking: batch,
    };
    if (details.length === 0) {
      lines.push({
        ...common,
        detailNumber: 1,
        amountMinor: entryAmount,
        endToEndId: null,
        structuredReference: null,
        counterpartyName: null,
        counterpartyIban: null,
        remittance: list(entry.AddtlNtryInf).map(text).join(' ') || null,
        returnReason: null,
      });
      return;
    }
    details.forEach((detail, detailIndex) => {
      const incoming = entryAmount > 0n;
      const party = incoming ? detail.RltdPties?.Dbtr : detail.RltdPties?.Cdtr;
      const partyAccount = incoming ? detail.RltdPties?.DbtrAcct : detail.RltdPties?.CdtrAcct;
      const amount = batch
        ? signed(
            amountOf(detail.Amt ?? detail.AmtDtls?.TxAmt?.Amt, `${label}, détail ${detailIndex + 1}`, currency),
            entry.CdtDbtInd,
          )
        : entryAmount;
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
    if (
      batch &&
      lines
        .filter((line) => line.entryNumber === entryIndex + 1)
        .reduce((total, line) => total + line.amountMinor, 0n) !== entryAmount
    ) {
      refuse(`${label} : les détails de la remise ne font pas son montant.`);
    }
  });
  const page = text(statement.StmtPgntn?.PgNb ?? statement.MsgPgntn?.PgNb);
  return {
    format,
    accountIban: accountId.replace(/\s/g, ''),
    statementId,
    pageNumber: page && /^\d{1,5}$/.test(page) ? Number(page) : 1,
    sequenceNumber: text(statement.ElctrncSeqNb) ?? text(statement.LglSeqNb),
    // The opening balance: booked (OPBD) or, as some banks send it, the previous closing (PRCD).
    opening: balance(['OPBD', 'PRCD']),
    closing: balance(['CLBD']),
    lines,
  };
}
