/**
 * camt.053 statements as two banks would write them: version 001.02 (parties
 * named directly) and 001.08 (parties under Pty). One statement carries a
 * donation received, one of our transfers debited, bank fees, a batch booking
 * of two transfers, and a return (R-transaction) of a transfer.
 */
export type CamtVersion = '001.02' | '001.08';

export const party = (version: CamtVersion, role: 'Dbtr' | 'Cdtr', name: string, iban: string) =>
  version === '001.08'
    ? `<${role}><Pty><Nm>${name}</Nm></Pty></${role}><${role}Acct><Id><IBAN>${iban}</IBAN></Id></${role}Acct>`
    : `<${role}><Nm>${name}</Nm></${role}><${role}Acct><Id><IBAN>${iban}</IBAN></Id></${role}Acct>`;

const balance = (code: string, amount: string, date: string) =>
  `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>`;

export const entry = (
  version: CamtVersion,
  amount: string,
  indicator: string,
  date: string,
  reference: string,
  details: string[],
  additional = '',
) =>
  `<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>${indicator}</CdtDbtInd>${version === '001.08' ? '<Sts><Cd>BOOK</Cd></Sts>' : '<Sts>BOOK</Sts>'}<BookgDt><Dt>${date}</Dt></BookgDt><ValDt><Dt>${date}</Dt></ValDt><AcctSvcrRef>${reference}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>${
    details.length ? `<NtryDtls>${details.join('')}</NtryDtls>` : ''
  }${additional ? `<AddtlNtryInf>${additional}</AddtlNtryInf>` : ''}</Ntry>`;

export const tx = (inner: string, amount?: string) =>
  `<TxDtls>${amount ? `<Amt Ccy="EUR">${amount}</Amt>` : ''}${inner}</TxDtls>`;

export function camtStatement(
  version: CamtVersion,
  options: { statementId: string; iban: string; ourEndToEndId: string },
): string {
  const entries = [
    entry(version, '250.00', 'CRDT', '2026-11-03', 'BQ-0001', [
      tx(
        `<Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><RltdPties>${party(version, 'Dbtr', 'MARTIN ELISE', 'FR7630006000011234567890189')}</RltdPties><RmtInf><Ustrd>DON FONDS DOTATION</Ustrd></RmtInf>`,
      ),
    ]),
    entry(version, '7500.00', 'DBIT', '2026-11-04', 'BQ-0002', [
      tx(
        `<Refs><EndToEndId>${options.ourEndToEndId}</EndToEndId></Refs><RltdPties>${party(version, 'Cdtr', 'La Fabrique du Tiers-Lieu', 'FR7630006000011234567890189')}</RltdPties><RmtInf><Ustrd>Aide La Fabrique du Tiers-Lieu - tranche 1/3</Ustrd></RmtInf>`,
      ),
    ]),
    entry(version, '4.20', 'DBIT', '2026-11-05', 'BQ-0003', [], 'FRAIS TENUE DE COMPTE'),
    entry(version, '3000.00', 'DBIT', '2026-11-06', 'BQ-0004', [
      tx(
        `<Refs><EndToEndId>MIL-LOT-A</EndToEndId></Refs><RltdPties>${party(version, 'Cdtr', 'Atelier A', 'DE89370400440532013000')}</RltdPties><RmtInf><Ustrd>Aide A</Ustrd></RmtInf>`,
        '1000.00',
      ),
      tx(
        `<Refs><EndToEndId>MIL-LOT-B</EndToEndId></Refs><RltdPties>${party(version, 'Cdtr', 'Atelier B', 'BE68539007547034')}</RltdPties><RmtInf><Ustrd>Aide B</Ustrd></RmtInf>`,
        '2000.00',
      ),
    ]),
    entry(version, '1000.00', 'CRDT', '2026-11-07', 'BQ-0005', [
      tx(
        `<Refs><EndToEndId>MIL-LOT-A</EndToEndId></Refs><RltdPties>${party(version, 'Dbtr', 'Atelier A', 'DE89370400440532013000')}</RltdPties><RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf>`,
      ),
    ]),
  ];
  return camtDocument(version, {
    statementId: options.statementId,
    iban: options.iban,
    opening: ['10000.00', '2026-11-02'],
    closing: ['745.80', '2026-11-07'],
    entries,
  });
}

/** A statement of any entries; balances are credit balances [amount, date]. */
export function camtDocument(
  version: CamtVersion,
  options: {
    statementId: string;
    iban: string;
    opening: [string, string];
    closing: [string, string];
    entries: string[];
  },
): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.${version}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-${options.statementId}</MsgId><CreDtTm>2026-11-08T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>${options.statementId}</Id>
      <CreDtTm>2026-11-08T06:00:00</CreDtTm>
      <Acct><Id><IBAN>${options.iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>
      ${balance('OPBD', ...options.opening)}
      ${balance('CLBD', ...options.closing)}
      ${options.entries.join('\n      ')}
    </Stmt>
  </BkToCstmrStmt>
</Document>`;
}
