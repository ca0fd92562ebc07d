import request from 'supertest';
import { pages } from '../../src/app';
import { seedFpciDemo } from '../../src/demo/fpci';
import { requestAnnualReceipts } from '../../src/endowment/annual-receipts';
import { todayInParis } from '../../src/time';
import { requestStatementUpload } from '../../src/treasury/statement-uploads';
import { createTestApi, logIn, personas, type Persona, type TestApi } from '../support/http';
import { adoptedVote, applicationAtCommittee } from '../support/pathway';

/**
 * Every page, as every persona and as nobody. A page that shows what an API
 * route gives shows it to exactly whom that route answers, and is a 404 for
 * everyone else (nobody learns what their role does not open, not even by a
 * 403); a page of its own says who it is for. Then the anti-forgery token of
 * every form: missing, or taken from another session, the post is refused.
 */
let api: TestApi;
let ids: Record<string, string>;
const everyone = Object.keys(personas) as Persona[];

beforeAll(async () => {
  api = await createTestApi();
  const db = api.app.db;
  const first = async (table: string, where: Record<string, unknown> = {}) =>
    String((await db(table).where(where).orderBy('id').first('id')).id);
  ids = {
    applicationId: await first('applications', { organisation_id: 'tiers-lieu-demo' }),
    sessionId: await first('vote_sessions'),
    disbursementId: await first('disbursements'),
    statementId: await first('bank_statements'),
    donorId: await first('donors', { fund_id: 'dotation' }),
    receiptId: await first('tax_receipts', { fund_id: 'dotation' }),
    poolId: await first('pools', { fund_id: 'dotation' }),
  };
  const csv =
    'type;nom;prenoms;raison_sociale;siren;adresse;code_postal;ville;pays;email;montant;date;mode;recurrent;reference\n';
  const imported = await request(api.http)
    .post('/api/funds/dotation/donations/import?dryRun=true')
    .set('Cookie', api.cookies.treasurer)
    .set('Content-Type', 'text/csv')
    .send(`${csv}particulier;Durand;Paul;;;4 rue Verte;35000;Rennes;;;10,00;2026-10-12;virement;non;M-1\n`);
  ids.importId = imported.body.id;
  ids.chairId = String((await db('users').where('email', 'comite@milliard.test').first('id')).id);
  const treasurerId = String((await db('users').where('email', personas.treasurer).first('id')).id);
  ids.runId = (await requestAnnualReceipts(api.app.db, 'dotation', 2025, treasurerId)).id;
  // The demo's FPCI, and a distribution its rules now allow before the end of the subscription period.
  await seedFpciDemo(db);
  ids.callId = await first('capital_calls', { fund_id: 'developpement' });
  ids.closingId = await first('closings', { fund_id: 'developpement' });
  ids.investorId = await first('investors', { fund_id: 'developpement' });
  const { rules } = (
    await request(api.http).get('/api/funds/developpement/vehicle-rules').set('Cookie', api.cookies.treasurer)
  ).body;
  await request(api.http)
    .post('/api/admin/funds/developpement/vehicle-rules')
    .set('Cookie', api.cookies.admin)
    .send({
      effectiveFrom: todayInParis(),
      reason: 'Distributions anticipées',
      rules: { ...rules, distributionsBeforePeriodEnd: true },
    })
    .expect(201);
  ids.distributionId = (
    await request(api.http)
      .post('/api/funds/developpement/distributions')
      .set('Cookie', api.cookies.treasurer)
      .send({ classCodes: ['A'], amount: '1000.00' })
      .expect(201)
  ).body.id;
  // An investment of the FPCI, from the file a redirection opened there.
  const endowmentFile = await applicationAtCommittee(api);
  await adoptedVote(api, 'comite-dotation', {
    applicationId: endowmentFile,
    motion: { decision: 'redirect', fundId: 'developpement', feedback: 'Des fonds propres conviendront mieux.' },
  });
  const fpciFile = (await db('applications').where('redirected_from_id', endowmentFile).first('id')).id;
  ids.investmentId = (
    await request(api.http)
      .post('/api/funds/developpement/investments')
      .set('Cookie', api.cookies.treasurer)
      .send({
        applicationId: fpciFile,
        instrument: 'shares',
        name: 'Augmentation de capital',
        amountSought: '100000.00',
      })
      .expect(201)
  ).body.id;
  const statementFile = { content: Buffer.from('<Document/>'), fileName: 'releve.xml' };
  ids.uploadId = (
    await requestStatementUpload(api.app.db, 'dotation', statementFile, { kind: 'camt053' }, treasurerId)
  ).id;
});
afterAll(() => api.drop());

