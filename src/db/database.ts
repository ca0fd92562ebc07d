import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrations } from '../../migrations';

// bigint columns hold money: read them as BigInt, never as a float.
pg.types.setTypeParser(pg.types.builtins.INT8, (text) => BigInt(text));
// A calendar date is not an instant: keep 'YYYY-MM-DD' rather than a Date at midnight UTC.
pg.types.setTypeParser(pg.types.builtins.DATE, (text) => text);

export type Database = Knex;
export type Transaction = Knex.Transaction;

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};

export function connect(databaseUrl: string, options: { poolMax?: number } = {}): Database {
  return knexFactory({
    client: 'pg',
    connection: { connectionString: databaseUrl, application_name: 'milliard' },
    pool: { min: 0, max: options.poolMax ?? 10 },
    migrations: { migrationSource, tableName: 'knex_migrations' },
  });
}

export async function migrateToLatest(db: Database): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  return applied;
}

/** How many migrations this code knows are not applied yet. */
export async function pendingMigrations(db: Database): Promise<number> {
  const [, pending] = (await db.migrate.list()) as [unknown[], unknown[]];
  return pending.length;
}

/** Whether every migration this code knows has been applied (for /ready). */
export async function migrationsAreCurrent(db: Database): Promise<boolean> {
  return (await pendingMigrations(db)) === 0;
}
