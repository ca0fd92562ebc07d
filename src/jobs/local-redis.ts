import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { aptGetInstall, isOrphaned, runningPidFromFile, stopProcess } from '../processes';
import { jobsMessages } from './messages';

/**
 * A local `redis-server` for `npm start` and the test harness when no REDIS_URL
 * is given. Debian's package is installed when missing, if we are allowed to
 * (root, and ALLOW_APT_INSTALL not false); otherwise we stop and say how.
 */
export type LocalRedis = { url: string; stop: () => Promise<void> };

const startTimeoutMs = 10_000;

export class RedisUnavailableError extends Error {}

export function findRedisServer(): string | undefined {
  const candidates = (process.env.PATH ?? '')
    .split(path.delimiter)
    .concat(['/usr/bin', '/usr/local/bin', '/usr/sbin'])
    .map((folder) => path.join(folder, 'redis-server'));
  return candidates.find((candidate) => fs.existsSync(candidate));
}

export function ensureRedisServerInstalled(options: {
  allowAptInstall: boolean;
  log: (message: string) => void;
}): string {
  const existing = findRedisServer();
  if (existing) return existing;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !options.allowAptInstall) {
    throw new RedisUnavailableError(
      'redis-server est introuvable. Installez-le (Debian/Ubuntu : `sudo apt-get install -y redis-server`, ' +
        'macOS : `brew install redis`) ou donnez REDIS_URL vers un Redis existant.',
    );
  }
  options.log('redis-server manquant : installation du paquet Debian redis-server (apt-get)…');
  const failed = aptGetInstall(['redis-server']);
  if (failed) throw new RedisUnavailableError(jobsMessages.aptGetFailed(failed));
  const installed = findRedisServer();
  if (!installed) throw new RedisUnavailableError(jobsMessages.redisStillMissing);
  return installed;
}

export async function startLocalRedis(options: {
  port: number;
  dataDir: string;
  persistent: boolean;
  allowAptInstall: boolean;
  log: (message: string) => void;
}): Promise<LocalRedis> {
  const url = `redis://127.0.0.1:${options.port}`;
  // Our Redis writes its pid in our data folder, as PostgreSQL does: read from the file, not asked over
  // the network, so that a leftover is recognised even when it is too busy to answer.
  const pidFile = path.join(options.dataDir, 'redis.pid');
  const ours = runningPidFromFile(pidFile, 'redis-server');
  if (ours && isOrphaned(ours)) {
    // Left by a run killed without stopping it (kill -9): stop it, then start our own.
    options.log(`Redis laissé par un arrêt brutal (pid ${ours}) : arrêt, puis redémarrage.`);
    await stopProcess(ours, 'SIGTERM', 10_000);
  } else if (await canConnect(options.port)) {
    // `npm start` is running (or another Redis answers there): share it rather than fail on the port.
    options.log(`Redis répond déjà sur le port ${options.port} : réutilisation.`);
    return { url, stop: async () => undefined };
  }
  const binary = ensureRedisServerInstalled(options);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const persistence = options.persistent ? ['--appendonly', 'yes'] : ['--save', '', '--appendonly', 'no'];
  const child = spawn(
    binary,
    [
      '--port',
      String(options.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      options.dataDir,
      '--daemonize',
      'no',
      '--pidfile',
      pidFile,
      ...persistence,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => options.log(chunk.toString('utf8')));
  await waitForPort(options.port, child);
  return { url, stop: () => stopChild(child) };
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new RedisUnavailableError(jobsMessages.redisStoppedAtStart(child.exitCode, port));
    }
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(jobsMessages.redisNotAnswering(port, startTimeoutMs));
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  // Already ended (on its own, or by a Ctrl-C that reached it too): its pid may be another process's now.
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return stopProcess(child.pid, 'SIGTERM', 10_000);
}
