import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { NotFoundError } from '../errors';
import { todayInParis } from '../time';
import { Pagination, shownAmount, shownDate, Table } from '../web/components';
import { ActionForm, AmountField, Checkbox, ErrorSummary, Field, Select, TextArea } from '../web/forms';
import {
  asAnswer,
  definePage,
  formsOf,
  frenchAmountFields,
  nothingTyped,
  pageNumber,
  parsed,
  typedFor,
  type AnyPage,
  type PageContext,
  type Typed,
  idOf,
} from '../web/pages';
import { cancelDonation, createDonor, donorView, listDonations, listDonors, recordDonation } from './gifts';
import { poolChoices } from './grants';
import { endowmentPageMessages as words } from './messages';
import { endowmentFundOf, EndowmentLayout, ReceiptsTable, sectionPath, type EndowmentFund } from './page-frame';
import {
  donationBody,
  donationMethods,
  donorAnswer,
  donorsAnswer,
  donationsAnswer,
  giftCancellationBody,
  newDonorBody,
} from './schema';

/**
 * The treasurer's donors and gifts: find a donor or record a new one, a donor's
 * gifts and receipts, a gift recorded (once, however often the form is sent)
 * or cancelled with its reason, the fund's gifts by period.
 */
const listedMax = 25;
const optional = (typed: string | undefined) => (typed?.trim() ? typed.trim() : undefined);
const ticked = (typed: string | undefined) => typed === 'oui';

async function donorsPage(context: PageContext<'signed-in'>, fund: EndowmentFund, typed: Typed = nothingTyped) {
  const { app, principal, csrfToken, request } = context;
  const search = typeof request.query.search === 'string' ? request.query.search.trim() : '';
  const page = pageNumber(request.query.page);
  const donors = asAnswer(
    donorsAnswer,
    await listDonors(app.db, fund.id, { search: search.length >= 2 ? search : undefined, page, pageSize: listedMax }),
  );
  return {
    page: (
      <EndowmentLayout
        title={words.donorsTitle(fund.name)}
        fund={fund}
        section="donors"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <form method="get" action={sectionPath(fund, 'donors')} role="search" class="filters">
          <Field name="search" label={words.donorSearch} value={search} errors={[]} />
          <button type="submit">{words.search}</button>
        </form>
        {donors.donors.length === 0 ? (
          <p>{words.noDonor}</p>
        ) : (
          <Table headers={Object.values(words.donorsColumns)}>
            {donors.donors.map((donor) => (
              <tr key={donor.id}>
                <td>
                  <a href={`${sectionPath(fund, 'donors')}/${donor.id}`}>{donor.name}</a>
                </td>
                <td>{donor.email ?? '—'}</td>
                <td>{donor.city}</td>
                <td>{words.receiptModes[donor.receiptMode]}</td>
              </tr>
            ))}
          </Table>
        )}
        <Pagination
          path={sectionPath(fund, 'donors')}
          query={{ search }}
          page={page}
          pageSize={listedMax}
          total={donors.total}
        />
        <NewDonorForm fund={fund} csrfToken={csrfToken} typed={typed} />
      </EndowmentLayout>
    ),
    status: typed.errors.length > 0 ? (typed.status ?? 422) : 200,
  };
}

function NewDonorForm(props: { fund: EndowmentFund; csrfToken: string; typed: Typed }) {
  const { values, errors } = props.typed;
  const text = (name: string, label: string, required = false) => (
    <Field name={name} label={label} value={values[name]} required={required} errors={errors} />
  );
  return (
    <section aria-labelledby="nouveau-donateur">
      <h2 id="nouveau-donateur">{words.newDonorTitle}</h2>
      <ErrorSummary errors={errors} />
      <ActionForm action={sectionPath(props.fund, 'donors')} csrfToken={props.csrfToken} button={words.createDonor}>
        <Select
          name="kind"
          label={words.donorKind}
          value={values.kind ?? 'individual'}
          options={Object.entries(words.donorKinds).map(([value, label]) => ({ value, label }))}
          errors={errors}
        />
        <div class="grid">
          {text('lastName', words.lastName)}
          {text('firstNames', words.firstNames)}
        </div>
        <div class="grid">
          {text('companyName', words.companyName)}
          {text('siren', words.siren)}
        </div>
        {text('addressLine', words.addressLine, true)}
        <div class="grid">
          {text('postalCode', words.postalCode, true)}
          {text('city', words.city, true)}
        </div>
        <Field name="email" type="email" label={words.email} value={values.email} errors={errors} />
        <Select
          name="receiptMode"
          label={words.receiptMode}
          value={values.receiptMode ?? 'per-gift'}
          options={Object.entries(words.receiptModes).map(([value, label]) => ({ value, label }))}
          errors={errors}
        />
        <Checkbox
          name="consentEmail"
          label={words.consentEmail}
          checked={props.typed.form ? ticked(values.consentEmail) : true}
          errors={errors}
        />
        <Checkbox
          name="consentNewsletter"
          label={words.consentNewsletter}
          checked={ticked(values.consentNewsletter)}
          errors={errors}
        />
      </ActionForm>
    </section>
  );
}

