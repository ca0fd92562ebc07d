/**
 * Reconciliation benchmark: `npm run bench:reconcile`.
 *
 * For 10,000 and then 100,000 statement lines against as many expected items
 * (60 % of our transfers quoting their end-to-end id, 30 % reported without it
 * — matched by amount, IBAN and date —, 10 % announced gifts quoting their
 * structured reference), times the whole proposal step — open lines and
 * expected items read from PostgreSQL, matched, every proposal written — and
 * the matcher alone. The timed step runs in a process of its own, so that its
 * peak memory is its own. Prints the results and appends them to bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, migrateToLatest } from '../../src/db/database';
import { startLocalPostgres } from '../../src/db/embedded-postgres';
import { seedDemo } from '../../src/demo/seed';
import { newCreditorReference } from '../../src/identifiers/creditor-reference';
import { createDatabaseIfMissing } from '../../src/infrastructure';
import { expectedItems, openLinesOf, proposeMatches } from '../../src/treasury/bank-matches';
import { reconcile } from '../../src/treasury/matcher';
import { appendResult, machineDescription, utcMinute } from '../support';

const sizes = [10_000, 100_000];
const port = 54_332;
const fundId = 'dotation';
const ibans = [
  'FR7630006000011234567890189',
  'DE89370400440532013000',
  'BE68539007547034',
  'FR7610107001011234567890129',
];

type SizeResult = { size: number; proposed: number; seconds: number; matcherSeconds: number; peakRssMb: number };

/** The statement and what the fund expects, written set-based: setting up is not what is measured. */
async function prepare(databaseUrl: string, size: number): Promise<string> {
  const db = connect(databaseUrl, { poolMax: 2 });
  try {
    await migrateToLatest(db);
    await seedDemo(db);
    const treasurer = (await db('users').where('email', 'tresoriere@milliard.test').first('id')).id;
    const request = (await db('disbursement_requests').where('fund_id', fundId).first('id')).id;
    const donor = (await db('donors').where('fund_id', fundId).first('id')).id;
    const day = (offset: number) => new Date(Date.UTC(2026, 0, 1 + offset)).toISOString().slice(0, 10);
    const statementId = randomUUID();
    await db('bank_statements').insert({
      id: statementId,
      fund_id: fundId,
      format: 'camt.053.001.08',
      account_iban: 'FR7610107001011234567890129',
      bank_statement_id: `BENCH-${size}`,
      opening_minor: 0,
      opening_date: day(0),
      closing_minor: 0,
      closing_date: day(310),
      file_sha256: '0'.repeat(64),
      imported_by: treasurer,
    });
    // Forty items a day, in one payment batch a day; lines are booked up to two days later.
    const batches = Array.from({ length: Math.ceil(size / 40) }, (_, batch) => ({
      id: randomUUID(),
      fund_id: fundId,
      message_id: `BENCH-${size}-${batch}`,
      requested_execution_date: day(batch % 300),
      created_by: treasurer,
    }));
    const transfers: object[] = [];
    const receipts: object[] = [];
    const lines: object[] = [];
    for (let index = 0; index < size; index += 1) {
      const amountMinor = 1_000 + ((index * 7_919) % 9_999_000);
      const iban = ibans[index % ibans.length]!;
      const batch = batches[Math.floor(index / 40)]!;
      const line = {
        id: randomUUID(),
        statement_id: statementId,
        entry_number: index + 1,
        detail_number: 1,
        booking_date: day((Math.floor(index / 40) % 300) + (index % 3)),
        batch_booking: false,
      };
      if (index % 10 === 9) {
        const reference = newCreditorReference();
        receipts.push({
          fund_id: fundId,
          kind: 'donation',
          donor_id: donor,
          amount_minor: amountMinor,
          structured_reference: reference,
          expected_on: batch.requested_execution_date,
          label: `Don annoncé ${index}`,
          created_by: treasurer,
        });
        lines.push({ ...line, amount_minor: amountMinor, structured_reference: reference });
        continue;
      }
      const endToEndId = `BENCH-${size}-${index}`;
      transfers.push({
        id: randomUUID(),
        fund_id: fundId,
        request_id: request,
        amount_minor: amountMinor,
        creditor_name: `Bénéficiaire ${index}`,
        creditor_iban: iban,
        remittance: `Aide ${index}`,
        end_to_end_id: endToEndId,
        payable_account_code: '4671',
        requested_by: treasurer,
        batch_id: batch.id,
      });
      lines.push({
        ...line,
        amount_minor: -amountMinor,
        end_to_end_id: index % 10 < 6 ? endToEndId : null,
        counterparty_iban: iban,
      });
    }
    const insertJson = async (sql: string, rows: object[]) => {
      for (let offset = 0; offset < rows.length; offset += 20_000)
        await db.raw(sql, [JSON.stringify(rows.slice(offset, offset + 20_000))]);
    };
    await insertJson(
      `insert into payment_batches (id, fund_id, message_id, requested_execution_date, created_by)
       select * from json_to_recordset(?::json) as b(id uuid, fund_id text, message_id text, requested_execution_date date, created_by uuid)`,
      batches,
    );
    await insertJson(
      `insert into disbursements (id, fund_id, request_id, amount_minor, creditor_name, creditor_iban, remittance, end_to_end_id, payable_account_code, requested_by, batch_id)
       select * from json_to_recordset(?::json) as t(id uuid, fund_id text, request_id uuid, amount_minor bigint, creditor_name text, creditor_iban text, remittance text, end_to_end_id text, payable_account_code text, requested_by uuid, batch_id uuid)`,
      transfers,
    );
    await db.raw(
      `insert into workflow_instances (workflow, subject_type, subject_id, state, context)
       select 'disbursement', 'disbursement', d.id::text, 'sent', jsonb_build_object('requestedBy', d.requested_by, 'approvalsNeeded', 1, 'approvals', '[]'::jsonb, 'batchId', d.batch_id, 'returnReason', null)
       from disbursements d where d.end_to_end_id like 'BENCH-%'`,
    );
    await insertJson(
      `insert into expected_receipts (fund_id, kind, donor_id, amount_minor, structured_reference, expected_on, label, created_by)
       select * from json_to_recordset(?::json) as r(fund_id text, kind text, donor_id uuid, amount_minor bigint, structured_reference text, expected_on date, label text, created_by uuid)`,
      receipts,
    );
    await insertJson(
      `insert into bank_lines (id, statement_id, entry_number, detail_number, amount_minor, booking_date, end_to_end_id, structured_reference, counterparty_iban, batch_booking)
       select * from json_to_recordset(?::json) as l(id uuid, statement_id uuid, entry_number int, detail_number int, amount_minor bigint, booking_date date, end_to_end_id text, structured_reference text, counterparty_iban text, batch_booking boolean)`,
      lines,
    );
    await db.raw('analyze');
    return statementId;
  } finally {
    await db.destroy();
  }
}

