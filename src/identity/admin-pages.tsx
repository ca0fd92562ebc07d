import { Pagination, shownDate, Table } from '../web/components';
import { ActionForm, ErrorSummary, Field, Select } from '../web/forms';
import { ActionButton, Layout } from '../web/layout';
import {
  assertAdmin,
  definePage,
  formsOf,
  nothingTyped,
  pageNumber,
  parsed,
  type AnyPage,
  type PageContext,
  type Typed,
  idOf,
} from '../web/pages';
import { identityAdminMessages as words } from './messages';
import { roles } from './roles';
import { newUserBody } from './schema';
import { createUser, findUsers, setAccountDisabled } from './service';

/**
 * The administrator's accounts: found by name or address, each with its roles
 * and state; an account created with a role, disabled (its sessions and tokens
 * end) or enabled again.
 */
const listedMax = 25;
const usersPath = '/admin/comptes';

async function usersPage(context: PageContext<'signed-in'>, _key: string, typed: Typed = nothingTyped) {
  const { app, principal, csrfToken, request } = context;
  assertAdmin(principal);
  const search = typeof request.query.search === 'string' ? request.query.search.trim() : '';
  const page = pageNumber(request.query.page);
  const found = await findUsers(app.db, { search: search || undefined, page, pageSize: listedMax });
  return {
    page: (
      <Layout title={words.usersTitle} viewer={principal} csrfToken={csrfToken}>
        <h1>{words.usersTitle}</h1>
        <form method="get" action={usersPath} role="search" class="filters">
          <Field name="search" label={words.search} value={search} errors={[]} />
          <button type="submit">{words.find}</button>
        </form>
        {found.users.length === 0 ? (
          <p>{words.noUser}</p>
        ) : (
          <Table headers={Object.values(words.usersColumns)}>
            {found.users.map((user) => (
              <tr key={user.id}>
                <td>{user.displayName}</td>
                <td>{user.email}</td>
                <td>
                  {user.roles
                    .map((grant) =>
                      grant.scopeId
                        ? words.scoped(words.roleNames[grant.role] ?? grant.role, grant.scopeId)
                        : (words.roleNames[grant.role] ?? grant.role),
                    )
                    .join(', ')}
                </td>
                <td>{user.disabledAt ? words.disabled(shownDate(user.disabledAt)) : words.active}</td>
                <td>
                  {user.id !== principal.userId && (
                    <ActionButton
                      action={`${usersPath}/${user.id}/${user.disabledAt ? 'reactivation' : 'desactivation'}`}
                      csrfToken={csrfToken}
                      label={user.disabledAt ? words.enable(user.displayName) : words.disable(user.displayName)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
        <Pagination path={usersPath} query={{ search }} page={page} pageSize={listedMax} total={found.total} />
        <NewUserForm csrfToken={csrfToken} typed={typed} />
      </Layout>
    ),
    status: typed.errors.length > 0 ? (typed.status ?? 422) : 200,
  };
}

function NewUserForm(props: { csrfToken: string; typed: Typed }) {
  const { values, errors } = props.typed;
  return (
    <section aria-labelledby="nouveau-compte">
      <h2 id="nouveau-compte">{words.newUserTitle}</h2>
      <p>{words.newUserLead}</p>
      <ErrorSummary errors={errors} />
      <ActionForm action={usersPath} csrfToken={props.csrfToken} button={words.createUser}>
        <div class="grid">
          <Field name="displayName" label={words.displayName} value={values.displayName} required errors={errors} />
          <Field name="email" type="email" label={words.email} value={values.email} required errors={errors} />
        </div>
        <div class="grid">
          <Select
            name="role"
            label={words.role}
            value={values.role ?? 'referent'}
            options={roles.map((role) => ({ value: role, label: words.roleNames[role] ?? role }))}
            errors={errors}
          />
          <Field name="scopeId" label={words.scopeId} value={values.scopeId} errors={errors} />
        </div>
      </ActionForm>
    </section>
  );
}

const userIdOf = (context: PageContext<'signed-in'>) => {
  assertAdmin(context.principal);
  return idOf(context.request.params.userId);
};
const onTheUsers = formsOf<string>({
  keyOf: (context) => {
    assertAdmin(context.principal);
    return '';
  },
  url: () => usersPath,
  page: usersPage,
});
const onAUser = formsOf<string>({ keyOf: userIdOf, url: () => usersPath, page: usersPage });

export const identityAdminPages: AnyPage[] = [
  definePage({ method: 'get', path: usersPath, access: 'signed-in', handler: (context) => usersPage(context, '') }),
  definePage({
    method: 'post',
    path: usersPath,
    access: 'signed-in',
    handler: onTheUsers('user', async ({ app, form }) => {
      // A role's refusal lands on the form's own field (`roles.0.role` → `role`).
      const user = parsed(newUserBody, {
        email: form.email ?? '',
        displayName: form.displayName ?? '',
        roles: [{ role: form.role, scopeId: form.scopeId?.trim() || undefined }],
      });
      await app.db.transaction((trx) => createUser(trx, user));
      return `${usersPath}?search=${encodeURIComponent(user.email)}`;
    }),
  }),
  ...(['desactivation', 'reactivation'] as const).map((action) =>
    definePage({
      method: 'post',
      path: `${usersPath}/:userId/${action}`,
      access: 'signed-in',
      handler: onAUser(action, async ({ app, principal }, userId) => {
        await app.db.transaction((trx) => setAccountDisabled(trx, principal, userId, action === 'desactivation'));
      }),
    }),
  ),
];
