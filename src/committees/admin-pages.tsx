import type { z } from 'zod';
import { Table } from '../web/components';
import { ActionForm, Checkbox, ErrorSummary, Field, Select } from '../web/forms';
import { Layout } from '../web/layout';
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
} from '../web/pages';
import { NotFoundError } from '../errors';
import { committeesNamed, getCommittee, updateRules } from './committees';
import { committeesAdminMessages as words } from './messages';
import { committeeAnswer, rulesSchema } from './schema';

/**
 * The administrator's committees: each with its members and its voting rules,
 * which change for the sessions to come (an open session keeps its own).
 */
const committeesPath = '/admin/comites';

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
  const values = typed.form ? typed.values : stringRules(committee.rules);
  const errors = typed.errors;
  return {
    page: (
      <Layout title={words.rulesOf(committee.name)} viewer={principal} csrfToken={csrfToken}>
        <h1>{words.rulesOf(committee.name)}</h1>
        {request.query.saved === '1' && <p role="status">{words.rulesSaved(committee.name)}</p>}
        <p>{words.members(committee.members.length)}</p>
        <Table headers={Object.values(words.membersColumns)}>
          {committee.members.map((member) => (
            <tr key={member.userId}>
              <td>{member.name}</td>
              <td>{member.chair ? words.chair : ''}</td>
            </tr>
          ))}
        </Table>
        <ErrorSummary errors={errors} />
        <ActionForm action={`${committeesPath}/${committee.id}/regles`} csrfToken={csrfToken} button={words.saveRules}>
          <Field name="quorumShare" label={words.quorumShare} value={values.quorumShare} required errors={errors} />
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
];
