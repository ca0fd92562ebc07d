import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config';
import { connect, migrateToLatest, pendingMigrations, type Database } from './db/database';
import { demoCredentialsText, seedDemo } from './demo/seed';
import { DomainError } from './errors';
import { roles, type Role } from './identity/roles';
import { createUser } from './identity/service';
import { startInfrastructure } from './infrastructure';
import { pageSizeMax } from './db/pagination';
import { listBatches } from './treasury/lists';
import { batchFile } from './treasury/disbursements';
import { formatFrench, parseApiAmount } from './money';
import { exportFec } from './ledger/fec';
import { verifyBooks } from './books';
import { mermaidDiagram } from './workflow-runtime';
import { workflows } from '../workflows';

/**
 * `npm run cli -- <command>`: the operations an administrator runs by hand.
 * Against DATABASE_URL, or the local embedded PostgreSQL (shared with a
 * running `npm start`).
 */
type Command = { summary: string; usage: string } &
  /** `migrates`: brings the schema up to date itself; the others need it current. */
  (
    | { offline?: false; migrates?: true; run: (db: Database, args: string[]) => Promise<number> }
    /** Needs no database: starts nothing. */
    | { offline: true; run: (args: string[]) => Promise<number> }
  );

const batchStateLabels: Record<string, string> = { prepared: 'préparé', sent: 'envoyé', paid: 'payé' };

const say = (message: string) => process.stdout.write(`${message}\n`);

