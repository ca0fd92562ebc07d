import { roles, type Principal, type Role } from '../identity/roles';
import { Layout } from './layout';
import { webMessages } from './messages';
import { definePage, type AnyPage } from './pages';

/** Where each role's space opens; a role without one yet says what is coming. */
const spaces: Partial<Record<Role, string>> = {
  admin: '/dossiers',
  treasurer: '/tresorerie',
  committee_member: '/comites',
  referent: '/dossiers',
  applicant: '/dossiers',
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
                {spaces[role] ? <a href={spaces[role]}>{webMessages.roles[role][0]}</a> : webMessages.roles[role][0]}
              </h3>
              <p>{webMessages.roles[role][1]}</p>
              {!spaces[role] && (
                <p>
                  <small>{webMessages.comingSoon}</small>
                </p>
              )}
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

export const homePages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/',
    access: 'signed-in',
    handler: async ({ principal, csrfToken }) => ({
      page: <HomePage principal={principal} csrfToken={csrfToken} />,
    }),
  }),
];
