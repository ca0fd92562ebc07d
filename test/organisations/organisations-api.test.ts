import request from 'supertest';
import { demoPassword } from '../../src/demo/seed';
import { createUser } from '../../src/identity/service';
import { sendInvitationEmail } from '../../src/organisations/people';
import { readMail } from '../support/mail';
import { createTestApi, logIn, type TestApi } from '../support/http';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const newOrganisation = {
  id: 'scic-energie-citoyenne',
  name: 'SCIC Énergie Citoyenne',
  legalForm: 'scic',
};

it('lets a referent open a profile after a first contact, and says what a proposal still needs', async () => {
  const created = await request(api.http)
    .post('/api/organisations')
    .set('Cookie', api.cookies.referent)
    .send({ ...newOrganisation, siren: '900 000 019' })
    .expect(201);
  expect(created.body).toMatchObject({ id: 'scic-energie-citoyenne', siren: '900000019', legalForm: 'scic' });
  expect(created.body.missingForProposal).toEqual(['addressLine', 'postalCode', 'city', 'department', 'iban', 'bic']);
  await request(api.http)
    .post('/api/organisations')
    .set('Cookie', api.cookies.referent)
    .send({ ...newOrganisation, siren: '900000019' })
    .expect(409);
});

it('lets the referent who opened a profile read it and invite its first applicant, and no other referent', async () => {
  const opener = api.cookies.referent;
  await request(api.http).get('/api/organisations/scic-energie-citoyenne').set('Cookie', opener).expect(200);
  const invited = await request(api.http)
    .post('/api/organisations/scic-energie-citoyenne/invitations')
    .set('Cookie', opener)
    .send({ email: 'gerante@scic-energie.fr', displayName: 'Gérante' })
    .expect(201);
  expect(invited.body.invitations).toEqual([expect.objectContaining({ email: 'gerante@scic-energie.fr' })]);
  await api.app.db.transaction((trx) =>
    createUser(trx, {
      email: 'autre-referent@milliard.test',
      displayName: 'Autre référent',
      password: demoPassword,
      roles: [{ role: 'referent' }],
    }),
  );
  const other = await logIn(api.http, 'autre-referent@milliard.test');
  await request(api.http).get('/api/organisations/scic-energie-citoyenne').set('Cookie', other).expect(404);
  await request(api.http)
    .post('/api/organisations/scic-energie-citoyenne/invitations')
    .set('Cookie', other)
    .send({ email: 'x@exemple.fr', displayName: 'X' })
    .expect(404);
  // Reading is not editing: the profile and its bank details are the organisation's to change.
  await request(api.http)
    .patch('/api/organisations/scic-energie-citoyenne')
    .set('Cookie', opener)
    .send({ city: 'Lyon' })
    .expect(403);
});

it("shows an applicant their own organisation's profile, with nothing left to ask", async () => {
  const response = await request(api.http)
    .get('/api/organisations/tiers-lieu-demo')
    .set('Cookie', api.cookies.applicant)
    .expect(200);
  expect(response.body).toMatchObject({
    name: 'La Fabrique du Tiers-Lieu',
    rna: 'W751234567',
    iban: 'FR7630006000011234567890189',
    missingForProposal: [],
  });
});

it("answers 404 to an applicant for another organisation's profile, existing or not", async () => {
  for (const id of ['scic-energie-citoyenne', 'nexiste-pas']) {
    const response = await request(api.http)
      .get(`/api/organisations/${id}`)
      .set('Cookie', api.cookies.applicant)
      .expect(404);
    expect(response.text).not.toMatch(/SCIC|900000019/);
  }
  await request(api.http)
    .patch('/api/organisations/scic-energie-citoyenne')
    .set('Cookie', api.cookies.applicant)
    .send({ city: 'Lyon' })
    .expect(404);
});

it('refuses wrong identifiers field by field, and changes nothing', async () => {
  const response = await request(api.http)
    .patch('/api/organisations/tiers-lieu-demo')
    .set('Cookie', api.cookies.applicant)
    .send({
      siren: '812345677',
      siret: '12345678901234',
      rna: 'X123',
      iban: 'FR76 3000 6000 0112 3456 7890 188',
      bic: 'AGRI',
      postalCode: '7501',
      department: '20',
    })
    .expect(400);
  expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(response.body.errors.map((error: { pointer: string }) => error.pointer).sort()).toEqual(
    [
      '/body/bic',
      '/body/department',
      '/body/iban',
      '/body/postalCode',
      '/body/rna',
      '/body/siren',
      '/body/siret',
    ].sort(),
  );
  const unchanged = await request(api.http)
    .get('/api/organisations/tiers-lieu-demo')
    .set('Cookie', api.cookies.applicant)
    .expect(200);
  expect(unchanged.body.siren).toBe('812345676');
});

it('checks the rules between fields on the profile as it would become', async () => {
  const esus = await request(api.http)
    .patch('/api/organisations/tiers-lieu-demo')
    .set('Cookie', api.cookies.applicant)
    .send({ esus: true })
    .expect(400);
  expect(esus.body.errors[0].pointer).toBe('/body/esusApprovedOn');
  // A SIRET of another company than the SIREN on file.
  const siret = await request(api.http)
    .patch('/api/organisations/tiers-lieu-demo')
    .set('Cookie', api.cookies.applicant)
    .send({ siret: '35600000052135' })
    .expect(400);
  expect(siret.body.errors[0].pointer).toBe('/body/siret');
  const approved = await request(api.http)
    .patch('/api/organisations/tiers-lieu-demo')
    .set('Cookie', api.cookies.applicant)
    .send({ esus: true, esusApprovedOn: '2025-05-01', esusExpiresOn: '2030-05-01' })
    .expect(200);
  expect(approved.body).toMatchObject({ esus: true, esusApprovedOn: '2025-05-01' });
});

