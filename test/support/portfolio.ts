import request from 'supertest';
import type { TestApi } from './http';
import { adoptedVote, applicationAtCommittee, investmentCommittee } from './pathway';

/**
 * An investment of the FPCI taken to where a test needs it: opened from the
 * file a redirection opened in the FPCI, through its due diligence, voted by
 * the investment committee (created the first time), its term sheet signed
 * (a participating loan of the amount, unless other terms are given) and — for `held` — drawn in full.
 */
export async function fpciInvestment(
  api: TestApi,
  options: { name: string; amount: string; until: 'disbursing' | 'held'; terms?: Record<string, unknown> },
): Promise<string> {
  const terms = options.terms ?? {
    instrument: 'participating-loan',
    principal: options.amount,
    yearlyRate: '0.04',
    dayCount: 'act/365f',
    periodMonths: 12,
    periods: 5,
    gracePeriods: 1,
    amortisation: 'linear',
  };
  const post = (url: string) => request(api.http).post(url).set('Cookie', api.cookies.treasurer);
  const endowmentFile = await applicationAtCommittee(api);
  await adoptedVote(api, 'comite-dotation', {
    applicationId: endowmentFile,
    motion: { decision: 'redirect', fundId: 'developpement', feedback: 'Des fonds propres conviendront mieux.' },
  });
  const fpciFile = (await api.app.db('applications').where('redirected_from_id', endowmentFile).first('id')).id;
  const opened = await post('/api/funds/developpement/investments')
    .send({
      applicationId: fpciFile,
      instrument: terms.instrument,
      name: options.name,
      amountSought: options.amount,
    })
    .expect(201);
  const url = `/api/funds/developpement/investments/${opened.body.id}`;
  await post(`${url}/steps`).send({ event: 'START_DUE_DILIGENCE' }).expect(200);
  await post(`${url}/steps`).send({ event: 'SUBMIT_TO_COMMITTEE', summary: 'Due diligence concluante.' }).expect(200);
  if (!(await api.app.db('committees').where('id', 'comite-investissement').first('id')))
    await investmentCommittee(api);
  await adoptedVote(api, 'comite-investissement', {
    investmentId: opened.body.id,
    motion: { decision: 'invest', amount: options.amount },
  });
  await post(`${url}/steps`).send({ event: 'SIGN_TERM_SHEET', terms }).expect(200);
  if (options.until === 'held') await post(`${url}/drawdowns`).send({ number: 1, amount: options.amount }).expect(201);
  return String(opened.body.id);
}
