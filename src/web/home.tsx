import { roles, type Principal } from '../identity/roles';
import { Layout } from './layout';
import { webMessages } from './messages';
import { definePage, type AnyPage } from './pages';

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
              <h3>{webMessages.roles[role][0]}</h3>
              <p>{webMessages.roles[role][1]}</p>
              <p>
                <small>{webMessages.comingSoon}</small>
              </p>
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
