import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * `npm start` stops cleanly: SIGTERM or SIGINT to the process stops the API, the
 * worker, Redis and PostgreSQL, and leaves every port it used free.
 */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
const portInUse = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

it.each([
  ['SIGTERM', 'node'],
  ['SIGINT', 'node'],
] as const)('stops everything on %s sent to %s, leaving its ports free', async (signal, receiver) => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'milliard-stop-'));
  fs.chmodSync(folder, 0o755);
  const ports = { http: await freePort(), postgres: await freePort(), redis: await freePort() };
  // The process `npm start` runs, as a supervisor (or Ctrl-C in a terminal, which reaches it too) signals it.
  const [command, ...args] = [process.execPath, '--import', 'tsx', 'src/main.ts'];
  const child = spawn(command!, args, {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', NODE_ENV: 'development', DATA_DIR: path.join(folder, 'data'), PORT: String(ports.http), EMBEDDED_POSTGRES_PORT: String(ports.postgres), LOCAL_REDIS_PORT: String(ports.redis), SEED_DEMO: 'false', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (output.includes('milliard écoute sur')) {
          clearInterval(timer);
          resolve();
        }
      }, 100);
      child.once('exit', () => reject(new Error(`stopped before listening:\n${output}`)));
    });
    for (const port of Object.values(ports)) expect(await portInUse(port)).toBe(true);
    const exited = new Promise<{ code: number | null; by: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, by) => resolve({ code, by })));
    child.kill(signal);
    const { code, by } = await exited;
    expect([receiver, code, by]).toEqual(['node', 0, null]);
    expect(output).toContain('Arrêté.');
    for (const port of Object.values(ports)) expect([port, await portInUse(port)]).toEqual([port, false]);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
