import { UnauthenticatedError, zodIssues } from '../errors';
import { ErrorSummary, Field, PasswordField, type FormError } from '../web/forms';
import { CsrfField, Layout } from '../web/layout';
import { definePage, formErrorsOf, localPath, type AnyPage } from '../web/pages';
import { identityMessages } from './messages';
import { sessionCookieName, sessionTokenOf, setSessionCookie } from './routes';
import { loginBody } from './schema';
import { logIn, logOut } from './service';

/** Signing in and out from a browser, on the same services as the API's `/api/auth/*`. */
function LoginPage(props: { csrfToken: string; next: string; email?: string; errors: FormError[] }) {
  return (
    <Layout title={identityMessages.loginTitle} viewer={undefined} csrfToken={props.csrfToken}>
      <article class="narrow">
        <h1>{identityMessages.loginTitle}</h1>
        <p>{identityMessages.loginLead}</p>
        <ErrorSummary errors={props.errors} />
        <form method="post" action={`/connexion?suite=${encodeURIComponent(props.next)}`} novalidate>
          <CsrfField token={props.csrfToken} />
          <Field
            name="email"
            label={identityMessages.emailLabel}
            type="email"
            value={props.email}
            autocomplete="username"
            required
            errors={props.errors}
          />
          <PasswordField label={identityMessages.passwordLabel} autocomplete="current-password" errors={props.errors} />
          <button type="submit">{identityMessages.loginButton}</button>
        </form>
      </article>
    </Layout>
  );
}

export const identityPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/connexion',
    access: 'public',
    handler: async ({ principal, request, csrfToken }) => {
      const next = localPath(request.query.suite);
      if (principal) return { redirect: next };
      return { page: <LoginPage csrfToken={csrfToken} next={next} errors={[]} /> };
    },
  }),
  definePage({
    method: 'post',
    path: '/connexion',
    access: 'public',
    handler: async ({ app, request, response, form, csrfToken }) => {
      const next = localPath(request.query.suite);
      const parsed = loginBody.safeParse({ email: form.email ?? '', password: form.password ?? '' });
      const again = (errors: FormError[], status: number) => ({
        page: <LoginPage csrfToken={csrfToken} next={next} email={form.email} errors={errors} />,
        status,
      });
      if (!parsed.success) return again(formErrorsOf(zodIssues(parsed.error)), 422);
      try {
        const session = await logIn(app.db, parsed.data.email, parsed.data.password, app.config.sessionTtlHours);
        setSessionCookie(response, app.config, session.token, session.expiresAt);
        return { redirect: next };
      } catch (error) {
        if (error instanceof UnauthenticatedError) return again([{ message: error.message }], 401);
        throw error;
      }
    },
  }),
  definePage({
    method: 'post',
    path: '/deconnexion',
    access: 'public',
    handler: async ({ app, request, response }) => {
      const token = sessionTokenOf(request);
      if (token) await logOut(app.db, token);
      response.clearCookie(sessionCookieName, { path: '/' });
      return { redirect: '/connexion' };
    },
  }),
];
