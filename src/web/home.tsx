import { roles, type Principal, type Role } from '../identity/roles';
import { Layout } from './layout';
import { webMessages } from './messages';
import { NotFoundError } from '../errors';
import { assertAdmin, definePage, type AnyPage } from './pages';

/** Where each role's space opens; a role without one yet says what is coming. */
const spaces: Record<Role, string> = {
  admin: '/admin',
  treasurer: '/tresorerie',
  committee_member: '/comites',
  referent: '/dossiers',
  applicant: '/dossiers',
  donor: '/mes-dons',
  investor: '/investissement',
  partner_lender: '/prets-garantis',
};

/** The page a person lands on: the spaces their roles open, each saying what it holds. */
function HomePage(props: { principal: Principal; csrfToken: string }) {
  const held = roles.filter((role) => props.principal.grants.some((grant) => grant.role === role));
  return (
    <Layout title={webMessages.homeTitle} viewer={props.principal} csrfToken={props.csrfToken}>
      <h1>{webMessages.welcome(props.principal.displayName)}</h1>
      <h2>{webMessages.yourSpaces}</h2>
      {held.length === 0 ? (
        <p>{webMessages.noRole}</p>
      ) : (
        <div class="grid spaces">
          {held.map((role) => (
            <article key={role}>
              <h3>
                <a href={spaces[role]}>{webMessages.roles[role][0]}</a>
              </h3>
              <p>{webMessages.roles[role][1]}</p>
            </article>
          ))}
        </div>
      )}
      <p>
        <a href="/api/docs">{webMessages.apiDocs}</a>
      </p>
    </Layout>
  );
}

/** The administrator's tools, and the spaces an administrator also sees. */
function AdminPage(props: { principal: Principal; csrfToken: string }) {
  return (
    <Layout title={webMessages.adminTitle} viewer={props.principal} csrfToken={props.csrfToken}>
      <h1>{webMessages.adminTitle}</h1>
      <ul class="tools">
        {Object.entries(webMessages.adminTools).map(([path, [name, what]]) => (
          <li key={path}>
            <a href={path}>{name}</a> — {what}
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** A space whose vehicle is not built yet: what it will hold, rather than an error. */
function ComingPage(props: { principal: Principal; csrfToken: string; role: 'partner_lender' }) {
  const [title, lead] = webMessages.coming[props.role];
  return (
    <Layout title={title} viewer={props.principal} csrfToken={props.csrfToken}>
      <h1>{title}</h1>
      <p>{lead}</p>
      <p>
        <a href="/">{webMessages.errorPageBack}</a>
      </p>
    </Layout>
  );
}

const holds = (principal: Principal, role: Role) => principal.grants.some((grant) => grant.role === role);

export const homePages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/',
    access: 'signed-in',
    handler: async ({ principal, csrfToken }) => ({
      page: <HomePage principal={principal} csrfToken={csrfToken} />,
    }),
  }),
  definePage({
    method: 'get',
    path: '/admin',
    access: 'signed-in',
    handler: async ({ principal, csrfToken }) => {
      assertAdmin(principal);
      return { page: <AdminPage principal={principal} csrfToken={csrfToken} /> };
    },
  }),
  ...([['/prets-garantis', 'partner_lender']] as const).map(([path, role]) =>
    definePage({
      method: 'get',
      path,
      access: 'signed-in',
      handler: async ({ principal, csrfToken }) => {
        if (!holds(principal, role) && !holds(principal, 'admin')) throw new NotFoundError();
        return { page: <ComingPage principal={principal} csrfToken={csrfToken} role={role} /> };
      },
    }),
  ),
];
