import { DomainError, ValidationError } from '../errors';
import { passwordLengthMin } from '../identity/password-policy';
import { FormPage, PasswordField, type FormError } from '../web/forms';
import { Layout } from '../web/layout';
import { definePage, formErrorsOf, type AnyPage } from '../web/pages';
import { organisationsMessages as words } from './messages';
import { acceptInvitation, openInvitation } from './people';

/**
 * The page an invitation's e-mail links to: the invited person sees who invites
 * them, chooses a password if they have none yet, and accepts.
 */
function InvitationPage(props: {
  csrfToken: string;
  token: string;
  invitation: { email: string; organisationName: string; needsPassword: boolean };
  errors: FormError[];
}) {
  return (
    <FormPage
      title={words.invitationTitle}
      lead={words.invitationLead(props.invitation.organisationName, props.invitation.email)}
      csrfToken={props.csrfToken}
      action="/invitation"
      button={words.acceptButton}
      errors={props.errors}
    >
      <input type="hidden" name="jeton" value={props.token} />
      {props.invitation.needsPassword && (
        <>
          <p>{words.choosePassword(passwordLengthMin)}</p>
          <PasswordField label={words.passwordLabel} autocomplete="new-password" errors={props.errors} />
        </>
      )}
    </FormPage>
  );
}

function UnusableInvitationPage(props: { csrfToken: string }) {
  return (
    <Layout title={words.invitationTitle} viewer={undefined} csrfToken={props.csrfToken}>
      <h1>{words.invitationTitle}</h1>
      <p>{words.invitationUnusable}</p>
    </Layout>
  );
}

export const organisationPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/invitation',
    access: 'public',
    handler: async ({ app, request, csrfToken }) => {
      const token = typeof request.query.jeton === 'string' ? request.query.jeton.slice(0, 200) : '';
      const invitation = token ? await openInvitation(app.db, token) : undefined;
      if (!invitation) return { page: <UnusableInvitationPage csrfToken={csrfToken} />, status: 404 };
      return { page: <InvitationPage csrfToken={csrfToken} token={token} invitation={invitation} errors={[]} /> };
    },
  }),
  definePage({
    method: 'post',
    path: '/invitation',
    access: 'public',
    handler: async ({ app, form, csrfToken }) => {
      const token = (form.jeton ?? '').slice(0, 200);
      const invitation = token ? await openInvitation(app.db, token) : undefined;
      if (!invitation) return { page: <UnusableInvitationPage csrfToken={csrfToken} />, status: 404 };
      try {
        const accepted = await app.db.transaction((trx) => acceptInvitation(trx, { token, password: form.password }));
        return {
          page: (
            <Layout title={words.acceptedTitle} viewer={undefined} csrfToken={csrfToken}>
              <h1>{words.acceptedTitle}</h1>
              <p>{words.accepted(accepted.email)}</p>
              <p>
                <a href="/connexion" role="button">
                  {words.signIn}
                </a>
              </p>
            </Layout>
          ),
        };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const errors = error instanceof ValidationError ? formErrorsOf(error.issues) : [{ message: error.message }];
        return {
          page: <InvitationPage csrfToken={csrfToken} token={token} invitation={invitation} errors={errors} />,
          status: error.status,
        };
      }
    },
  }),
];
