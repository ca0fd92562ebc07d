import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * The local servers `npm start` runs (PostgreSQL, Redis) are its children. When
 * it is killed without a chance to stop them (kill -9, a crash), they live on,
 * adopted by the system. The next start must recognise them and stop them rather
 * than fail on their ports — and must leave alone a server another live run owns.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The pid a server wrote in its pid file, when that process still runs (and, on
 * Linux, is still that program: a pid is reused once its process has ended).
 */
export function runningPidFromFile(pidFile: string, program: string): number | undefined {
  if (!fs.existsSync(pidFile)) return undefined;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isRunning(pid)) return undefined;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(program) ? pid : undefined;
  } catch {
    return pid;
  }
}

/** Whether the process lost the Node process that started it (its parent is now init or some other reaper). */
export function isOrphaned(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the parent pid is the second field after it.
    const parentPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parentPid <= 1) return true;
    return !/(^|\/)node\0/.test(fs.readFileSync(`/proc/${parentPid}/cmdline`, 'utf8'));
  } catch {
    // No /proc (not Linux): never stop what we cannot tell apart.
    return false;
  }
}

/** Sends `signal`, then waits for the process to end (SIGKILL after `timeoutMs`). */
export async function stopProcess(pid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (!isRunning(pid)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid) && !isZombie(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/**
 * Installs Debian packages with apt-get (as root, where the machine lets us: a fresh CI box, a newcomer's
 * container). Returns the apt-get command that failed, with its status, or undefined when all went well.
 */
export function aptGetInstall(packages: string[]): string | undefined {
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...packages]]) {
    const result = spawnSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0) return `apt-get ${args.join(' ')} (code ${String(result.status)})`;
  }
  return undefined;
}
