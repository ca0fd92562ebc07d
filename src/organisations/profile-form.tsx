import { ActionForm, Checkbox, ErrorSummary, Field, Select } from '../web/forms';
import type { Typed } from '../web/pages';
import { organisationPageMessages as words, organisationFieldLabels as labels } from './messages';
import { legalForms, type OrganisationPatch, type OrganisationProfile } from './schema';

/**
 * The organisation's profile as a form for its members: what is known written
 * in, to correct; the bank account, shown masked, typed anew only to change it
 * (left empty, it stays). Sent, only what changed is changed: a field emptied
 * is cleared, the others are left as they were (and a new bank account is
 * traced and told to the treasurers, as the API does).
 */
const textFields = [
  'name',
  'siren',
  'siret',
  'rna',
  'addressLine',
  'postalCode',
  'city',
  'department',
  'region',
  'territory',
] as const;
const dateFields = ['esusApprovedOn', 'esusExpiresOn'] as const;
const bankFields = ['iban', 'bic'] as const;

type Known = Pick<OrganisationProfile, (typeof textFields)[number] | (typeof dateFields)[number]> &
  Pick<OrganisationProfile, 'legalForm' | 'esus' | 'iban'>;

/** What the sent form changes in the profile (nothing: an empty patch). */
export function profilePatch(form: Record<string, string>, known: OrganisationProfile): OrganisationPatch {
  const patch: Record<string, unknown> = {};
  for (const field of [...textFields, ...dateFields]) {
    const typed = form[field]?.trim() ?? '';
    const value = typed === '' ? null : typed;
    if (value !== (known[field] ?? null)) patch[field] = field === 'name' ? typed : value;
  }
  if (form.legalForm && form.legalForm !== known.legalForm) patch.legalForm = form.legalForm;
  const esus = form.esus === 'oui';
  if (esus !== known.esus) patch.esus = esus;
  for (const field of bankFields) {
    const typed = form[field]?.trim() ?? '';
    if (typed !== '') patch[field] = typed;
  }
  return patch;
}

export function ProfileForm(props: { url: string; csrfToken: string; known: Known; typed: Typed }) {
  const { known, typed } = props;
  const { errors } = typed;
  // Sent and refused, the form shows what was typed; otherwise what is known.
  const sent = Object.keys(typed.values).length > 0;
  const value = (field: (typeof textFields)[number] | (typeof dateFields)[number]) =>
    sent ? typed.values[field] : (known[field] ?? '');
  return (
    <details open={errors.length > 0}>
      <summary>{words.editProfile}</summary>
      <ErrorSummary errors={errors} />
      <ActionForm action={`${props.url}/fiche`} csrfToken={props.csrfToken} button={words.saveProfile}>
        <div class="grid">
          <Field name="name" label={labels.name} value={value('name')} required errors={errors} />
          <Select
            name="legalForm"
            label={labels.legalForm}
            value={sent ? typed.values.legalForm : known.legalForm}
            options={legalForms.map((form) => ({ value: form, label: words.legalForms[form] ?? form }))}
            errors={errors}
          />
        </div>
        <div class="grid">
          <Field name="siren" label={labels.siren} value={value('siren')} errors={errors} />
          <Field name="siret" label={labels.siret} value={value('siret')} errors={errors} />
          <Field name="rna" label={labels.rna} value={value('rna')} errors={errors} />
        </div>
        <Checkbox
          name="esus"
          label={labels.esus}
          checked={sent ? typed.values.esus === 'oui' : known.esus}
          errors={errors}
        />
        <div class="grid">
          {dateFields.map((field) => (
            <Field key={field} name={field} type="date" label={labels[field]} value={value(field)} errors={errors} />
          ))}
        </div>
        <Field name="addressLine" label={labels.addressLine} value={value('addressLine')} errors={errors} />
        <div class="grid">
          {(['postalCode', 'city', 'department', 'region'] as const).map((field) => (
            <Field key={field} name={field} label={labels[field]} value={value(field)} errors={errors} />
          ))}
        </div>
        <Field name="territory" label={labels.territory} value={value('territory')} errors={errors} />
        <fieldset>
          <legend>{words.bankLegend}</legend>
          <p>{known.iban ? words.bankKept(maskedIban(known.iban)) : words.bankNone}</p>
          <div class="grid">
            {bankFields.map((field) => (
              <Field
                key={field}
                name={field}
                label={labels[field]}
                value={sent ? typed.values[field] : ''}
                errors={errors}
              />
            ))}
          </div>
        </fieldset>
      </ActionForm>
    </details>
  );
}

export const maskedIban = (iban: string) => `${iban.slice(0, 4)} … ${iban.slice(-4)}`;