const commands: Record<string, Command> = {
  migrate: {
    summary: 'applique les migrations en attente',
    usage: 'migrate',
    migrates: true,
    run: async (db) => {
      const applied = await migrateToLatest(db);
      say(applied.length > 0 ? `Migrations appliquées : ${applied.join(', ')}` : 'Base à jour.');
      return 0;
    },
  },
  'seed:demo': {
    summary: 'charge le jeu de démonstration (idempotent)',
    usage: 'seed:demo',
    migrates: true,
    run: async (db) => {
      await migrateToLatest(db);
      await seedDemo(db);
      say(demoCredentialsText());
      return 0;
    },
  },
  'user:create': {
    summary: 'crée un compte ; --role se répète, avec un périmètre après « : »',
    usage: 'user:create --email ines@exemple.fr --name "Inès" [--password …] --role treasurer:dotation [--role admin]',
    run: async (db, args) => {
      const { values } = parseArgs({
        args,
        options: {
          email: { type: 'string' },
          name: { type: 'string' },
          password: { type: 'string' },
          role: { type: 'string', multiple: true },
        },
      });
      if (!values.email || !values.name || !values.role?.length)
        throw new UsageError('--email, --name et au moins un --role sont requis.');
      const grants = values.role.map((text) => {
        const [role, scopeId] = text.split(':') as [string, string | undefined];
        if (!roles.includes(role as Role))
          throw new UsageError(`Rôle inconnu « ${role} » (rôles : ${roles.join(', ')}).`);
        return { role: role as Role, scopeId };
      });
      const user = await db.transaction((trx) =>
        createUser(trx, { email: values.email!, displayName: values.name!, password: values.password, roles: grants }),
      );
      say(
        `Compte créé : ${user.email} (${user.id})${values.password ? '' : ' — sans mot de passe : connexion par jeton uniquement'}`,
      );
      return 0;
    },
  },
  'ledger:verify': {
    summary: 'recalcule les soldes depuis les lignes et vérifie chaque règle des livres',
    usage: 'ledger:verify',
    run: async (db) => {
      const verification = await verifyBooks(db);
      for (const fund of verification.funds)
        say(
          `${fund.fundId.padEnd(16)} ${String(fund.entries).padStart(8)} écritures  ${String(fund.postings).padStart(9)} lignes  balance ${fund.trialBalanceMinor}`,
        );
      for (const problem of verification.problems)
        say(`PROBLÈME [${problem.check}] ${problem.fundId} : ${problem.detail}`);
      say(verification.ok ? 'Livres vérifiés : aucun problème.' : `${verification.problems.length} problème(s).`);
      return verification.ok ? 0 : 1;
    },
  },
  'fec:export': {
    summary: "écrit le FEC d'un fonds pour un exercice",
    usage: 'fec:export --fund dotation --year 2026 [--out dossier]',
    run: async (db, args) => {
      const { values } = parseArgs({
        args,
        options: { fund: { type: 'string' }, year: { type: 'string' }, out: { type: 'string' } },
      });
      if (!values.fund || !values.year || !/^\d{4}$/.test(values.year))
        throw new UsageError('--fund et --year (AAAA) sont requis.');
      const fec = await exportFec(db, values.fund, Number(values.year));
      const folder = path.resolve(values.out ?? '.');
      fs.mkdirSync(folder, { recursive: true });
      const file = path.join(folder, fec.fileName);
      fs.writeFileSync(file, fec.content);
      say(`${file} (${fec.lineCount} lignes, ISO 8859-15)`);
      return 0;
    },
  },
  'treasury:export-batch': {
    summary: "écrit le fichier de virements SEPA (pain.001.001.09) d'un lot de paiements",
    usage: 'treasury:export-batch <batch-id> [--out fichier.xml]   (sans identifiant : liste les lots)',
    run: async (db, args) => {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' } } });
      const [batchId] = positionals;
      if (!batchId) {
        const { batches, total } = await listBatches(db, { page: 1, pageSize: pageSizeMax });
        for (const batch of batches)
          say(
            `${batch.id}  ${batch.fundId}  exécution ${batch.executionDate}  ${batchStateLabels[batch.state] ?? batch.state}  ${batch.payments} virement(s)  ${formatFrench(parseApiAmount(batch.total))}`,
          );
        if (batches.length === 0) say('Aucun lot de paiement.');
        if (total > batches.length) say(`(les ${batches.length} plus récents sur ${total})`);
        return 0;
      }
      if (!/^[0-9a-f-]{36}$/.test(batchId))
        throw new UsageError('Identifiant du lot : un uuid (sans identifiant, la commande liste les lots).');
      const file = await batchFile(db, batchId);
      const target = path.resolve(values.out ?? file.fileName);
      fs.writeFileSync(target, file.xml);
      say(`${target} (${file.xml.length} octets)`);
      return 0;
    },
  },
  'workflow:diagram': {
    summary: "imprime le diagramme Mermaid d'un parcours",
    usage: `workflow:diagram <${Object.keys(workflows).join('|')}>`,
    offline: true,
    run: async ([name]) => {
      const workflow = name ? workflows[name] : undefined;
      if (!workflow)
        throw new UsageError(`Parcours inconnu « ${name ?? ''} » (parcours : ${Object.keys(workflows).join(', ')}).`);
      process.stdout.write(mermaidDiagram(workflow.machine));
      return 0;
    },
  },
};

class UsageError extends Error {}

/** A database the code does not know yet (fresh, or behind this version) is named, not met with "relation … does not exist". */
async function assertSchemaCurrent(db: Database): Promise<void> {
  const pending = await pendingMigrations(db);
  if (pending > 0) {
    throw new UsageError(
      `La base n'est pas à jour (${pending} migration(s) en attente) : lancez d'abord \`npm run cli -- migrate\` (\`npm start\` migre aussi au démarrage).`,
    );
  }
}

function help(): string {
  return [
    'Usage : npm run cli -- <commande> [options]',
    '',
    ...Object.entries(commands).map(
      ([name, command]) => `  ${name.padEnd(14)} ${command.summary}\n  ${''.padEnd(14)} ${command.usage}`,
    ),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    say(help());
    return name && name !== 'help' ? 2 : 0;
  }
  if (command.offline) return command.run(args);
  const config = loadConfig();
  const infrastructure = await startInfrastructure(config, () => undefined, { redis: false });
  const db = connect(infrastructure.databaseUrl);
  try {
    if (!command.migrates) await assertSchemaCurrent(db);
    return await command.run(db, args);
  } finally {
    await db.destroy();
    await infrastructure.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof ConfigError || error instanceof DomainError;
    process.stderr.write(
      `${known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(known ? 2 : 1);
  },
);
