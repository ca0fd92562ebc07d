import request from 'supertest';
import { verifyBooks } from '../../src/books';
import { validate as isCreditorReference } from 'iso-11649';
import { euros, toApiAmount } from '../../src/money';
import { todayInParis } from '../../src/time';
import { camtDocument, entry, party, tx } from '../support/camt';
import { createTestApi, type TestApi } from '../support/http';
import { reconcileDemoStatement, sentBatch } from '../support/treasury';

/**
 * A month's reconciliation of the endowment fund's account, through the API,
 * on its own database: a batch booked by the bank as one line, an announced
 * gift quoting its structured reference, a gift already in the books, fees and
 * an unannounced gift matched by hand, a line nobody knows; then a return, and
 * undoing matches. The books and the bank are explained to the cent.
 */
let api: TestApi;
/** The bank's balance where the demo's April statement left it, in cents. */
let opening: bigint;
beforeAll(async () => {
  api = await createTestApi();
  // The account's history so far (the demo's April statement) is reconciled: what follows continues it.
  const { statementId } = await reconcileDemoStatement(api);
  opening = (await api.app.db('bank_statements').where('id', statementId).first('closing_minor')).closing_minor;
});
afterAll(() => api.drop());

const ourIban = 'FR7610107001011234567890129';
const euro = (minor: bigint) => toApiAmount(euros(minor));
const today = todayInParis();
const as = (cookie: string, method: 'get' | 'post', url: string) =>
  request(api.http)[method](url).set('Cookie', cookie);
const treasurer = (method: 'get' | 'post', url: string) => as(api.cookies.treasurer, method, url);
const upload = (xml: string) =>
  treasurer('post', '/api/funds/dotation/bank-statements')
    .set('Content-Type', 'application/xml')
    .send(Buffer.from(xml));
const donor = async (lastName: string) =>
  (
    await treasurer('post', '/api/funds/dotation/donors')
      .send({
        kind: 'individual',
        lastName,
        firstNames: 'Camille',
        addressLine: '3 quai des Chartrons',
        postalCode: '33000',
        city: 'Bordeaux',
        email: `${lastName.toLowerCase()}@exemple.fr`,
      })
      .expect(201)
  ).body.id as string;
const credit = (amount: string, reference: string, inner: string) =>
  entry('001.08', amount, 'CRDT', today, reference, [tx(inner)]);
const view = async (statementId: string) =>
  (await treasurer('get', `/api/funds/dotation/bank-statements/${statementId}`).expect(200)).body;
const propose = async (statementId: string) =>
  (await treasurer('post', `/api/funds/dotation/bank-statements/${statementId}/matches`).expect(200)).body;
const decide = (matchId: string, body: Record<string, unknown>, status = 204) =>
  treasurer('post', `/api/bank-matches/${matchId}/decision`).send(body).expect(status);
const stateOf = async (disbursementId: string) =>
  (await treasurer('get', `/api/disbursements/${disbursementId}`).expect(200)).body.state;
type Match = {
  id: string;
  method: string;
  confidence: string;
  status: string;
  lines: { id: string; amount: string }[];
  items: { type: string; id: string; action: string; entryId: number | null }[];
};