it('lets an applicant invite a colleague by e-mail, whose link grants the role once', async () => {
  const invited = await request(api.http)
    .post('/api/organisations/tiers-lieu-demo/invitations')
    .set('Cookie', api.cookies.applicant)
    .send({ email: 'Claire@Exemple.fr', displayName: 'Claire Trésorière' })
    .expect(201);
  expect(invited.body.invitations.map((invitation: { email: string }) => invitation.email)).toEqual([
    'claire@exemple.fr',
  ]);
  await request(api.http)
    .post('/api/organisations/scic-energie-citoyenne/invitations')
    .set('Cookie', api.cookies.applicant)
    .send({ email: 'x@exemple.fr', displayName: 'X' })
    .expect(404);

  const invitationId = invited.body.invitations[0].id;
  expect(await sendInvitationEmail(api.app, invitationId)).toEqual({ sent: true });
  expect(await sendInvitationEmail(api.app, invitationId)).toEqual({ sent: false });
  const mail = await readMail(api.app.config.mailOutboxDir, `invitation-${invitationId}.eml`);
  expect(mail.to).toBe('claire@exemple.fr');
  // The link opens the invitation's page, at the public address.
  const token = new RegExp(`${api.app.config.publicUrl}/invitation\\?jeton=(inv_[A-Za-z0-9_-]{20,})`).exec(
    mail.text,
  )![1]!;
  // Neither the invitation nor the outbox keeps a usable link.
  expect(JSON.stringify(await api.app.db('organisation_invitations').select())).not.toContain(token);
  expect(JSON.stringify(await api.app.db('outbox').select('payload'))).not.toContain(token);

  const weak = await request(api.http).post('/api/invitations/accept').send({ token, password: 'court' }).expect(400);
  expect(weak.body.errors[0].pointer).toBe('/body/password');
  await request(api.http)
    .post('/api/invitations/accept')
    .send({ token, password: 'un mot de passe solide' })
    .expect(200);
  await request(api.http)
    .post('/api/invitations/accept')
    .send({ token, password: 'un mot de passe solide' })
    .expect(422);

  const claire = await request(api.http)
    .post('/api/auth/login')
    .send({ email: 'claire@exemple.fr', password: 'un mot de passe solide' })
    .expect(200);
  await request(api.http)
    .get('/api/organisations/tiers-lieu-demo')
    .set('Cookie', String(claire.headers['set-cookie']).split(';')[0]!)
    .expect(200);
  const team = await request(api.http)
    .get('/api/organisations/tiers-lieu-demo/people')
    .set('Cookie', await logIn(api.http, 'porteur@milliard.test'))
    .expect(200);
  expect(team.body.members.map((member: { email: string }) => member.email).sort()).toEqual([
    'claire@exemple.fr',
    'porteur@milliard.test',
  ]);
  expect(team.body.invitations).toEqual([]);
  await request(api.http)
    .post('/api/organisations/tiers-lieu-demo/invitations')
    .set('Cookie', api.cookies.applicant)
    .send({ email: 'claire@exemple.fr', displayName: 'Claire' })
    .expect(409);
});

it('keeps reusable documents within type and size limits, once per content', async () => {
  const upload = (kind: string, fileName: string, type: string, content: Buffer) =>
    request(api.http)
      .post(`/api/organisations/tiers-lieu-demo/files?kind=${kind}&fileName=${encodeURIComponent(fileName)}`)
      .set('Cookie', api.cookies.applicant)
      .set('Content-Type', type)
      .send(content);
  const statutes = Buffer.from('%PDF-1.4\n% statuts de La Fabrique du Tiers-Lieu\n%%EOF\n');
  const first = await upload('statutes', 'Statuts signés.pdf', 'application/pdf', statutes).expect(201);
  expect(first.body).toMatchObject({
    kind: 'statutes',
    fileName: 'Statuts signés.pdf',
    contentType: 'application/pdf',
    byteSize: statutes.length,
  });
  const again = await upload('statutes', 'Statuts signés.pdf', 'application/pdf', statutes).expect(200);
  expect(again.body.id).toBe(first.body.id);

  const disguised = await upload('budget', 'budget.png', 'image/png', statutes).expect(415);
  expect(disguised.body.detail).toMatch(/ne correspond pas au type annoncé/);
  await upload('budget', 'budget.txt', 'text/plain', Buffer.from('budget')).expect(415);
  await upload(
    'budget',
    'budget.pdf',
    'application/pdf',
    Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(10 * 1024 * 1024)]),
  ).expect(413);
  await upload('minutes', 'pv.pdf', 'application/pdf', statutes).expect(400);
  await request(api.http)
    .post('/api/organisations/scic-energie-citoyenne/files?kind=budget&fileName=b.pdf')
    .set('Cookie', api.cookies.applicant)
    .set('Content-Type', 'application/pdf')
    .send(statutes)
    .expect(404);

  const files = await request(api.http)
    .get('/api/organisations/tiers-lieu-demo/files')
    .set('Cookie', api.cookies.applicant)
    .expect(200);
  expect(files.body.files.map((file: { fileName: string }) => file.fileName)).toEqual(['Statuts signés.pdf']);
  const downloaded = await request(api.http)
    .get(`/api/organisations/tiers-lieu-demo/files/${first.body.id}`)
    .set('Cookie', api.cookies.applicant)
    .buffer(true)
    .expect(200);
  expect(downloaded.headers['content-disposition']).toBe('attachment; filename="Statuts_signes.pdf"');
  expect(downloaded.headers['x-content-sha256']).toBe(first.body.sha256);
});