type Expectation = { url: string; mirrors?: string; only?: Persona[] };

/** Each page shown with real things of the demo; `mirrors`: the API route whose answer it shows. */
const walk = (): Expectation[] => {
  const fund = '/tresorerie/dotation';
  const unitFund = '/tresorerie/developpement';
  return [
    { url: '/', only: everyone },
    { url: '/notifications', only: everyone },
    { url: '/admin', only: ['admin'] },
    { url: '/admin/comptes', mirrors: '/api/admin/users' },
    { url: `/admin/comptes/${ids.chairId}`, mirrors: `/api/admin/users/${ids.chairId}/role-changes` },
    { url: '/admin/comites', only: ['admin'] },
    { url: '/admin/comites/comite-dotation', only: ['admin'] },
    { url: '/admin/taches', only: ['admin'] },
    { url: '/admin/verification', mirrors: '/api/admin/ledger/verification' },
    { url: '/investissement', only: ['admin', 'investor'] },
    { url: '/prets-garantis', only: ['admin', 'partnerLender'] },
    { url: '/structures/tiers-lieu-demo', mirrors: '/api/organisations/tiers-lieu-demo' },
    { url: '/structures/tiers-lieu-demo/trajectoire', mirrors: '/api/organisations/tiers-lieu-demo/trajectory' },
    { url: '/dossiers', only: everyone },
    { url: '/dossiers/nouveau', only: ['admin', 'referent'] },
    { url: `/dossiers/${ids.applicationId}`, mirrors: `/api/applications/${ids.applicationId}` },
    // Its steps are read by whoever reads the file; only its applicants may send them (the form says so).
    {
      url: `/dossiers/${ids.applicationId}/proposition/project`,
      mirrors: `/api/applications/${ids.applicationId}`,
    },
    { url: '/comites', only: everyone },
    { url: '/comites/comite-dotation', mirrors: '/api/committees/comite-dotation' },
    { url: `/votes/${ids.sessionId}`, mirrors: `/api/vote-sessions/${ids.sessionId}` },
    { url: '/tresorerie', only: ['admin', 'treasurer', 'guaranteeTreasurer'] },
    { url: fund, mirrors: '/api/funds/dotation/balances' },
    { url: `/paiements/${ids.disbursementId}`, mirrors: `/api/disbursements/${ids.disbursementId}` },
    {
      url: `${fund}/releves/${ids.statementId}`,
      mirrors: `/api/funds/dotation/bank-statements/${ids.statementId}`,
    },
    { url: `${fund}/releves-importes/${ids.uploadId}`, mirrors: '/api/funds/dotation/bank-statements' },
    { url: `${fund}/donateurs`, mirrors: '/api/funds/dotation/donors' },
    { url: `${fund}/donateurs/${ids.donorId}`, mirrors: `/api/funds/dotation/donors/${ids.donorId}` },
    { url: `${fund}/dons`, mirrors: '/api/funds/dotation/donations' },
    { url: `${fund}/recus`, mirrors: '/api/funds/dotation/tax-receipts' },
    { url: `${fund}/recus/${ids.receiptId}`, mirrors: '/api/funds/dotation/tax-receipts' },
    { url: `${fund}/recus/annuels/${ids.runId}`, mirrors: '/api/funds/dotation/tax-receipts' },
    { url: `${fund}/imports`, mirrors: '/api/funds/dotation/donation-imports' },
    { url: `${fund}/imports/${ids.importId}`, mirrors: `/api/funds/dotation/donation-imports/${ids.importId}` },
    { url: `${fund}/pools`, mirrors: '/api/funds/dotation/pools' },
    { url: `${fund}/pools/${ids.poolId}`, mirrors: `/api/funds/dotation/pools/${ids.poolId}` },
    { url: `${fund}/comptabilite/balance`, mirrors: '/api/funds/dotation/balances' },
    { url: `${fund}/comptabilite/journal`, mirrors: '/api/funds/dotation/entries' },
    { url: `${fund}/comptabilite/clotures`, mirrors: '/api/funds/dotation/period-closures' },
    { url: `${unitFund}/porteurs`, mirrors: '/api/funds/developpement/investors' },
    { url: `${unitFund}/closings`, mirrors: '/api/funds/developpement/closings' },
    { url: `${unitFund}/investissements`, mirrors: '/api/funds/developpement/investments' },
    {
      url: `${unitFund}/investissements/${ids.investmentId}`,
      mirrors: `/api/funds/developpement/investments/${ids.investmentId}`,
    },
    {
      url: `${unitFund}/closings/${ids.closingId}`,
      mirrors: `/api/funds/developpement/closings/${ids.closingId}`,
    },
    { url: `${unitFund}/appels`, mirrors: '/api/funds/developpement/capital-calls' },
    { url: `${unitFund}/appels/${ids.callId}`, mirrors: `/api/funds/developpement/capital-calls/${ids.callId}` },
    { url: `${unitFund}/distributions`, mirrors: '/api/funds/developpement/distributions' },
    {
      url: `${unitFund}/distributions/${ids.distributionId}`,
      mirrors: `/api/funds/developpement/distributions/${ids.distributionId}`,
    },
    { url: `${unitFund}/retards`, mirrors: '/api/funds/developpement/late-payers' },
    { url: `${unitFund}/trimestres`, mirrors: '/api/funds/developpement/quarters/2026-12-31' },
    { url: `${unitFund}/trimestres/2026-12-31`, mirrors: '/api/funds/developpement/quarters/2026-12-31' },
    { url: '/investissement/releves', mirrors: '/api/me/statements' },
    // No quarter is reported here: a statement's page is a 404 to all, as its API (reporting-pages shows one).
    {
      url: `/investissement/releves/${ids.investorId}/2026-12-31`,
      mirrors: `/api/me/statements/${ids.investorId}/2026-12-31`,
    },
    { url: `${unitFund}/composition-actif`, mirrors: '/api/funds/developpement/assets-statements' },
    // The endowment fund has no unit holders: its investors' pages do not exist, for anyone.
    { url: `${fund}/porteurs`, only: [] },
    { url: '/mes-dons', only: ['admin', 'donor'] },
    // The guarantee fund is no endowment fund: its donors' pages do not exist, for anyone.
    { url: '/tresorerie/garantie/donateurs', only: [] },
    { url: '/tresorerie/garantie/comptabilite/balance', mirrors: '/api/funds/garantie/balances' },
  ];
};

