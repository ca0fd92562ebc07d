import { RuleViolationError, UnauthenticatedError, ValidationError, zodIssues } from '../errors';
import { Field, FormPage, PasswordField, type FormError } from '../web/forms';
import { Layout } from '../web/layout';
import { definePage, formErrorsOf, localPath, type AnyPage } from '../web/pages';
import { identityMessages } from './messages';
import { sessionCookieName, sessionTokenOf, setSessionCookie } from './routes';
import { loginBody } from './schema';
import { passwordLengthMin } from './password-policy';
import {
  openResetPurpose,
  requestPasswordReset,
  resetPassword,
  resetValidityMinutes,
  type ResetPurpose,
} from './password-resets';
import { logIn, logOut } from './service';

/** Signing in and out from a browser, on the same services as the API's `/api/auth/*`. */
function LoginPage(props: { csrfToken: string; next: string; email?: string; errors: FormError[] }) {
  return (
    <FormPage
      title={identityMessages.loginTitle}
      lead={identityMessages.loginLead}
      csrfToken={props.csrfToken}
      action={`/connexion?suite=${encodeURIComponent(props.next)}`}
      button={identityMessages.loginButton}
      errors={props.errors}
      after={
        <p>
          <a href="/mot-de-passe/oublie">{identityMessages.forgotLink}</a>
        </p>
      }
    >
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
    </FormPage>
  );
}

/** A short message in the narrow frame, with the way to sign in. */
function messagePage(props: { title: string; message: string; csrfToken: string; status?: number }) {
  return {
    page: (
      <Layout title={props.title} viewer={undefined} csrfToken={props.csrfToken}>
        <article class="narrow">
          <h1>{props.title}</h1>
          <p>{props.message}</p>
          <p>
            <a href="/connexion">{identityMessages.loginButton}</a>
          </p>
        </article>
      </Layout>
    ),
    status: props.status ?? 200,
  };
}

const forgotPage = (csrfToken: string, errors: FormError[], email?: string) => (
  <FormPage
    title={identityMessages.forgotTitle}
    lead={identityMessages.forgotLead}
    csrfToken={csrfToken}
    action="/mot-de-passe/oublie"
    button={identityMessages.forgotButton}
    errors={errors}
  >
    <Field
      name="email"
      label={identityMessages.emailLabel}
      type="email"
      value={email}
      autocomplete="email"
      required
      errors={errors}
    />
  </FormPage>
);

/** The words of the link's page: a new password after a forgotten one, or the first of an account the team opened. */
const passwordWords = (purpose: ResetPurpose | null) =>
  purpose === 'account-opening'
    ? {
        title: identityMessages.openingPasswordTitle,
        lead: identityMessages.openingPasswordLead(passwordLengthMin),
        done: identityMessages.openingPasswordSet,
      }
    : {
        title: identityMessages.newPasswordTitle,
        lead: identityMessages.newPasswordLead(passwordLengthMin),
        done: identityMessages.passwordChanged,
      };

const newPasswordPage = (csrfToken: string, token: string, errors: FormError[], purpose: ResetPurpose | null) => (
  <FormPage
    title={passwordWords(purpose).title}
    lead={passwordWords(purpose).lead}
    csrfToken={csrfToken}
    action="/mot-de-passe/nouveau"
    button={identityMessages.newPasswordButton}
    errors={errors}
  >
    <input type="hidden" name="jeton" value={token} />
    <PasswordField label={identityMessages.passwordLabel} autocomplete="new-password" errors={errors} />
  </FormPage>
);

const resetToken = (candidate: unknown) => (typeof candidate === 'string' ? candidate.slice(0, 200) : '');

const forgottenPasswordPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/mot-de-passe/oublie',
    access: 'public',
    handler: async ({ csrfToken }) => ({ page: forgotPage(csrfToken, []) }),
  }),
  definePage({
    method: 'post',
    path: '/mot-de-passe/oublie',
    access: 'public',
    handler: async ({ app, form, csrfToken }) => {
      const parsed = loginBody.shape.email.safeParse(form.email ?? '');
      if (!parsed.success)
        return {
          page: forgotPage(csrfToken, formErrorsOf(zodIssues(parsed.error, ['email'])), form.email),
          status: 422,
        };
      await app.db.transaction((trx) => requestPasswordReset(trx, parsed.data));
      // The same answer whether or not the address has an account.
      return messagePage({
        title: identityMessages.forgotTitle,
        message: identityMessages.forgotSent(resetValidityMinutes),
        csrfToken,
      });
    },
  }),
  definePage({
    method: 'get',
    path: '/mot-de-passe/nouveau',
    access: 'public',
    handler: async ({ app, request, csrfToken }) => {
      const token = resetToken(request.query.jeton);
      const purpose = token ? await openResetPurpose(app.db, token) : null;
      if (!purpose)
        return messagePage({
          title: identityMessages.newPasswordTitle,
          message: identityMessages.resetUnusable,
          csrfToken,
          status: 404,
        });
      return { page: newPasswordPage(csrfToken, token, [], purpose) };
    },
  }),
  definePage({
    method: 'post',
    path: '/mot-de-passe/nouveau',
    access: 'public',
    handler: async ({ app, form, csrfToken }) => {
      const token = resetToken(form.jeton);
      let purpose: ResetPurpose;
      try {
        purpose = await app.db.transaction((trx) => resetPassword(trx, token, form.password ?? ''));
      } catch (error) {
        if (error instanceof ValidationError) {
          const page = newPasswordPage(
            csrfToken,
            token,
            formErrorsOf(error.issues),
            await openResetPurpose(app.db, token),
          );
          return { page, status: 400 };
        }
        if (error instanceof RuleViolationError)
          return messagePage({
            title: identityMessages.newPasswordTitle,
            message: error.message,
            csrfToken,
            status: 422,
          });
        throw error;
      }
      return messagePage({ title: passwordWords(purpose).title, message: passwordWords(purpose).done, csrfToken });
    },
  }),
];

export const identityPages: AnyPage[] = [
  ...forgottenPasswordPages,
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
