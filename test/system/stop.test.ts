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
/**
 * A free port below Linux's ephemeral range (32768–60999): the other test files start their
 * Redis and servers on ports the system hands out from that range, and one of them could take
 * a port picked from it between our pick and our start (a run then met another file's Redis).
 */
const freePort = async (): Promise<number> => {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
};
const portInUse = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

// Generous on a loaded CI machine, yet well under jest's limit, so that a hang is reported with its output.
const startLimitMs = 50_000;
const stopLimitMs = 30_000;

type Ports = { http: number; postgres: number; redis: number };
type Running = {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; by: NodeJS.Signals | null }>;
};

/** Fails with what the run printed when `promise` takes longer than `limitMs`: a stop that hangs says where. */
async function within<T>(limitMs: number, what: string, promise: Promise<T>, output: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${limitMs} ms. Output:\n${output()}`)), limitMs);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `npm start` itself, the process it runs (as a supervisor reaches it), or every process of the
 * group (Ctrl-C in a terminal reaches npm, node, PostgreSQL and Redis at once).
 */
type Receiver = 'npm' | 'node' | 'terminal';
async function start(receiver: Receiver, folder: string, ports: Ports): Promise<Running> {
  const [command, ...args] =
    receiver === 'node' ? [process.execPath, '--import', 'tsx', 'src/main.ts'] : ['npm', 'start', '--silent'];
  const child = spawn(command, args, {
    cwd: path.resolve(__dirname, '../..'),
    // A group of its own, as a terminal gives its foreground job.
    detached: receiver === 'terminal',
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
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; by: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, by) => resolve({ code, by })),
  );
  const listening = new Promise<void>((resolve, reject) => {
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
  await within(startLimitMs, 'start', listening, () => output).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return { child, output: () => output, exited };
}

const eventuallyFree = async (port: number) => {
  for (let attempt = 0; attempt < 50 && (await portInUse(port)); attempt += 1)
    await new Promise((resolve) => setTimeout(resolve, 100));
  return !(await portInUse(port));
};

const signalGroup = (groupId: number, signal: NodeJS.Signals | 0) => {
  try {
    process.kill(-groupId, signal);
    return true;
  } catch {
    return false;
  }
};
const groupGone = async (groupId: number) => {
  while (signalGroup(groupId, 0)) await new Promise((resolve) => setTimeout(resolve, 100));
};
/** Whatever a failed test left of the group, so that the next one starts clean. */
const groupKilled = async (groupId: number) => {
  if (signalGroup(groupId, 'SIGKILL')) await groupGone(groupId);
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
  ['SIGINT', 'terminal'],
  ['SIGHUP', 'terminal'],
] as const)('stops everything on %s sent to %s, leaving its ports free', async (signal, receiver) => {
  const running = await start(receiver, folder, ports);
  try {
    for (const port of Object.values(ports)) expect(await portInUse(port)).toBe(true);
    if (receiver === 'terminal') signalGroup(running.child.pid!, signal);
    else running.child.kill(signal);
    const { code } = await within(stopLimitMs, `stop on ${signal}`, running.exited, running.output);
    // npm reports the signal its script ended on; node itself ends with 0 after a clean stop.
    if (receiver === 'node') expect(code).toBe(0);
    // npm does not wait for node there: what counts is that nothing of the group lives on.
    if (receiver === 'terminal') await within(stopLimitMs, 'group gone', groupGone(running.child.pid!), running.output);
    for (const port of Object.values(ports)) expect([port, await eventuallyFree(port)]).toEqual([port, true]);
    expect(running.output()).toContain('Arrêté.');
  } finally {
    if (receiver === 'terminal') await groupKilled(running.child.pid!);
    else if (running.child.exitCode === null) running.child.kill('SIGKILL');
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
    expect((await within(stopLimitMs, 'stop on SIGTERM', again.exited, again.output)).code).toBe(0);
    for (const port of Object.values(ports)) expect([port, await eventuallyFree(port)]).toEqual([port, true]);
  } finally {
    if (again.child.exitCode === null) again.child.kill('SIGKILL');
  }
});