/** The page's route a concrete address falls under (`/dossiers/1234…` → `/dossiers/:applicationId`). */
const routeOf = (url: string) =>
  pages.find(
    (page) => page.method === 'get' && new RegExp(`^${page.path.replace(/:\w+/g, '[^/]+')}$`).test(url.split('?')[0]!),
  );

it('walks every page that is read, none forgotten', () => {
  const walked = new Set(walk().map((expectation) => routeOf(expectation.url)?.path));
  const read = pages.filter((page) => page.method === 'get' && page.access === 'signed-in').map((page) => page.path);
  expect(read.filter((path) => !walked.has(path))).toEqual([]);
});

it('shows every page to exactly whom its API answers, a 404 to everyone else, the login page to nobody', async () => {
  const mismatches: string[] = [];
  for (const expectation of walk()) {
    const anonymous = await request(api.http).get(expectation.url);
    if (anonymous.status !== 303 || !String(anonymous.headers.location).startsWith('/connexion?suite='))
      mismatches.push(`${expectation.url} anonymous: ${anonymous.status}`);
    for (const persona of everyone) {
      const page = await request(api.http).get(expectation.url).set('Cookie', api.cookies[persona]);
      let allowed: boolean;
      if (expectation.mirrors) {
        const answer = await request(api.http).get(expectation.mirrors).set('Cookie', api.cookies[persona]);
        allowed = answer.status === 200;
      } else allowed = expectation.only!.includes(persona);
      // Shown is the page, or a step closer to it (a treasurer of one fund goes straight to its dashboard).
      const shown =
        page.status === 200 || (page.status === 303 && !String(page.headers.location).startsWith('/connexion'));
      if (shown !== allowed || (!allowed && page.status !== 404))
        mismatches.push(`${expectation.url} as ${persona}: ${page.status}, ${allowed ? 'shown' : '404'} expected`);
      if (!allowed && /@milliard\.test(?!<)|\d \d{3},\d{2}/.test(page.text.replace(/<header[\s\S]*<\/header>/, '')))
        mismatches.push(`${expectation.url} as ${persona} shows data in its refusal`);
    }
  }
  expect(mismatches).toEqual([]);
});

