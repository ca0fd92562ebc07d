import { NotFoundError, ValidationError } from '../errors';
import { isAdmin, scopesHeld, type Principal } from '../identity/roles';
import { shownDate, Table } from '../web/components';
import { ActionForm, ErrorSummary, Field, Select } from '../web/forms';
import { Layout } from '../web/layout';
import {
  asAnswer,
  definePage,
  formsOf,
  nothingTyped,
  parsed,
  typedFor,
  type AnyPage,
  type PageContext,
  type Typed,
} from '../web/pages';
import { z } from 'zod';
import { emailSchema } from '../identity/schema';
import { acceptedFileTypes, fileKinds, fileSizeMaxBytes, listFiles, storeFile } from './files';
import { organisationPageMessages as words } from './messages';
import { invite, people } from './people';
import { filesAnswer, organisationParams, organisationPatchBody, peopleAnswer } from './schema';
import { maskedIban, ProfileForm, profilePatch } from './profile-form';
import {
  assertOrganisationReadable,
  fieldsNeededForProposal,
  getOrganisation,
  missingFields,
  updateOrganisation,
  type Organisation,
} from './service';

/**
 * An organisation's page: its profile and what a proposal still needs, its
 * people and pending invitations (anyone who may read it invites), and, for its
 * own members, the reusable documents each file takes up.
 */
const invitationBody = z.strictObject({ email: emailSchema, displayName: z.string().trim().min(1).max(200) });

/** The organisation of the address, if this person may read it (its members, the referent who opened it): 404 otherwise. */
async function organisationOf(context: PageContext<'signed-in'>): Promise<string> {
  const params = organisationParams.safeParse({ organisationId: context.request.params.organisationId });
  const organisationId = params.success ? params.data.organisationId : '';
  await assertOrganisationReadable(context.app.db, organisationId, context.principal);
  return organisationId;
}

const isMember = (principal: Principal, organisationId: string) =>
  isAdmin(principal) || scopesHeld(principal, ['applicant'], 'organisation').includes(organisationId);

async function organisationPage(
  context: PageContext<'signed-in'>,
  organisationId: string,
  typed: Typed = nothingTyped,
) {
  const { app, principal, csrfToken, request } = context;
  const member = isMember(principal, organisationId);
  const [organisation, team, files] = await Promise.all([
    getOrganisation(app.db, organisationId),
    people(app.db, organisationId).then((answer) => asAnswer(peopleAnswer, answer)),
    member ? listFiles(app.db, organisationId).then((list) => asAnswer(filesAnswer, { files: list }).files) : undefined,
  ]);
  const url = `/structures/${organisationId}`;
  const invited = typeof request.query.invited === 'string' ? request.query.invited : undefined;
  return {
    page: (
      <Layout title={words.title(organisation.name)} viewer={principal} csrfToken={csrfToken}>
        <h1>{words.title(organisation.name)}</h1>
        {member && (
          <p>
            <a href={`${url}/trajectoire`}>{words.trajectory}</a>
          </p>
        )}
        {request.query.saved !== undefined && (
          <p role="status">{request.query.saved === '1' ? words.profileSaved : words.profileUnchanged}</p>
        )}
        <Profile organisation={organisation} />
        {member && (
          <ProfileForm url={url} csrfToken={csrfToken} known={organisation} typed={typedFor(typed, 'profile')} />
        )}
        <section aria-labelledby="personnes">
          <h2 id="personnes">{words.peopleTitle}</h2>
          {invited && <p role="status">{words.invited(invited)}</p>}
          <ul>
            {team.members.map((person) => (
              <li key={person.userId}>
                {person.name} — {person.email}
              </li>
            ))}
          </ul>
          {team.invitations.length > 0 && (
            <>
              <h3>{words.pendingInvitations}</h3>
              <ul>
                {team.invitations.map((invitation) => (
                  <li key={invitation.id}>{words.invitedOn(invitation.email, shownDate(invitation.createdAt))}</li>
                ))}
              </ul>
            </>
          )}
          <InviteForm url={url} csrfToken={csrfToken} typed={typedFor(typed, 'invite')} />
        </section>
        {files && <Documents url={url} files={files} csrfToken={csrfToken} typed={typedFor(typed, 'document')} />}
      </Layout>
    ),
    status: typed.errors.length > 0 ? (typed.status ?? 422) : 200,
  };
}

function Profile(props: { organisation: Organisation }) {
  const { organisation } = props;
  const missing = missingFields(organisation, fieldsNeededForProposal);
  const facts = words.profile;
  const address = [organisation.addressLine, organisation.postalCode, organisation.city].filter(Boolean).join(', ');
  return (
    <section aria-labelledby="fiche">
      <h2 id="fiche">{words.profileTitle}</h2>
      <dl class="summary">
        <dt>{facts.legalForm}</dt>
        <dd>{words.legalForms[organisation.legalForm] ?? organisation.legalForm}</dd>
        <dt>{facts.siren}</dt>
        <dd>{organisation.siren ?? '—'}</dd>
        <dt>{facts.rna}</dt>
        <dd>{organisation.rna ?? '—'}</dd>
        <dt>{facts.esus}</dt>
        <dd>{organisation.esus ? words.esusUntil(shownDate(organisation.esusExpiresOn)) : '—'}</dd>
        <dt>{facts.address}</dt>
        <dd>{address || '—'}</dd>
        <dt>{facts.territory}</dt>
        <dd>{organisation.territory ?? organisation.region ?? '—'}</dd>
        <dt>{facts.bank}</dt>
        <dd>{organisation.iban ? maskedIban(organisation.iban) : '—'}</dd>
      </dl>
      {missing.length === 0 ? (
        <p>{words.complete}</p>
      ) : (
        <>
          <h3>{words.missingTitle}</h3>
          <p>{missing.map((field) => words.missingField(field)).join(', ')}</p>
          <p>{words.completedWithProposal}</p>
        </>
      )}
    </section>
  );
}

