import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../src/db/database';

/** What every benchmark row says of the machine it ran on. */
export async function machineDescription(postgresUrl: string): Promise<string> {
  const db = connect(postgresUrl, { poolMax: 1 });
  try {
    const version = (await db.raw('show server_version')).rows[0]?.server_version ?? '?';
    return `${os.cpus().length} cœurs ${os.cpus()[0]?.model.trim() ?? ''}, ${Math.round(os.totalmem() / 2 ** 30)} Gio, Node ${process.version}, PostgreSQL embarqué (${version})`;
  } finally {
    await db.destroy();
  }
}

export const utcMinute = () => new Date().toISOString().slice(0, 16).replace('T', ' ');

/** Appends a row to a benchmark's table in bench/RESULTS.md, creating the table the first time. */
export function appendResult(heading: string, tableHeader: string, line: string): void {
  const file = path.resolve(__dirname, 'RESULTS.md');
  if (!fs.existsSync(file)) fs.writeFileSync(file, '# Benchmark results\n');
  const content = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, content.includes(heading) ? insertUnder(content, heading, line) : `${content.replace(/\n*$/, '\n')}\n${heading}\n\n${tableHeader}${line}\n`);
}

/** Keeps each benchmark's table together when several benchmarks share the file. */
function insertUnder(content: string, heading: string, line: string): string {
  const start = content.indexOf(heading);
  const next = content.indexOf('\n## ', start + heading.length);
  const end = next === -1 ? content.length : next;
  return `${content.slice(0, end).replace(/\n*$/, '\n')}${line}\n${content.slice(end)}`;
}