/** The new donor's form, read by the API's schema (one kind's fields, the other's left aside). */
function newDonorFrom(form: Record<string, string>) {
  const individual = form.kind !== 'company';
  return parsed(newDonorBody, {
    kind: individual ? 'individual' : 'company',
    ...(individual
      ? { lastName: form.lastName, firstNames: form.firstNames }
      : { companyName: form.companyName, siren: form.siren ?? '' }),
    addressLine: form.addressLine,
    postalCode: form.postalCode,
    city: form.city,
    email: optional(form.email),
    receiptMode: form.receiptMode,
    consentEmail: ticked(form.consentEmail),
    consentNewsletter: ticked(form.consentNewsletter),
  });
}

type DonorKey = { fund: EndowmentFund; donorId: string };

async function donorPage(context: PageContext<'signed-in'>, key: DonorKey, typed: Typed = nothingTyped) {
  const { app, principal, csrfToken } = context;
  const { fund, donorId } = key;
  const [donor, pools] = await Promise.all([
    donorView(app.db, fund.id, donorId).then((answer) => asAnswer(donorAnswer, answer)),
    poolChoices(app.db, fund.id),
  ]);
  const url = `${sectionPath(fund, 'donors')}/${donorId}`;
  return {
    page: (
      <EndowmentLayout
        title={words.donorTitle(donor.name)}
        fund={fund}
        section="donors"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <p>
          {donor.email ?? '—'} · {words.receiptModes[donor.receiptMode]}
        </p>
        <section aria-labelledby="ses-dons">
          <h2 id="ses-dons">{words.giftsOfDonor}</h2>
          <DonorGifts url={url} donor={donor} csrfToken={csrfToken} typed={typedFor(typed, 'cancel')} />
        </section>
        <RecordGiftForm url={url} pools={pools} csrfToken={csrfToken} typed={typedFor(typed, 'gift')} />
        <section aria-labelledby="ses-recus">
          <h2 id="ses-recus">{words.receiptsOfDonor}</h2>
          <ReceiptsTable
            receipts={donor.receipts}
            detailOf={(receipt) => `${sectionPath(fund, 'receipts')}/${receipt.id}`}
          />
        </section>
      </EndowmentLayout>
    ),
    status: typed.errors.length > 0 ? (typed.status ?? 422) : 200,
  };
}

