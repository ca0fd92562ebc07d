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

type FieldProps = {
  name: string;
  label: string;
  value?: string | undefined;
  required?: boolean;
  /** How to write it (an example), said under the label and read with the field. */
  hint?: string;
  errors: FormError[];
};

/** The label, hint and error around one control, tied to it for screen readers (WCAG 1.3.1, 3.3.1). */
function Labelled(
  props: FieldProps & { children: (described: Record<string, string | undefined>) => ComponentChildren },
) {
  const error = props.errors.find((candidate) => candidate.field === props.name);
  const describedBy = [props.hint && hintId(props.name), error && errorId(props.name)].filter(Boolean).join(' ');
  return (
    <label for={fieldId(props.name)}>
      {props.label}
      {props.hint && (
        <small id={hintId(props.name)} class="hint">
          {props.hint}
        </small>
      )}
      {props.children({
        id: fieldId(props.name),
        'aria-invalid': error ? 'true' : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {error && (
        <small id={errorId(props.name)} class="field-error">
          {error.message}
        </small>
      )}
    </label>
  );
}

const hintId = (name: string) => `aide-${name}`;

/** A labelled input with its error next to it, the typed value kept. */
export function Field(
  props: FieldProps & {
    type?: 'text' | 'email' | 'password' | 'date' | 'datetime-local' | 'file';
    autocomplete?: string;
    inputMode?: 'decimal' | 'numeric';
    accept?: string;
  },
) {
  return (
    <Labelled {...props}>
      {(described) => (
        <input
          {...described}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.type === 'password' || props.type === 'file' ? undefined : props.value}
          autocomplete={props.autocomplete}
          inputMode={props.inputMode}
          accept={props.accept}
          required={props.required}
        />
      )}
    </Labelled>
  );
}

/** An amount as people type it (« 1 500,00 »): read by `frenchAmountFields`. */
export function AmountField(props: FieldProps) {
  return <Field {...props} inputMode="decimal" hint={props.hint ?? webMessages.amountHint} />;
}

export function TextArea(props: FieldProps & { rows?: number }) {
  return (
    <Labelled {...props}>
      {(described) => (
        <textarea {...described} name={props.name} rows={props.rows ?? 4} required={props.required}>
          {props.value ?? ''}
        </textarea>
      )}
    </Labelled>
  );
}

export function Select(props: FieldProps & { options: readonly { value: string; label: string }[] }) {
  return (
    <Labelled {...props}>
      {(described) => (
        <select {...described} name={props.name} required={props.required}>
          {props.options.map((option) => (
            <option key={option.value} value={option.value} selected={option.value === props.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Labelled>
  );
}

export function Checkbox(props: { name: string; label: string; checked?: boolean; errors: FormError[] }) {
  const error = props.errors.find((candidate) => candidate.field === props.name);
  // The error sits below the label, not inside it: a checkbox's label is what one clicks.
  return (
    <div class="checkbox-field">
      <label for={fieldId(props.name)}>
        <input
          id={fieldId(props.name)}
          type="checkbox"
          name={props.name}
          value="oui"
          checked={props.checked}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? errorId(props.name) : undefined}
        />
        {props.label}
      </label>
      {error && (
        <small id={errorId(props.name)} class="field-error">
          {error.message}
        </small>
      )}
    </div>
  );
}

/** A form that changes something: its token, its fields, one button. */
export function ActionForm(props: {
  action: string;
  csrfToken: string;
  button: string;
  /** A second-rank action (go back, withdraw) looks like one. */
  secondary?: boolean;
  multipart?: boolean;
  /** Shown to read, not to send (someone who may see what it holds but not change it). */
  readOnly?: boolean;
  children?: ComponentChildren;
}) {
  if (props.readOnly) return <fieldset disabled>{props.children}</fieldset>;
  return (
    <form method="post" action={props.action} novalidate enctype={props.multipart ? 'multipart/form-data' : undefined}>
      <CsrfField token={props.csrfToken} />
      {props.children}
      <button type="submit" class={props.secondary ? 'secondary' : undefined}>
        {props.button}
      </button>
    </form>
  );
}

/** A page of one short form in the narrow frame (signing in, a forgotten password, an invitation). */
export function FormPage(props: {
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
