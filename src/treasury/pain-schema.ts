import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { RuleViolationError } from '../errors';
import { treasuryMessages } from './messages';

/**
 * The EPC's pain.001.001.09 schema, which every exported SEPA file must pass
 * before it is offered (and which `npm run conformance` checks in CI). It is a
 * published standard we do not copy into the repository: SEPA_PAIN001_XSD names
 * it, else ../shared/standards/ beside this repository — or beside the
 * repository it was cloned from, for a clone made in a temporary folder.
 */
const schemaBesideRepository = (repository: string) =>
  path.resolve(repository, '../shared/standards/pain.001.001.09.xsd');

export function painSchemaCandidates(): string[] {
  if (process.env.SEPA_PAIN001_XSD) return [path.resolve(process.env.SEPA_PAIN001_XSD)];
  const repository = path.resolve(__dirname, '../..');
  const origin = spawnSync('git', ['-C', repository, 'remote', 'get-url', 'origin'], { encoding: 'utf8' });
  const localOrigin =
    origin.status === 0 && path.isAbsolute(origin.stdout.trim()) ? [schemaBesideRepository(origin.stdout.trim())] : [];
  return [schemaBesideRepository(repository), ...localOrigin];
}

let schema: { fileName: string; contents: string } | undefined;

function loadSchema(): { fileName: string; contents: string } {
  if (schema) return schema;
  const found = painSchemaCandidates().find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new RuleViolationError('treasury/schema-missing', treasuryMessages.painSchemaMissing);
  }
  schema = { fileName: path.basename(found), contents: fs.readFileSync(found, 'utf8') };
  return schema;
}

/** Refuses a pain.001 file the schema refuses, quoting libxml2's first messages. */
export async function assertPainValid(xml: string): Promise<void> {
  const result = await validateXML({ xml: [{ fileName: 'virements.xml', contents: xml }], schema: [loadSchema()] });
  if (!result.valid) {
    throw new RuleViolationError(
      'treasury/file-invalid',
      treasuryMessages.painSchemaBreached(
        result.errors
          .slice(0, 3)
          .map((error) => error.message)
          .join(' ; '),
      ),
    );
  }
}