it('reconciles a statement with what the fund expects, explains every difference, and undoes a match', async () => {
  const batch = await sentBatch(api, ['15000.00', '8000.00'], today);
  const announced = await donor('Lefebvre');
  const expected = (
    await treasurer('post', '/api/funds/dotation/expected-receipts')
      .send({ donorId: announced, amount: '1234.56', expectedOn: today, label: 'Don annoncé de C. Lefebvre' })
      .expect(201)
  ).body;
  expect(isCreditorReference(expected.structuredReference)).toBe(true);
  const handRecorded = await donor('Garnier');
  const give = (amount: string) =>
    treasurer('post', '/api/funds/dotation/donations')
      .set('Idempotency-Key', `garnier-${amount}`)
      .send({ donorId: handRecorded, amount, receivedOn: today, method: 'transfer' })
      .expect(201);
  await give('321.09');
  // A gift the books hold and the bank has not shown yet.
  const notYetOnStatement = (await give('10.00')).body.donationId;
  const notYetEntry = Number((await api.app.db('donations').where('id', notYetOnStatement).first('entry_id')).entry_id);
  const unannounced = await donor('Moreau');

  const lines = [
    entry('001.08', '11500.00', 'DBIT', today, 'BQ-1', [], `REMISE VIREMENTS SEPA ${batch.messageId}`),
    credit(
      '1234.56',
      'BQ-2',
      `<RltdPties>${party('001.08', 'Dbtr', 'LEFEBVRE CAMILLE', 'FR7630006000011234567890189')}</RltdPties><RmtInf><Strd><CdtrRefInf><Ref>${expected.structuredReference}</Ref></CdtrRefInf></Strd></RmtInf>`,
    ),
    credit(
      '321.09',
      'BQ-3',
      `<RltdPties>${party('001.08', 'Dbtr', 'GARNIER CAMILLE', 'FR7630006000011234567890189')}</RltdPties><RmtInf><Ustrd>DON</Ustrd></RmtInf>`,
    ),
    entry('001.08', '4.20', 'DBIT', today, 'BQ-4', [], 'FRAIS TENUE DE COMPTE'),
    credit(
      '57.31',
      'BQ-5',
      `<RltdPties>${party('001.08', 'Dbtr', 'MOREAU CAMILLE', 'FR7630006000011234567890189')}</RltdPties><RmtInf><Ustrd>SOUTIEN</Ustrd></RmtInf>`,
    ),
    credit('99.99', 'BQ-6', `<RmtInf><Ustrd>INCONNU</Ustrd></RmtInf>`),
  ];
  // − 11 500,00 + 1 234,56 + 321,09 − 4,20 + 57,31 + 99,99
  const firstClosing = opening - 979_125n;
  const statement = (
    await upload(
      camtDocument('001.08', {
        statementId: 'RELEVE-FLUX-1',
        iban: ourIban,
        opening: [euro(opening), today],
        closing: [euro(firstClosing), today],
        entries: lines,
      }),
    ).expect(201)
  ).body;
  const [batchLine, announcedLine, handLine, feesLine, unannouncedLine, unknownLine] = statement.lines;

  const { proposed, matches } = (await propose(statement.id)) as { proposed: number; matches: Match[] };
  expect(proposed).toBe(3);
  expect(
    matches.map((match) => [
      match.method,
      match.confidence,
      match.lines.map((line) => line.id),
      match.items.map((item) => `${item.type}:${item.action}`),
    ]),
  ).toEqual([
    ['batch-booking', '0.95', [batchLine.id], ['disbursement:settle', 'disbursement:settle']],
    ['structured-reference', '0.95', [announcedLine.id], ['expected-receipt:receive']],
    ['amount-date', '0.6', [handLine.id], ['entry:point']],
  ]);
  for (const match of matches) await decide(match.id, { decision: 'confirm' });
  expect(await Promise.all(batch.transfers.map((transfer) => stateOf(transfer.id)))).toEqual(['settled', 'settled']);
  // The announced gift is recorded from the bank's line: its entry, its receipt.
  const received = await api.app
    .db('donations')
    .where({ donor_id: announced })
    .first('amount_minor', 'method', 'received_on');
  expect(received).toEqual({ amount_minor: 123_456n, method: 'transfer', received_on: today });
  expect(
    (await treasurer('get', '/api/funds/dotation/expected-receipts').expect(200)).body.find(
      (receipt: { id: string }) => receipt.id === expected.id,
    ).receivedByMatch,
  ).toBe(matches[1]!.id);
  // Pointing the gift already in the books records nothing new.
  expect(
    await api.app.db('donations').where({ donor_id: handRecorded, amount_minor: 32_109n }).count('* as count').first(),
  ).toEqual({ count: 1n });

  // By hand: the fees to 627, the unannounced gift to its donor; refused when it does not add up or the line is taken.
  await treasurer('post', '/api/funds/dotation/bank-matches')
    .send({
      lineIds: [feesLine.id],
      items: [{ type: 'disbursement', id: batch.transfers[0]!.id, action: 'settle' }],
      reason: 'Essai',
    })
    .expect(400);
  const unbalanced = await treasurer('post', '/api/funds/dotation/bank-matches')
    .send({ lineIds: [unknownLine.id], items: [{ type: 'entry', id: notYetEntry }], reason: 'Essai' })
    .expect(422);
  expect(unbalanced.body.detail).toBe(
    'Les lignes font 99.99 € et les éléments rapprochés 10.00 € : ils doivent être égaux.',
  );
  await treasurer('post', '/api/funds/dotation/bank-matches')
    .send({ lineIds: [handLine.id], items: [{ type: 'account', accountCode: '627' }], reason: 'Essai' })
    .expect(409);
  const fees = await treasurer('post', '/api/funds/dotation/bank-matches')
    .send({
      lineIds: [feesLine.id],
      items: [{ type: 'account', accountCode: '627' }],
      reason: 'Frais de tenue de compte de novembre',
    })
    .expect(201);
  expect(
    fees.body.history.map((row: { event: string; toState: string; actorRelations: string[] }) => [
      row.event,
      row.toState,
      row.actorRelations,
    ]),
  ).toEqual([
    ['start', 'proposed', ['treasurer']],
    ['CONFIRM', 'confirmed', ['treasurer']],
  ]);
  await treasurer('post', '/api/funds/dotation/bank-matches')
    .send({
      lineIds: [unannouncedLine.id],
      items: [{ type: 'donor', id: unannounced }],
      reason: 'Don spontané de C. Moreau',
    })
    .expect(201);
  expect(await api.app.db('donations').where({ donor_id: unannounced }).first('amount_minor')).toEqual({
    amount_minor: 5_731n,
  });
  await as(api.cookies.guaranteeTreasurer, 'post', `/api/bank-matches/${fees.body.matchId}/decision`)
    .send({ decision: 'undo', reason: 'Essai' })
    .expect(404);

  // What remains: one line nobody knows. The bank and the books are explained to the cent.
  const settled = await view(statement.id);
  expect(settled.unmatchedLines).toEqual([unknownLine.id]);
  expect(settled.explanation.bankNotInBooks).toEqual({
    total: '99.99',
    lines: [expect.objectContaining({ id: unknownLine.id, amount: '99.99', text: 'INCONNU' })],
  });
  expect(settled.explanation.unexplained).toBe('0.00');
  expect(settled.explanation.awaitedReceipts).toEqual([]);
  expect(settled.explanation.booksNotInBank.entries).toEqual([
    expect.objectContaining({ entryId: notYetEntry, amount: '10.00' }),
  ]);
  const cents = (amount: string) => BigInt(amount.replace('.', ''));
  expect(cents(settled.closing.difference)).toBe(cents(settled.explanation.openingGap) + 9_999n - 1_000n);

  // The next day's statement returns one transfer of the batch (R-transaction): the payment goes back to the fund.
  const [, second] = batch.transfers;
  const returned = (
    await upload(
      camtDocument('001.08', {
        statementId: 'RELEVE-FLUX-2',
        iban: ourIban,
        opening: [euro(firstClosing), today],
        closing: [euro(firstClosing + 400_000n), today],
        entries: [
          credit(
            '4000.00',
            'BQ-7',
            `<Refs><EndToEndId>${second!.endToEndId}</EndToEndId></Refs><RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf>`,
          ),
        ],
      }),
    ).expect(201)
  ).body;
  const [returnMatch] = (await propose(returned.id)).matches as Match[];
  expect([returnMatch!.method, returnMatch!.items[0]!.action, returnMatch!.items[0]!.id]).toEqual([
    'end-to-end',
    'return',
    second!.id,
  ]);
  await decide(returnMatch!.id, { decision: 'confirm' });
  expect(await stateOf(second!.id)).toBe('returned');
  expect((await view(returned.id)).explanation.unexplained).toBe('0.00');

  // Undoing the return puts the payment back to settled and reverses the return's entry.
  const returnEntry = (await treasurer('get', `/api/funds/dotation/bank-statements/${returned.id}/matches`).expect(200))
    .body[0].items[0].entryId;
  expect(returnEntry).toEqual(expect.any(Number));
  await decide(returnMatch!.id, { decision: 'undo' }, 400);
  await decide(returnMatch!.id, { decision: 'undo', reason: 'Retour saisi sur le mauvais virement' });
  expect(await stateOf(second!.id)).toBe('settled');
  expect(
    await api.app.db('journal_entries').where('reverses_entry_id', returnEntry).count('* as count').first(),
  ).toEqual({ count: 1n });
  await decide(returnMatch!.id, { decision: 'undo', reason: 'Encore' }, 409);

  // Undoing the batch match: both payments are sent again, their settlements reversed, the line open again — and proposed again.
  await decide(matches[0]!.id, { decision: 'undo', reason: 'Remise attribuée au mauvais lot' });
  expect(await Promise.all(batch.transfers.map((transfer) => stateOf(transfer.id)))).toEqual(['sent', 'sent']);
  const reopened = await view(statement.id);
  expect(reopened.unmatchedLines).toEqual([batchLine.id, unknownLine.id]);
  expect(reopened.explanation.unexplained).toBe('0.00');
  const history = (await treasurer('get', `/api/bank-matches/${matches[0]!.id}/history`).expect(200)).body;
  expect(
    history.map((row: { event: string; fromState: string | null; toState: string; reason: string }) => [
      row.event,
      row.fromState,
      row.toState,
    ]),
  ).toEqual([
    ['start', null, 'proposed'],
    ['CONFIRM', 'proposed', 'confirmed'],
    ['UNDO', 'confirmed', 'undone'],
  ]);
  expect(history[2].reason).toBe('Remise attribuée au mauvais lot');
  const again = (await propose(statement.id)) as { proposed: number; matches: Match[] };
  expect(again.proposed).toBe(1);

  // A rejected proposal is not made again; undoing a match that recorded a gift cancels the gift and its receipt.
  const fresh = again.matches.find((match) => match.status === 'proposed')!;
  await decide(fresh.id, { decision: 'reject', reason: 'Je vérifie avec la banque' });
  expect((await propose(statement.id)).proposed).toBe(0);
  const giftEntry = (
    await api.app.db('bank_match_items').where('match_id', matches[1]!.id).whereNotNull('entry_id').first('entry_id')
  ).entry_id;
  const gift = await api.app.db('donations').where('entry_id', giftEntry).first('id');
  await decide(matches[1]!.id, { decision: 'undo', reason: 'Virement d’un autre donateur' });
  const cancelled = await api.app.db('donations').where('id', gift.id).first('cancel_reason', 'cancellation_entry_id');
  expect(cancelled.cancel_reason).toMatch(/Virement d’un autre donateur/);
  const receipts = await api.app
    .db('tax_receipt_donations')
    .join('tax_receipts', 'tax_receipts.id', 'tax_receipt_donations.receipt_id')
    .where('donation_id', gift.id)
    .pluck('tax_receipts.cancelled_at');
  expect(receipts.every((cancelledAt) => cancelledAt !== null)).toBe(true);
  expect((await verifyBooks(api.app.db)).problems).toEqual([]);

  // The return line, freed by the undo, matched by hand to the transfer it returns (sent again by now).
  await treasurer('post', '/api/funds/dotation/bank-matches')
    .send({
      lineIds: [returned.lines[0].id],
      items: [{ type: 'disbursement', id: second!.id, action: 'return' }],
      reason: 'Retour AC04 confirmé par la banque',
    })
    .expect(201);
  expect(await stateOf(second!.id)).toBe('returned');
});

