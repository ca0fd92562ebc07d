/** The import's job, as the worker runs it (`donations.import`), in a process of its own: `import-job.ts <databaseUrl> <importId>`. */
import { connect } from '../../src/db/database';
import { runDonationImport } from '../../src/endowment/import';

const [databaseUrl, importId] = process.argv.slice(2);
const db = connect(databaseUrl!, { poolMax: 2 });
runDonationImport(db, importId!).then(
  async () => {
    await db.destroy();
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
