/**
 * `npm run conformance`: every batch shape the tests build, generated afresh
 * and validated against the EPC's pain.001.001.09 schema with libxml2 (wasm).
 * The schema is a published standard we do not copy into the repository: it is
 * read from SEPA_PAIN001_XSD (default ../shared/standards/pain.001.001.09.xsd, see below).
 */
import fs from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { painSchemaCandidates } from '../../src/treasury/pain-schema';
import { painCreditTransfer } from '../../src/treasury/sepa';
import { sepaBatches } from '../support/sepa-batches';

async function main(): Promise<number> {
  const candidates = painSchemaCandidates();
  const schemaPath = candidates.find((candidate) => fs.existsSync(candidate)) ?? candidates[0]!;
  if (!fs.existsSync(schemaPath)) {
    console.error(
      `Schéma introuvable : ${schemaPath}. Téléchargez pain.001.001.09.xsd (EPC, « SEPA Credit Transfer Scheme Customer-to-PSP Implementation Guidelines ») et donnez son chemin dans SEPA_PAIN001_XSD.`,
    );
    return 1;
  }
  const schema = { fileName: path.basename(schemaPath), contents: fs.readFileSync(schemaPath, 'utf8') };
  let failures = 0;
  for (const [shape, batch] of Object.entries(sepaBatches)) {
    const xml = painCreditTransfer(batch);
    const result = await validateXML({ xml: [{ fileName: `${shape}.xml`, contents: xml }], schema: [schema] });
    console.log(`${result.valid ? 'conforme' : 'NON CONFORME'} — ${shape} (${batch.transfers.length} virement(s))`);
    for (const error of result.errors) console.log(`  ${error.rawMessage}`);
    if (!result.valid) failures += 1;
  }
  console.log(
    failures === 0 ? `Tous les fichiers sont conformes à ${schemaPath}.` : `${failures} fichier(s) non conforme(s).`,
  );
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