it('lets no one rewrite a match in the database: lines of one statement, one live match per line, released once, never deleted', async () => {
  const db = api.app.db;
  const sqlState = (query: Promise<unknown>) =>
    query.then(
      () => 'accepted',
      (error: { code?: string }) => error.code,
    );
  const statement = (bankId: string) => db('bank_statements').where('bank_statement_id', bankId).first('id');
  const [first, second] = [await statement('RELEVE-FLUX-1'), await statement('RELEVE-FLUX-2')];
  const liveLine = await db('bank_match_lines')
    .join('bank_matches', 'bank_matches.id', 'bank_match_lines.match_id')
    .where({ live: true, 'bank_matches.statement_id': second!.id })
    .first('bank_match_lines.match_id', 'bank_match_lines.line_id');
  const released = await db('bank_match_lines').where('live', false).first('match_id', 'line_id');
  const otherStatementLine = await db('bank_lines')
    .where('statement_id', first!.id)
    .whereNotExists(db('bank_match_lines').whereRaw('bank_match_lines.line_id = bank_lines.id').where('live', true))
    .first('id');
  const match = await db('bank_matches').where('id', liveLine.match_id).first();

  expect(
    await sqlState(
      db.raw('insert into bank_match_lines (match_id, line_id) values (?, ?)', [
        liveLine.match_id,
        otherStatementLine.id,
      ]),
    ),
  ).toBe('23503');
  expect(
    await sqlState(
      db.raw(
        `insert into bank_matches (fund_id, statement_id, method, reason, confidence) values ('garantie', ?, 'manual', 'x', 1)`,
        [first!.id],
      ),
    ),
  ).toBe('23503');
  expect(
    await sqlState(
      db.raw(
        `insert into bank_match_items (match_id, position, item_type, item_id, item_key, action, amount_minor) values (gen_random_uuid(), 1, 'entry', '1', '1', 'point', 100)`,
      ),
    ),
  ).toBe('23503');
  const copy = await db('bank_matches')
    .insert({ fund_id: match.fund_id, statement_id: second!.id, method: 'manual', reason: 'copie', confidence: 1 })
    .returning('id');
  expect(await sqlState(db('bank_match_lines').insert({ match_id: copy[0].id, line_id: liveLine.line_id }))).toBe(
    '23505',
  );
  expect(await sqlState(db('bank_match_lines').where(released).update({ live: true }))).toBe('ML002');
  expect(await sqlState(db('bank_matches').where('id', match.id).update({ reason: 'autre motif' }))).toBe('ML002');
  expect(await sqlState(db('bank_match_items').where('match_id', match.id).update({ amount_minor: 1 }))).toBe('ML002');
  expect(await sqlState(db('bank_match_lines').where(released).del())).toBe('ML002');
  expect(await sqlState(db('bank_matches').where('id', match.id).del())).toBe('ML002');
});

