import { Pagination, shownDate, shownDateTime, Table } from '../web/components';
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
  typedFor,
  idOf,
} from '../web/pages';
import { identityAdminMessages as words } from './messages';
import { listFunds } from '../ledger/queries';
import { roles, type RoleGrant } from './roles';
import { grantRoleByAdmin, roleChangesOf, roleChangesShownMax, withdrawRoleByAdmin } from './role-grants';
import { newUserBody, roleGrantBody } from './schema';
import { createUser, findUsers, getUser, setAccountDisabled, type User } from './service';

/**
 * The administrator's accounts: found by name or address, each with its roles
 * and state; an account created with a role, disabled (its sessions and tokens
 * end) or enabled again; on its own page, a role given or withdrawn, and who
 * gave or withdrew each.
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
                <td>
                  <a href={`${usersPath}/${user.id}`}>{user.displayName}</a>
                </td>
                <td>{user.email}</td>
                <td>{user.roles.map(roleShown).join(', ')}</td>
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

const roleShown = (grant: Pick<RoleGrant, 'role' | 'scopeId'>) =>
  grant.scopeId
    ? words.scoped(words.roleNames[grant.role] ?? grant.role, grant.scopeId)
    : (words.roleNames[grant.role] ?? grant.role);

/** Roles given on an account's page; a committee seat and a place in a structure are given where they are made. */
const grantedHere = roles.filter((role) => role !== 'committee_member' && role !== 'applicant');

async function accountPage(context: PageContext<'signed-in'>, userId: string, typed: Typed = nothingTyped) {
  const { app, principal, csrfToken } = context;
  const user = await getUser(app.db, userId);
  const changes = await roleChangesOf(app.db, userId, roleChangesShownMax);
  const url = `${usersPath}/${user.id}`;
  const title = words.accountTitle(user.displayName);
  return {
    page: (
      <Layout title={title} viewer={principal} csrfToken={csrfToken}>
        <p>
          <a href={usersPath}>{words.backToUsers}</a>
        </p>
        <h1>{title}</h1>
        <dl class="summary">
          <dt>{words.email}</dt>
          <dd>{user.email}</dd>
          <dt>{words.usersColumns.state}</dt>
          <dd>{user.disabledAt ? words.disabled(shownDate(user.disabledAt)) : words.active}</dd>
          <dt>{words.createdAt}</dt>
          <dd>{shownDate(user.createdAt)}</dd>
        </dl>
        <ErrorSummary errors={typed.errors} />
        <RolesHeld user={user} url={url} csrfToken={csrfToken} />
        <GrantForm url={url} csrfToken={csrfToken} typed={typedFor(typed, 'grant')} funds={await listFunds(app.db)} />
        <section aria-labelledby="historique-roles">
          <h2 id="historique-roles">{words.changesTitle}</h2>
          {changes.length === 0 ? (
            <p>{words.noChange}</p>
          ) : (
            <Table headers={Object.values(words.changesColumns)}>
              {changes.map((change, index) => (
                <tr key={index}>
                  <td>{shownDateTime(change.changedAt)}</td>
                  <td>{words.changeNames[change.change]}</td>
                  <td>{roleShown(change)}</td>
                  <td>{change.changedBy ?? words.bySystem}</td>
                </tr>
              ))}
            </Table>
          )}
        </section>
      </Layout>
    ),
    status: typed.errors.length > 0 ? (typed.status ?? 422) : 200,
  };
}

function RolesHeld(props: { user: User; url: string; csrfToken: string }) {
  const { user } = props;
  return (
    <section aria-labelledby="roles-tenus">
      <h2 id="roles-tenus">{words.rolesTitle}</h2>
      {user.roles.length === 0 ? (
        <p>{words.noRole}</p>
      ) : (
        <Table headers={Object.values(words.rolesColumns)}>
          {user.roles.map((grant) => (
            <tr key={`${grant.role}:${grant.scopeId ?? ''}`}>
              <td>{roleShown(grant)}</td>
              <td>
                {grant.role === 'committee_member' ? (
                  <a href={`/admin/comites/${grant.scopeId}`}>{words.seatOnCommittee(grant.scopeId ?? '')}</a>
                ) : (
                  <ActionForm
                    action={`${props.url}/roles/retrait`}
                    csrfToken={props.csrfToken}
                    button={words.withdraw(roleShown(grant))}
                    secondary
                  >
                    <input type="hidden" name="role" value={grant.role} />
                    {grant.scopeId && <input type="hidden" name="scopeId" value={grant.scopeId} />}
                  </ActionForm>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

function GrantForm(props: { url: string; csrfToken: string; typed: Typed; funds: { id: string; name: string }[] }) {
  const { values, errors } = props.typed;
  return (
    <section aria-labelledby="donner-role">
      <h2 id="donner-role">{words.grantTitle}</h2>
      <p>{words.grantLead}</p>
      <ActionForm action={`${props.url}/roles`} csrfToken={props.csrfToken} button={words.grant}>
        <div class="grid">
          <Select
            name="role"
            label={words.role}
            value={values.role ?? 'referent'}
            options={grantedHere.map((role) => ({ value: role, label: words.roleNames[role] ?? role }))}
            errors={errors}
          />
          <Select
            name="scopeId"
            label={words.fundScope}
            value={values.scopeId ?? ''}
            options={[
              { value: '', label: words.noScope },
              ...props.funds.map((fund) => ({ value: fund.id, label: fund.name })),
            ]}
            errors={errors}
          />
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
const onTheAccount = formsOf<string>({ keyOf: userIdOf, url: (userId) => `${usersPath}/${userId}`, page: accountPage });
const grantOf = (form: Record<string, string>) =>
  parsed(roleGrantBody, { role: form.role, scopeId: form.scopeId?.trim() || undefined });

export const identityAdminPages: AnyPage[] = [
  definePage({ method: 'get', path: usersPath, access: 'signed-in', handler: (context) => usersPage(context, '') }),
  definePage({
    method: 'post',
    path: usersPath,
    access: 'signed-in',
    handler: onTheUsers('user', async ({ app, form, principal }) => {
      // A role's refusal lands on the form's own field (`roles.0.role` → `role`).
      const user = parsed(newUserBody, {
        email: form.email ?? '',
        displayName: form.displayName ?? '',
        roles: [{ role: form.role, scopeId: form.scopeId?.trim() || undefined }],
      });
      await app.db.transaction((trx) => createUser(trx, user, principal.userId));
      return `${usersPath}?search=${encodeURIComponent(user.email)}`;
    }),
  }),
  definePage({
    method: 'get',
    path: `${usersPath}/:userId`,
    access: 'signed-in',
    handler: (context) => accountPage(context, userIdOf(context)),
  }),
  definePage({
    method: 'post',
    path: `${usersPath}/:userId/roles`,
    access: 'signed-in',
    handler: onTheAccount('grant', async ({ app, form, principal }, userId) => {
      await app.db.transaction((trx) => grantRoleByAdmin(trx, principal, userId, grantOf(form)));
    }),
  }),
  definePage({
    method: 'post',
    path: `${usersPath}/:userId/roles/retrait`,
    access: 'signed-in',
    handler: onTheAccount('withdraw', async ({ app, form, principal }, userId) => {
      await app.db.transaction((trx) => withdrawRoleByAdmin(trx, principal, userId, grantOf(form)));
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
