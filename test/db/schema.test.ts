import fs from 'node:fs';
import path from 'node:path';
import { migrateToLatest } from '../../src/db/database';
import { describeSchema } from '../../src/db/schema-description';
import { createTestDatabase, type TestDatabase } from '../support/services';

/**
 * migrations/schema.sql is the schema every migration leads to, readable in one
 * place: this test fails when a migration changed it and the file was not
 * regenerated (`npm run db:schema` writes it).
 */
const schemaFile = path.resolve(__dirname, '../../migrations/schema.sql');
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ fresh: true });
  await migrateToLatest(database.db);
});
afterAll(() => database.drop());

it('matches the committed schema file, functions and triggers included', async () => {
  const schema = await describeSchema(database.db);
  if (process.env.WRITE_SCHEMA === '1') fs.writeFileSync(schemaFile, schema);
  expect(schema).toContain('create table journal_entries (');
  expect(schema).toMatch(/CREATE OR REPLACE FUNCTION public\.\w+/);
  expect(schema).toMatch(/CREATE (CONSTRAINT )?TRIGGER \w+/);
  expect(schema).toBe(fs.readFileSync(schemaFile, 'utf8'));
});
