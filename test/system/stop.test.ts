import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * `npm start` stops cleanly: SIGTERM or SIGINT, to npm or to the node process,
 * stops the API, the worker, Redis and PostgreSQL and leaves every port it used
 * free; a start after kill -9 stops what the killed run left and starts afresh.
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

type Ports = { http: number; postgres: number; redis: number };
type Running = {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; by: NodeJS.Signals | null }>;
};

/** `npm start` itself, or the process it runs (as a supervisor, or Ctrl-C in a terminal, reaches it). */
async function start(receiver: 'npm' | 'node', folder: string, ports: Ports): Promise<Running> {
  const [command, ...args] =
    receiver === 'npm' ? ['npm', 'start', '--silent'] : [process.execPath, '--import', 'tsx', 'src/main.ts'];
  const child = spawn(command, args, {
    cwd: path.resolve(__dirname, '../..'),
    env: {
      ...process.env,
      DATABASE_URL: '',
      REDIS_URL: '',
      NODE_ENV: 'development',
      DATA_DIR: path.join(folder, 'data'),
      PORT: String(ports.http),
      EMBEDDED_POSTGRES_PORT: String(ports.postgres),
      LOCAL_REDIS_PORT: String(ports.redis),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; by: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, by) => resolve({ code, by })),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('milliard écoute sur')) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`stopped before listening:\n${output}`));
    });
  });
  return { child, output: () => output, exited };
}

const eventuallyFree = async (port: number) => {
  for (let attempt = 0; attempt < 50 && (await portInUse(port)); attempt += 1)
    await new Promise((resolve) => setTimeout(resolve, 100));
  return !(await portInUse(port));
};

let folder: string;
let ports: Ports;
beforeEach(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'milliard-stop-'));
  fs.chmodSync(folder, 0o755);
  ports = { http: await freePort(), postgres: await freePort(), redis: await freePort() };
});
afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

it.each([
  ['SIGTERM', 'node'],
  ['SIGINT', 'node'],
  ['SIGTERM', 'npm'],
  ['SIGINT', 'npm'],
] as const)('stops everything on %s sent to %s, leaving its ports free', async (signal, receiver) => {
  const running = await start(receiver, folder, ports);
  try {
    for (const port of Object.values(ports)) expect(await portInUse(port)).toBe(true);
    running.child.kill(signal);
    const { code } = await running.exited;
    // npm reports the signal its script ended on; node itself ends with 0 after a clean stop.
    if (receiver === 'node') expect(code).toBe(0);
    for (const port of Object.values(ports)) expect([port, await eventuallyFree(port)]).toEqual([port, true]);
    expect(running.output()).toContain('Arrêté.');
  } finally {
    if (running.child.exitCode === null) running.child.kill('SIGKILL');
  }
});

it('stops, on the next start, what a run killed with kill -9 left behind, and then stops cleanly', async () => {
  const killed = await start('node', folder, ports);
  killed.child.kill('SIGKILL');
  await killed.exited;
  // PostgreSQL and Redis outlived it, on their ports.
  expect([await portInUse(ports.postgres), await portInUse(ports.redis)]).toEqual([true, true]);
  const again = await start('node', folder, ports);
  try {
    expect(again.output()).toMatch(/PostgreSQL laissé par un arrêt brutal \(pid \d+\) : arrêt, puis redémarrage\./);
    expect(again.output()).toMatch(/Redis laissé par un arrêt brutal \(pid \d+\) : arrêt, puis redémarrage\./);
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
    for (const port of Object.values(ports)) expect([port, await eventuallyFree(port)]).toEqual([port, true]);
  } finally {
    if (again.child.exitCode === null) again.child.kill('SIGKILL');
  }
});
