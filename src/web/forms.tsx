import type { ComponentChildren } from 'preact';
import { CsrfField, Layout } from './layout';
import { webMessages } from './messages';

/** A refusal, by field (`field` is the input's name; absent for what concerns the whole form). */
export type FormError = { field?: string; message: string };

const fieldId = (name: string) => `champ-${name}`;
const errorId = (name: string) => `erreur-${name}`;

/**
 * What must be corrected, at the top of the form, each item a link to its field
 * (WCAG 3.3.1): a screen reader hears it first, the focus can jump to the field.
 */
export function ErrorSummary(props: { errors: FormError[] }) {
  if (props.errors.length === 0) return null;
  return (
    <article class="error-summary" role="alert" aria-labelledby="resume-erreurs">
      <h2 id="resume-erreurs">{webMessages.errorSummaryTitle(props.errors.length)}</h2>
      <ul>
        {props.errors.map((error) => (
          <li key={`${error.field ?? ''}${error.message}`}>
            {error.field ? <a href={`#${fieldId(error.field)}`}>{error.message}</a> : error.message}
          </li>
        ))}
      </ul>
    </article>
  );
}

/** A password, never sent back into the page; `new-password` lets the browser propose a strong one. */
export function PasswordField(props: {
  label: string;
  autocomplete: 'current-password' | 'new-password';
  errors: FormError[];
}) {
  return (
    <Field
      name="password"
      label={props.label}
      type="password"
      autocomplete={props.autocomplete}
      required
      errors={props.errors}
    />
  );
}

/** A labelled input with its error next to it, the typed value kept. */
export function Field(props: {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value?: string | undefined;
  autocomplete?: string;
  required?: boolean;
  errors: FormError[];
}) {
  const error = props.errors.find((candidate) => candidate.field === props.name);
  return (
    <label for={fieldId(props.name)}>
      {props.label}
      <input
        id={fieldId(props.name)}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.type === 'password' ? undefined : props.value}
        autocomplete={props.autocomplete}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? errorId(props.name) : undefined}
      />
      {error && <small id={errorId(props.name)}>{error.message}</small>}
    </label>
  );
}

export /** A page of one short form in the narrow frame (signing in, a forgotten password, an invitation). */
function FormPage(props: {
  title: string;
  lead: string;
  csrfToken: string;
  action: string;
  button: string;
  errors: FormError[];
  children?: ComponentChildren;
  /** What follows the form (a link to another way). */
  after?: ComponentChildren;
}) {
  return (
    <Layout title={props.title} viewer={undefined} csrfToken={props.csrfToken}>
      <article class="narrow">
        <h1>{props.title}</h1>
        <p>{props.lead}</p>
        <ErrorSummary errors={props.errors} />
        <form method="post" action={props.action} novalidate>
          <CsrfField token={props.csrfToken} />
          {props.children}
          <button type="submit">{props.button}</button>
        </form>
        {props.after}
      </article>
    </Layout>
  );
}