function InviteForm(props: { url: string; csrfToken: string; typed: Typed }) {
  const { values, errors } = props.typed;
  return (
    <details open={errors.length > 0}>
      <summary>{words.inviteTitle}</summary>
      <ErrorSummary errors={errors} />
      <ActionForm action={`${props.url}/invitations`} csrfToken={props.csrfToken} button={words.invite}>
        <div class="grid">
          <Field name="displayName" label={words.inviteName} value={values.displayName} required errors={errors} />
          <Field name="email" type="email" label={words.inviteEmail} value={values.email} required errors={errors} />
        </div>
      </ActionForm>
    </details>
  );
}

function Documents(props: {
  url: string;
  files: z.infer<typeof filesAnswer>['files'];
  csrfToken: string;
  typed: Typed;
}) {
  const { errors } = props.typed;
  return (
    <section aria-labelledby="documents">
      <h2 id="documents">{words.documentsTitle}</h2>
      <p>{words.documentsLead}</p>
      {props.files.length === 0 ? (
        <p>{words.noDocument}</p>
      ) : (
        <Table headers={Object.values(words.documentsColumns)}>
          {props.files.map((file) => (
            <tr key={file.id}>
              <td>{words.documentKinds[file.kind] ?? file.kind}</td>
              <td>
                <a
                  href={`/api${props.url.replace('/structures', '/organisations')}/files/${file.id}`}
                  download={file.fileName}
                >
                  {file.fileName}
                </a>
              </td>
              <td>{words.kilobytes(file.byteSize)}</td>
              <td>{shownDate(file.uploadedAt)}</td>
            </tr>
          ))}
        </Table>
      )}
      <h3>{words.uploadTitle}</h3>
      <ErrorSummary errors={errors} />
      <ActionForm action={`${props.url}/documents`} csrfToken={props.csrfToken} button={words.upload} multipart>
        <Select
          name="kind"
          label={words.documentKind}
          value={props.typed.values.kind ?? 'statutes'}
          options={fileKinds.map((kind) => ({ value: kind, label: words.documentKinds[kind] ?? kind }))}
          errors={errors}
        />
        <Field
          name="document"
          type="file"
          label={words.documentFile}
          accept={acceptedFileTypes.join(',')}
          required
          errors={errors}
        />
      </ActionForm>
    </section>
  );
}

/** A file's name as stored: no folder separator nor control character, as the API asks. */
const safeFileName = (name: string) =>
  name
    .replace(/[/\\\p{Cc}]/gu, '_')
    .trim()
    .slice(0, 200) || 'document';

const onTheOrganisation = formsOf({
  keyOf: organisationOf,
  url: (organisationId) => `/structures/${organisationId}`,
  page: organisationPage,
});

export const organisationPagesOfMembers: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/structures/:organisationId',
    access: 'signed-in',
    handler: async (context) => organisationPage(context, await organisationOf(context)),
  }),
  definePage({
    method: 'post',
    path: '/structures/:organisationId/fiche',
    access: 'signed-in',
    handler: onTheOrganisation('profile', async ({ app, form, principal }, organisationId) => {
      // The profile is its members' to change (as in the API); a referent reads it.
      if (!isMember(principal, organisationId)) throw new NotFoundError();
      const known = await getOrganisation(app.db, organisationId);
      const patch = profilePatch(form, known);
      if (Object.keys(patch).length === 0) return `/structures/${organisationId}?saved=0`;
      const checked = parsed(organisationPatchBody, patch);
      await app.db.transaction((trx) => updateOrganisation(trx, organisationId, checked, { userId: principal.userId }));
      return `/structures/${organisationId}?saved=1`;
    }),
  }),
  definePage({
    method: 'post',
    path: '/structures/:organisationId/invitations',
    access: 'signed-in',
    handler: onTheOrganisation('invite', async ({ app, form, principal }, organisationId) => {
      const invitation = parsed(invitationBody, { email: form.email ?? '', displayName: form.displayName ?? '' });
      await app.db.transaction((trx) => invite(trx, organisationId, invitation, principal));
      return `/structures/${organisationId}?invited=${encodeURIComponent(invitation.email)}`;
    }),
  }),
  definePage({
    method: 'post',
    path: '/structures/:organisationId/documents',
    access: 'signed-in',
    upload: { field: 'document', maxBytes: fileSizeMaxBytes },
    handler: onTheOrganisation('document', async ({ app, form, file, principal }, organisationId) => {
      // Documents are the organisation's own: a referent reads the profile, not its papers (as in the API).
      if (!isMember(principal, organisationId)) throw new NotFoundError();
      if (!file) throw new ValidationError([{ path: ['document'], message: words.fileMissing }]);
      const contentType = file.contentType.toLowerCase();
      if (!acceptedFileTypes.includes(contentType))
        throw new ValidationError([{ path: ['document'], message: words.fileType }]);
      const kind = z.enum(fileKinds).safeParse(form.kind);
      if (!kind.success) throw new ValidationError([{ path: ['kind'], message: words.documentKind }]);
      await app.db.transaction((trx) =>
        storeFile(
          trx,
          organisationId,
          { kind: kind.data, fileName: safeFileName(file.fileName), contentType, content: file.content },
          principal.userId,
        ),
      );
    }),
  }),
];
