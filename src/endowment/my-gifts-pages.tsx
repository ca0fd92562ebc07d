import { z } from 'zod';
import { NotFoundError } from '../errors';
import { isAdmin, type Principal } from '../identity/roles';
import { listFunds } from '../ledger/queries';
import { shownAmount, shownDate, Table } from '../web/components';
import { ActionForm, Checkbox, ErrorSummary, Select } from '../web/forms';
import { Layout } from '../web/layout';
import {
  asAnswer,
  definePage,
  formsOf,
  nothingTyped,
  parsed,
  type AnyPage,
  type PageContext,
  type Typed,
  idOf,
} from '../web/pages';
import { myGifts, setDonorChoices } from './gifts';
import { endowmentPageMessages as words } from './messages';
import { ReceiptsTable } from './page-frame';
import { donorChoicesBody, myGiftsAnswer } from './schema';

/**
 * The donor's space: their gifts fund by fund, their receipts to download, and
 * their own choices (how receipts come, what may be sent to them).
 */
type Donor = z.infer<typeof myGiftsAnswer>['donors'][number];

/** The donor's space is a donor's (and an administrator's), as the API's `/api/me/gifts`: anyone else finds nothing here. */
function assertDonor(principal: Principal): void {
  if (!isAdmin(principal) && !principal.grants.some((grant) => grant.role === 'donor')) throw new NotFoundError();
}

async function myGiftsPage(context: PageContext<'signed-in'>, _key: string, typed: Typed = nothingTyped) {
  const { app, principal, csrfToken, request } = context;
  assertDonor(principal);
  const { donors } = asAnswer(myGiftsAnswer, await myGifts(app.db, principal));
  const funds = new Map((await listFunds(app.db)).map((fund) => [fund.id, fund.name]));
  return {
    page: (
      <Layout title={words.myGiftsTitle} viewer={principal} csrfToken={csrfToken}>
        <h1>{words.myGiftsTitle}</h1>
        <p>{words.myGiftsLead}</p>
        {request.query.saved === '1' && <p role="status">{words.choicesSaved}</p>}
        {donors.length === 0 && <p>{words.noGiftsYet}</p>}
        {donors.map((donor) => (
          <section key={donor.id} aria-labelledby={`fonds-${donor.id}`}>
            <h2 id={`fonds-${donor.id}`}>{words.inFund(funds.get(donor.fundId) ?? donor.fundId)}</h2>
            <MyDonations donor={donor} />
            <h3>{words.receiptsOfDonor}</h3>
            <ReceiptsTable receipts={donor.receipts} />
            <MyChoices donor={donor} csrfToken={csrfToken} typed={typed.form === donor.id ? typed : nothingTyped} />
          </section>
        ))}
      </Layout>
    ),
    status: typed.errors.length > 0 ? (typed.status ?? 422) : 200,
  };
}

function MyDonations(props: { donor: Donor }) {
  if (props.donor.donations.length === 0) return <p>{words.noGift}</p>;
  return (
    <Table
      headers={[
        words.giftsColumns.date,
        words.giftsColumns.amount,
        words.giftsColumns.method,
        words.giftsColumns.state,
      ]}
    >
      {props.donor.donations.map((gift) => (
        <tr key={gift.id}>
          <td>{shownDate(gift.receivedOn)}</td>
          <td class="amount">{shownAmount(gift.amount)}</td>
          <td>{words.methods[gift.method]}</td>
          <td>{gift.cancelledAt ? words.giftCancelled(gift.cancelReason ?? '') : words.giftValid}</td>
        </tr>
      ))}
    </Table>
  );
}

function MyChoices(props: { donor: Donor; csrfToken: string; typed: Typed }) {
  const { donor, typed } = props;
  const value = (name: 'consentEmail' | 'consentNewsletter') =>
    typed.form ? typed.values[name] === 'oui' : donor[name];
  return (
    <details open={typed.errors.length > 0}>
      <summary>{words.myDetails}</summary>
      <p>{words.detailsLead(donor.name, donor.email ?? '')}</p>
      <ErrorSummary errors={typed.errors} />
      <ActionForm action={`/mes-dons/${donor.id}/choix`} csrfToken={props.csrfToken} button={words.saveChoices}>
        <Select
          name="receiptMode"
          label={words.myReceiptMode}
          value={typed.values.receiptMode ?? donor.receiptMode}
          options={Object.entries(words.receiptModes).map(([option, label]) => ({ value: option, label }))}
          errors={typed.errors}
        />
        <Checkbox
          name="consentEmail"
          label={words.myConsentEmail}
          checked={value('consentEmail')}
          errors={typed.errors}
        />
        <Checkbox
          name="consentNewsletter"
          label={words.myConsentNewsletter}
          checked={value('consentNewsletter')}
          errors={typed.errors}
        />
      </ActionForm>
    </details>
  );
}

const donorIdOf = (context: PageContext<'signed-in'>) => {
  assertDonor(context.principal);
  return idOf(context.request.params.donorId);
};

export const myGiftsPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/mes-dons',
    access: 'signed-in',
    handler: (context) => myGiftsPage(context, ''),
  }),
  definePage({
    method: 'post',
    path: '/mes-dons/:donorId/choix',
    access: 'signed-in',
    handler: formsOf({
      keyOf: donorIdOf,
      url: () => '/mes-dons?saved=1',
      page: (context, donorId, typed) => myGiftsPage(context, donorId, { ...typed, form: donorId }),
    })('choices', async ({ app, form, principal }, donorId) => {
      const choices = parsed(donorChoicesBody, {
        receiptMode: form.receiptMode,
        consentEmail: form.consentEmail === 'oui',
        consentNewsletter: form.consentNewsletter === 'oui',
      });
      await setDonorChoices(app.db, { donorId, userId: principal.userId }, choices);
    }),
  }),
];