/** The matcher alone, on the statement's lines and the fund's expected items as the proposal step reads them. */
async function timeMatcher(databaseUrl: string, statementId: string): Promise<number> {
  const db = connect(databaseUrl, { poolMax: 2 });
  try {
    const lines = await openLinesOf(db, statementId);
    const items = await expectedItems(db, fundId);
    const started = process.hrtime.bigint();
    reconcile(lines, items);
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await db.destroy();
  }
}

/** The proposal step, timed end to end, in a process that does nothing else: its peak memory is the step's. */
async function timeProposals(
  databaseUrl: string,
  size: number,
  statementId: string,
): Promise<Omit<SizeResult, 'matcherSeconds'>> {
  const db = connect(databaseUrl, { poolMax: 2 });
  try {
    const started = process.hrtime.bigint();
    const proposed = await db.transaction((trx) => proposeMatches(trx, fundId, statementId));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const matchedLines = (await db('bank_match_lines').where('live', true).countDistinct('line_id as count').first())!
      .count;
    if (Number(matchedLines) !== size) throw new Error(`${matchedLines} lignes rapprochées sur ${size}`);
    return { size, proposed, seconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  } finally {
    await db.destroy();
  }
}

async function child(): Promise<void> {
  const [databaseUrl, size, statementId] = [
    process.env.BENCH_DATABASE_URL!,
    Number(process.env.BENCH_SIZE),
    process.env.BENCH_STATEMENT_ID!,
  ];
  process.stdout.write(`${JSON.stringify(await timeProposals(databaseUrl, size, statementId))}\n`);
}

async function main(): Promise<void> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'milliard-bench-'));
  fs.chmodSync(folder, 0o755);
  const server = await startLocalPostgres({ dataDir: path.join(folder, 'postgres'), port });
  try {
    const results: SizeResult[] = [];
    for (const size of sizes) {
      const database = `milliard_reconcile_${size}`;
      await createDatabaseIfMissing(server.url('postgres'), database);
      const statementId = await prepare(server.url(database), size);
      const matcherSeconds = await timeMatcher(server.url(database), statementId);
      const run = spawnSync(process.execPath, [...process.execArgv, __filename], {
        env: {
          ...process.env,
          BENCH_CHILD: '1',
          BENCH_DATABASE_URL: server.url(database),
          BENCH_SIZE: String(size),
          BENCH_STATEMENT_ID: statementId,
        },
        encoding: 'utf8',
      });
      if (run.status !== 0) throw new Error(`taille ${size} : ${run.stderr}`);
      const result: SizeResult = { ...JSON.parse(run.stdout.trim().split('\n').at(-1)!), matcherSeconds };
      console.log(
        `${size} lignes : ${result.proposed} propositions en ${result.seconds.toFixed(2)} s (apparieur seul ${result.matcherSeconds.toFixed(2)} s), pic RSS ${result.peakRssMb} Mo`,
      );
      results.push(result);
    }
    const [small, large] = results as [SizeResult, SizeResult];
    const ratio = large.seconds / small.seconds;
    console.log(
      `rapport des temps 100 000 / 10 000 = ${ratio.toFixed(1)} (cible < 15) ; 100 000 lignes en ${large.seconds.toFixed(2)} s (cible < 10 s)`,
    );
    const machine = await machineDescription(server.url('postgres'));
    appendResult(
      '## reconcile',
      '`npm run bench:reconcile`. Proposition des rapprochements d’un relevé (lecture des lignes ouvertes et des attendus, appariement, écriture des propositions), chaque taille dans son processus ; entre parenthèses, l’apparieur seul. Cibles : rapport des temps < 15 ; 100 000 lignes < 10 s.\n\n' +
        '| date (UTC) | machine | 10 000 lignes s (apparieur) | pic RSS Mo | 100 000 lignes s (apparieur) | pic RSS Mo | rapport | contrôle |\n' +
        '|---|---|---|---|---|---|---|---|\n',
      `| ${utcMinute()} | ${machine} | ${small.seconds.toFixed(2)} (${small.matcherSeconds.toFixed(2)}) | ${small.peakRssMb} | ${large.seconds.toFixed(2)} (${large.matcherSeconds.toFixed(2)}) | ${large.peakRssMb} | **${ratio.toFixed(1)}** | chaque ligne rapprochée une fois |`,
    );
  } finally {
    await server.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

(process.env.BENCH_CHILD ? child() : main()).catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
