import { z } from 'zod';
import { Table } from '../web/components';
import { ActionForm, Checkbox, ErrorSummary, Field, Select } from '../web/forms';
import { ActionButton, Layout } from '../web/layout';
import {
  asAnswer,
  assertAdmin,
  definePage,
  formsOf,
  nothingTyped,
  parsed,
  type AnyPage,
  type PageContext,
  type Typed,
  typedFor,
  idOf,
} from '../web/pages';
import { NotFoundError, ValidationError } from '../errors';
import { userIdByEmail } from '../identity/service';
import { emailSchema } from '../identity/schema';
import { committeesNamed, getCommittee, seatMember, unseatMember, updateRules } from './committees';
import { committeesAdminMessages as words, committeesMessages } from './messages';
import { committeeAnswer, rulesSchema } from './schema';

/**
 * The administrator's committees: each with its members and its voting rules,
 * which change for the sessions to come (an open session keeps its own).
 */
const committeesPath = '/admin/comites';
const seatByEmailBody = z.strictObject({ email: emailSchema });

async function committeesPage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken } = context;
  assertAdmin(principal);
  const committees = await committeesNamed(app.db, 'all');
  return {
    page: (
      <Layout title={words.committeesTitle} viewer={principal} csrfToken={csrfToken}>
        <h1>{words.committeesTitle}</h1>
        {committees.length === 0 ? (
          <p>{words.noCommittee}</p>
        ) : (
          <ul>
            {committees.map((committee) => (
              <li key={committee.id}>
                <a href={`${committeesPath}/${committee.id}`}>{committee.name}</a> ({committee.fundId})
              </li>
            ))}
          </ul>
        )}
      </Layout>
    ),
  };
}

async function rulesPage(context: PageContext<'signed-in'>, committeeId: string, typed: Typed = nothingTyped) {
  const { app, principal, csrfToken, request } = context;
  const committee = asAnswer(
    committeeAnswer,
    await getCommittee(app.db, committeeId, 0).catch(() => {
      throw new NotFoundError();
    }),
  );
  const values = typed.form === 'rules' ? typed.values : stringRules(committee.rules);
  const errors = typed.errors;
  return {
    page: (
      <Layout title={words.committeeTitle(committee.name)} viewer={principal} csrfToken={csrfToken}>
        <p>
          <a href={committeesPath}>{words.backToCommittees}</a>
        </p>
        <h1>{words.committeeTitle(committee.name)}</h1>
        {request.query.saved === '1' && <p role="status">{words.rulesSaved(committee.name)}</p>}
        <Members committee={committee} csrfToken={csrfToken} typed={typed} />
        <h2 id="regles">{words.rulesTitle}</h2>
        <ErrorSummary errors={typed.form === 'rules' ? errors : []} />
        <ActionForm action={`${committeesPath}/${committee.id}/regles`} csrfToken={csrfToken} button={words.saveRules}>
          <Field
            name="quorumShare"
            label={words.quorumShare}
            value={values.quorumShare}
            required
            errors={typed.form === 'rules' ? errors : []}
          />
          <Select
            name="decisionRule"
            label={words.decisionRule}
            value={values.decisionRule}
            options={Object.entries(words.decisionRules).map(([value, label]) => ({ value, label }))}
            errors={errors}
          />
          <Field name="qualifiedShare" label={words.qualifiedShare} value={values.qualifiedShare} errors={errors} />
          <Checkbox
            name="abstentionsCount"
            label={words.abstentionsCount}
            checked={values.abstentionsCount === 'oui'}
            errors={errors}
          />
          <Checkbox
            name="chairCastingVote"
            label={words.chairCastingVote}
            checked={values.chairCastingVote === 'oui'}
            errors={errors}
          />
        </ActionForm>
      </Layout>
    ),
    status: errors.length > 0 ? (typed.status ?? 422) : 200,
  };
}