/** A page's form token and the anti-forgery cookie that goes with it, for one session. */
async function formToken(sessionCookie: string, url: string): Promise<{ token: string; cookies: string }> {
  const page = await request(api.http).get(url).set('Cookie', sessionCookie).expect(200);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  const csrfCookie = (page.headers['set-cookie'] as unknown as string[] | undefined)
    ?.map((cookie) => cookie.split(';')[0]!)
    .find((cookie) => cookie.startsWith('milliard_csrf='));
  return { token, cookies: [sessionCookie, csrfCookie].filter(Boolean).join('; ') };
}

it('refuses a form posted without its token, or with the token of another session, and changes nothing', async () => {
  const rulesForm = '/admin/comites/comite-dotation';
  const rules = { quorumShare: '0.75', decisionRule: 'majority', abstentionsCount: 'oui' };
  const before = await api.app.db('committees').where('id', 'comite-dotation').first('quorum_share');
  const own = await formToken(api.cookies.admin, rulesForm);

  const missing = await request(api.http)
    .post(`${rulesForm}/regles`)
    .set('Cookie', own.cookies)
    .type('form')
    .send(rules);
  expect(missing.status).toBe(403);
  expect(missing.text).toContain('Ce formulaire a expiré ou ne vient pas de cette page');

  // Another session of the same person, then another person: their token is not this session's.
  for (const other of [await logIn(api.http, personas.admin), api.cookies.treasurer]) {
    const theirs = await formToken(other, other === api.cookies.treasurer ? '/tresorerie' : rulesForm);
    const forged = await request(api.http)
      .post(`${rulesForm}/regles`)
      .set('Cookie', `${api.cookies.admin}; ${theirs.cookies.split('; ').at(-1)}`)
      .type('form')
      .send({ ...rules, _csrf: theirs.token });
    expect(forged.status).toBe(403);
  }
  expect(await api.app.db('committees').where('id', 'comite-dotation').first('quorum_share')).toEqual(before);

  const sent = await request(api.http)
    .post(`${rulesForm}/regles`)
    .set('Cookie', own.cookies)
    .type('form')
    .send({ ...rules, _csrf: own.token });
  expect([sent.status, sent.headers.location]).toEqual([303, `${rulesForm}?saved=1`]);
  expect((await api.app.db('committees').where('id', 'comite-dotation').first('quorum_share')).quorum_share).toBe(
    '0.7500',
  );
});
