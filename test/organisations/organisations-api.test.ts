import request from 'supertest';
import { createTestApi, type TestApi } from '../support/http';

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
  const created = await request(api.http).post('/api/organisations').set('Cookie', api.cookies.referent).send({ ...newOrganisation, siren: '900 000 019' }).expect(201);
  expect(created.body).toMatchObject({ id: 'scic-energie-citoyenne', siren: '900000019', legalForm: 'scic' });
  expect(created.body.missingForProposal).toEqual(['addressLine', 'postalCode', 'city', 'department', 'iban', 'bic']);
  await request(api.http).post('/api/organisations').set('Cookie', api.cookies.referent).send({ ...newOrganisation, siren: '900000019' }).expect(409);
});

it("shows an applicant their own organisation's profile, with nothing left to ask", async () => {
  const response = await request(api.http).get('/api/organisations/tiers-lieu-demo').set('Cookie', api.cookies.applicant).expect(200);
  expect(response.body).toMatchObject({ name: 'La Fabrique du Tiers-Lieu', rna: 'W751234567', iban: 'FR7630006000011234567890189', missingForProposal: [] });
});

it("answers 404 to an applicant for another organisation's profile, existing or not", async () => {
  for (const id of ['scic-energie-citoyenne', 'nexiste-pas']) {
    const response = await request(api.http).get(`/api/organisations/${id}`).set('Cookie', api.cookies.applicant).expect(404);
    expect(response.text).not.toMatch(/SCIC|900000019/);
  }
  await request(api.http).patch('/api/organisations/scic-energie-citoyenne').set('Cookie', api.cookies.applicant).send({ city: 'Lyon' }).expect(404);
});

it('refuses wrong identifiers field by field, and changes nothing', async () => {
  const response = await request(api.http)
    .patch('/api/organisations/tiers-lieu-demo')
    .set('Cookie', api.cookies.applicant)
    .send({ siren: '812345677', siret: '12345678901234', rna: 'X123', iban: 'FR76 3000 6000 0112 3456 7890 188', bic: 'AGRI', postalCode: '7501', department: '20' })
    .expect(400);
  expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(response.body.errors.map((error: { pointer: string }) => error.pointer).sort()).toEqual(
    ['/body/bic', '/body/department', '/body/iban', '/body/postalCode', '/body/rna', '/body/siren', '/body/siret'].sort(),
  );
  const unchanged = await request(api.http).get('/api/organisations/tiers-lieu-demo').set('Cookie', api.cookies.applicant).expect(200);
  expect(unchanged.body.siren).toBe('812345676');
});

it('checks the rules between fields on the profile as it would become', async () => {
  const esus = await request(api.http).patch('/api/organisations/tiers-lieu-demo').set('Cookie', api.cookies.applicant).send({ esus: true }).expect(400);
  expect(esus.body.errors[0].pointer).toBe('/body/esusApprovedOn');
  // A SIRET of another company than the SIREN on file.
  const siret = await request(api.http).patch('/api/organisations/tiers-lieu-demo').set('Cookie', api.cookies.applicant).send({ siret: '35600000052135' }).expect(400);
  expect(siret.body.errors[0].pointer).toBe('/body/siret');
  const approved = await request(api.http)
    .patch('/api/organisations/tiers-lieu-demo')
    .set('Cookie', api.cookies.applicant)
    .send({ esus: true, esusApprovedOn: '2025-05-01', esusExpiresOn: '2030-05-01' })
    .expect(200);
  expect(approved.body).toMatchObject({ esus: true, esusApprovedOn: '2025-05-01' });
});