/** Who sits and who presides; a seat given by the account's address, taken back, the chair handed on. */
function Members(props: { committee: z.infer<typeof committeeAnswer>; csrfToken: string; typed: Typed }) {
  const { committee, csrfToken } = props;
  const url = `${committeesPath}/${committee.id}/membres`;
  const seat = typedFor(props.typed, 'seat');
  return (
    <section aria-labelledby="membres">
      <h2 id="membres">{words.members(committee.members.length)}</h2>
      <p>{words.membersLead}</p>
      {props.typed.form && props.typed.form !== 'rules' && props.typed.form !== 'seat' && (
        <ErrorSummary errors={props.typed.errors} />
      )}
      <Table headers={Object.values(words.membersColumns)}>
        {committee.members.map((member) => (
          <tr key={member.userId}>
            <td>{member.name}</td>
            <td>{member.chair ? words.chair : ''}</td>
            <td>
              {!member.chair && (
                <>
                  <ActionButton
                    action={`${url}/${member.userId}/presidence`}
                    csrfToken={csrfToken}
                    label={words.makeChair(member.name)}
                  />
                  <ActionButton
                    action={`${url}/${member.userId}/retrait`}
                    csrfToken={csrfToken}
                    label={words.unseat(member.name)}
                  />
                </>
              )}
            </td>
          </tr>
        ))}
      </Table>
      <h3>{words.seatTitle}</h3>
      <ErrorSummary errors={seat.errors} />
      <ActionForm action={url} csrfToken={csrfToken} button={words.seat}>
        <Field
          name="email"
          type="email"
          label={words.seatEmail}
          value={seat.values.email}
          required
          errors={seat.errors}
        />
        <Checkbox name="chair" label={words.seatAsChair} checked={seat.values.chair === 'oui'} errors={seat.errors} />
      </ActionForm>
    </section>
  );
}

/** The rules as the form shows them (its checkboxes say « oui »). */
const stringRules = (rules: z.infer<typeof committeeAnswer>['rules']): Record<string, string> => ({
  quorumShare: rules.quorumShare,
  decisionRule: rules.decisionRule,
  qualifiedShare: rules.qualifiedShare ?? '',
  abstentionsCount: rules.abstentionsCount ? 'oui' : '',
  chairCastingVote: rules.chairCastingVote ? 'oui' : '',
});

const committeeIdOf = (context: PageContext<'signed-in'>) => {
  assertAdmin(context.principal);
  const id = context.request.params.committeeId;
  if (typeof id !== 'string' || !/^[a-z0-9-]{1,60}$/.test(id)) throw new NotFoundError();
  return id;
};

const onTheCommittee = formsOf<string>({
  keyOf: committeeIdOf,
  url: (committeeId) => `${committeesPath}/${committeeId}`,
  page: rulesPage,
});
const memberIdOf = (context: PageContext<'signed-in'>) =>
  idOf(context.request.params.userId, committeesMessages.notAMember);

export const committeeAdminPages: AnyPage[] = [
  definePage({ method: 'get', path: committeesPath, access: 'signed-in', handler: committeesPage }),
  definePage({
    method: 'get',
    path: `${committeesPath}/:committeeId`,
    access: 'signed-in',
    handler: (context) => rulesPage(context, committeeIdOf(context)),
  }),
  definePage({
    method: 'post',
    path: `${committeesPath}/:committeeId/regles`,
    access: 'signed-in',
    handler: formsOf<string>({
      keyOf: committeeIdOf,
      url: (committeeId) => `${committeesPath}/${committeeId}?saved=1`,
      page: rulesPage,
    })('rules', async ({ app, form }, committeeId) => {
      const rules = parsed(rulesSchema, {
        quorumShare: form.quorumShare?.trim() ?? '',
        decisionRule: form.decisionRule,
        qualifiedShare: form.qualifiedShare?.trim() ? form.qualifiedShare.trim() : null,
        abstentionsCount: form.abstentionsCount === 'oui',
        chairCastingVote: form.chairCastingVote === 'oui',
      });
      await app.db.transaction((trx) => updateRules(trx, committeeId, rules));
    }),
  }),
  definePage({
    method: 'post',
    path: `${committeesPath}/:committeeId/membres`,
    access: 'signed-in',
    handler: onTheCommittee('seat', async ({ app, form, principal }, committeeId) => {
      const { email } = parsed(seatByEmailBody, { email: form.email ?? '' });
      const userId = await userIdByEmail(app.db, email);
      if (!userId) throw new ValidationError([{ path: ['email'], message: words.noAccount }]);
      await app.db.transaction((trx) =>
        seatMember(trx, principal, committeeId, { userId, chair: form.chair === 'oui' }),
      );
    }),
  }),
  definePage({
    method: 'post',
    path: `${committeesPath}/:committeeId/membres/:userId/presidence`,
    access: 'signed-in',
    handler: onTheCommittee('chair', async (context, committeeId) => {
      const userId = memberIdOf(context);
      await context.app.db.transaction((trx) =>
        seatMember(trx, context.principal, committeeId, { userId, chair: true }),
      );
    }),
  }),
  definePage({
    method: 'post',
    path: `${committeesPath}/:committeeId/membres/:userId/retrait`,
    access: 'signed-in',
    handler: onTheCommittee('unseat', async (context, committeeId) => {
      const userId = memberIdOf(context);
      await context.app.db.transaction((trx) => unseatMember(trx, context.principal, committeeId, userId));
    }),
  }),
];