function DonorGifts(props: { url: string; donor: z.infer<typeof donorAnswer>; csrfToken: string; typed: Typed }) {
  if (props.donor.donations.length === 0) return <p>{words.noGift}</p>;
  const cancelling = props.typed.values.donationId;
  return (
    <>
      <ErrorSummary errors={props.typed.errors} />
      <Table headers={[...Object.values(words.giftsColumns).filter((header) => header !== words.giftsColumns.donor)]}>
        {props.donor.donations.map((gift) => (
          <tr key={gift.id}>
            <td>{shownDate(gift.receivedOn)}</td>
            <td class="amount">{shownAmount(gift.amount)}</td>
            <td>{words.methods[gift.method]}</td>
            <td>
              {gift.cancelledAt ? (
                words.giftCancelled(gift.cancelReason ?? '')
              ) : (
                <details open={cancelling === gift.id}>
                  <summary>{words.cancelGift}</summary>
                  <ActionForm
                    action={`${props.url}/dons/${gift.id}/annulation`}
                    csrfToken={props.csrfToken}
                    button={words.cancelGiftButton}
                    secondary
                  >
                    <input type="hidden" name="donationId" value={gift.id} />
                    <TextArea
                      name={cancelling === gift.id ? 'reason' : `reason-${gift.id}`}
                      label={words.cancelGiftReason}
                      value={cancelling === gift.id ? props.typed.values.reason : undefined}
                      rows={2}
                      required
                      errors={props.typed.errors}
                    />
                  </ActionForm>
                </details>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function RecordGiftForm(props: {
  url: string;
  pools: { id: string; name: string }[];
  csrfToken: string;
  typed: Typed;
}) {
  const { values, errors } = props.typed;
  return (
    <section aria-labelledby="nouveau-don">
      <h2 id="nouveau-don">{words.recordGiftTitle}</h2>
      <ErrorSummary errors={errors} />
      <ActionForm action={`${props.url}/dons`} csrfToken={props.csrfToken} button={words.recordGift}>
        {/* Drawn with the form: sent twice (a double click, a reload), it records one gift. */}
        <input type="hidden" name="idempotencyKey" value={values.idempotencyKey ?? randomUUID()} />
        <div class="grid">
          <AmountField name="amount" label={words.amount} value={values.amount} required errors={errors} />
          <Field
            name="receivedOn"
            type="date"
            label={words.receivedOn}
            value={values.receivedOn ?? todayInParis()}
            required
            errors={errors}
          />
        </div>
        <div class="grid">
          <Select
            name="method"
            label={words.method}
            value={values.method ?? 'transfer'}
            options={donationMethods.map((method) => ({ value: method, label: words.methods[method]! }))}
            errors={errors}
          />
          <Select
            name="poolId"
            label={words.pool}
            value={values.poolId ?? ''}
            options={[
              { value: '', label: words.noPool },
              ...props.pools.map((pool) => ({ value: pool.id, label: pool.name })),
            ]}
            errors={errors}
          />
        </div>
        <Field name="externalRef" label={words.externalRef} value={values.externalRef} errors={errors} />
      </ActionForm>
    </section>
  );
}

async function giftsPage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken, request } = context;
  const fund = await endowmentFundOf(context);
  const date = (candidate: unknown) =>
    typeof candidate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(candidate) ? candidate : undefined;
  const period = { from: date(request.query.from), to: date(request.query.to) };
  const page = pageNumber(request.query.page);
  const gifts = asAnswer(
    donationsAnswer,
    await listDonations(app.db, fund.id, { ...period, page, pageSize: listedMax }),
  );
  return {
    page: (
      <EndowmentLayout
        title={words.giftsTitle(fund.name)}
        fund={fund}
        section="gifts"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <form method="get" action={sectionPath(fund, 'gifts')} class="filters">
          <Field name="from" type="date" label={words.from} value={period.from} errors={[]} />
          <Field name="to" type="date" label={words.to} value={period.to} errors={[]} />
          <button type="submit">{words.filter}</button>
        </form>
        {gifts.donations.length === 0 ? (
          <p>{words.noGift}</p>
        ) : (
          <Table headers={Object.values(words.giftsColumns)}>
            {gifts.donations.map((gift) => (
              <tr key={gift.id}>
                <td>{shownDate(gift.receivedOn)}</td>
                <td>
                  <a href={`${sectionPath(fund, 'donors')}/${gift.donorId}`}>{gift.donor}</a>
                </td>
                <td class="amount">{shownAmount(gift.amount)}</td>
                <td>{words.methods[gift.method]}</td>
                <td>{gift.cancelledAt ? words.giftCancelled(gift.cancelReason ?? '') : words.giftValid}</td>
              </tr>
            ))}
          </Table>
        )}
        <Pagination
          path={sectionPath(fund, 'gifts')}
          query={period}
          page={page}
          pageSize={listedMax}
          total={gifts.total}
        />
      </EndowmentLayout>
    ),
  };
}

const onTheDonors = formsOf({
  keyOf: endowmentFundOf,
  url: (fund) => sectionPath(fund, 'donors'),
  page: donorsPage,
});
const onTheDonor = formsOf<DonorKey>({
  keyOf: async (context) => ({
    fund: await endowmentFundOf(context),
    donorId: idOf(context.request.params.donorId),
  }),
  url: ({ fund, donorId }) => `${sectionPath(fund, 'donors')}/${donorId}`,
  page: donorPage,
});

export const donorPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/donateurs',
    access: 'signed-in',
    handler: async (context) => donorsPage(context, await endowmentFundOf(context)),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/donateurs',
    access: 'signed-in',
    handler: onTheDonors('donor', async ({ app, form }, fund) => {
      const donor = newDonorFrom(form);
      const donorId = await app.db.transaction((trx) => createDonor(trx, fund.id, donor));
      return `${sectionPath(fund, 'donors')}/${donorId}`;
    }),
  }),
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/donateurs/:donorId',
    access: 'signed-in',
    handler: async (context) =>
      donorPage(context, { fund: await endowmentFundOf(context), donorId: idOf(context.request.params.donorId) }),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/donateurs/:donorId/dons',
    access: 'signed-in',
    handler: onTheDonor('gift', async ({ app, form, principal }, { fund, donorId }) => {
      const donation = parsed(donationBody, {
        donorId,
        ...frenchAmountFields(form, ['amount']),
        receivedOn: form.receivedOn,
        method: form.method,
        poolId: optional(form.poolId),
        externalRef: optional(form.externalRef),
      });
      await app.db.transaction((trx) =>
        recordDonation(trx, fund.id, donation, { userId: principal.userId }, optional(form.idempotencyKey)),
      );
    }),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/donateurs/:donorId/dons/:donationId/annulation',
    access: 'signed-in',
    handler: onTheDonor('cancel', async ({ app, form, principal, request }, { fund, donorId }) => {
      const donationId = idOf(request.params.donationId);
      const donor = await donorView(app.db, fund.id, donorId);
      if (!donor.donations.some((gift: { id: string }) => gift.id === donationId)) throw new NotFoundError();
      const { reason } = parsed(giftCancellationBody, { reason: form.reason ?? form[`reason-${donationId}`] ?? '' });
      await app.db.transaction((trx) => cancelDonation(trx, fund.id, donationId, reason, { userId: principal.userId }));
    }),
  }),
  definePage({ method: 'get', path: '/tresorerie/:fundId/dons', access: 'signed-in', handler: giftsPage }),
];