it('settles a transfer again, with a new entry, after the match that settled it was undone', async () => {
  const { transfers } = await sentBatch(api, ['6000.00'], today);
  const transfer = transfers[0]!;
  const statement = (
    await upload(
      camtDocument('001.08', {
        statementId: 'RELEVE-FLUX-3',
        iban: ourIban,
        opening: ['0.00', today],
        closing: ['0.00', today],
        entries: [
          entry('001.08', '3000.00', 'DBIT', today, 'BQ-9', [
            tx(`<Refs><EndToEndId>${transfer.endToEndId}</EndToEndId></Refs>`),
          ]),
        ],
      }),
    ).expect(201)
  ).body;
  const settle = async () => {
    const [match] = (await propose(statement.id)).matches.filter(
      (candidate: Match) => candidate.status === 'proposed',
    ) as Match[];
    await decide(match!.id, { decision: 'confirm' });
    return match!;
  };
  const first = await settle();
  await decide(first.id, { decision: 'undo', reason: 'Confirmé trop tôt' });
  await settle();
  expect(await stateOf(transfer.id)).toBe('settled');
  const booked = await api.app
    .db('journal_entries')
    .where({ source_type: 'disbursement', source_id: transfer.id })
    .orderBy('id')
    .select('id');
  const reversals = await api.app
    .db('journal_entries')
    .whereIn(
      'reverses_entry_id',
      booked.map((row) => row.id),
    )
    .count('* as count')
    .first();
  // Settled, undone (reversed), settled again: two settlements, one reversal, 3 000 € out of the bank once.
  expect([booked.length, reversals!.count]).toEqual([2, 1n]);
  const total = await api.app
    .db('postings')
    .join('accounts', 'accounts.id', 'postings.account_id')
    .join('journal_entries', 'journal_entries.id', 'postings.entry_id')
    .where('accounts.code', '512')
    .where((query) => {
      query
        .whereIn(
          'journal_entries.id',
          booked.map((row) => row.id),
        )
        .orWhereIn(
          'journal_entries.reverses_entry_id',
          booked.map((row) => row.id),
        );
    })
    .sum('postings.amount_minor as net')
    .first();
  expect(BigInt(total!.net)).toBe(-300_000n);
});
