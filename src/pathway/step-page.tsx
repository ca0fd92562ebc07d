import { projectTypeLabels, projectTypes } from '../endowment/grants';
import { formatFrench, parseApiAmount } from '../money';
import type { ProposalStep } from '../../workflows/application.machine';
import { shownDate } from '../web/components';
import { AmountField, ActionForm, Checkbox, ErrorSummary, Field, Select, TextArea, type FormError } from '../web/forms';
import { Layout, type Viewer } from '../web/layout';
import { frenchAmountFields } from '../web/pages';
import { pathwayPageMessages as words } from './messages';
import { stepLabels } from './notices';
import type { proposalStep } from './service';

type StepView = Awaited<ReturnType<typeof proposalStep>>;

/** Rows for other funders: those known, and room for more. */
const otherFundingRowsMax = 4;
const longFields = new Set(['summary', 'beneficiaries', 'ecologicalImpact', 'socialImpact', 'indicators']);
const amountFields = ['totalBudget', 'requestedAmount'] as const;
const dateFields = new Set(['startsOn', 'endsOn']);

/** The fields each step asks, in the order a person fills them (the organisation's are those its profile lacks). */
const stepFields: Record<Exclude<ProposalStep, 'organisation'>, readonly string[]> = {
  project: ['title', 'projectType', 'summary', 'territory', 'startsOn', 'endsOn'],
  budget: ['totalBudget', 'requestedAmount'],
  impact: ['beneficiaries', 'ecologicalImpact', 'socialImpact', 'indicators'],
};

/** A value as the form shows it: amounts the French way, indicators one per line. */
function typedValue(field: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if ((amountFields as readonly string[]).includes(field) && typeof value === 'string')
    return formatFrench(parseApiAmount(value)).replace(/\u00a0€$/, '');
  if (Array.isArray(value)) return value.map(String).join('\n');
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function organisationFields(view: StepView): string[] {
  return view.missing.flatMap((field) => (field === 'siren or rna' ? ['siren', 'rna'] : [field]));
}

/**
 * One part of the proposal as a form: what is known already sits, pre-filled,
 * in a fold the person may open to correct; what is missing is asked; what an
 * earlier file suggested is pre-filled and says where it comes from.
 */
export function StepPage(props: {
  viewer: Viewer;
  csrfToken: string;
  applicationId: string;
  view: StepView;
  errors: FormError[];
  typed?: Record<string, string> | undefined;
}) {
  const { view } = props;
  const label = stepLabels[view.step];
  const fields = view.step === 'organisation' ? organisationFields(view) : stepFields[view.step];
  const known = view.known as Record<string, unknown>;
  const missing = new Set(view.step === 'organisation' ? fields : view.missing);
  const valueOf = (field: string) =>
    props.typed?.[field] ?? typedValue(field, known[field] ?? view.suggestions[field]?.value);
  const input = (field: string) => (
    <StepField
      key={field}
      field={field}
      value={valueOf(field)}
      errors={props.errors}
      suggestedOn={known[field] === undefined ? view.suggestions[field]?.fromFileOpenedOn : undefined}
    />
  );
  const knownFields = fields.filter((field) => !missing.has(field));
  return (
    <Layout title={words.stepTitle(label)} viewer={props.viewer} csrfToken={props.csrfToken}>
      <p>
        <a href={`/dossiers/${props.applicationId}`}>{words.backToFile}</a>
      </p>
      <h1>{words.stepTitle(label)}</h1>
      <p>{words.stepLead}</p>
      <ErrorSummary errors={props.errors} />
      {!view.mayAnswer && <p role="note">{words.onlyApplicantsAnswer}</p>}
      <ActionForm
        action={`/dossiers/${props.applicationId}/proposition/${view.step}`}
        csrfToken={props.csrfToken}
        button={words.saveStep}
        readOnly={!view.mayAnswer}
      >
        <fieldset>
          <legend>{words.missingTitle}</legend>
          {missing.size === 0 && view.step !== 'budget' ? (
            <p>{words.nothingMissing}</p>
          ) : (
            fields.filter((field) => missing.has(field)).map(input)
          )}
          {view.step === 'budget' && (
            <OtherFunding known={known.otherFunding} typed={props.typed} errors={props.errors} />
          )}
        </fieldset>
        {knownFields.length > 0 && (
          <details open={props.errors.some((error) => error.field && knownFields.includes(error.field))}>
            <summary>{words.knownTitle}</summary>
            {knownFields.map(input)}
          </details>
        )}
      </ActionForm>
    </Layout>
  );
}

function StepField(props: { field: string; value: string; errors: FormError[]; suggestedOn?: string | undefined }) {
  const { field } = props;
  const common = {
    name: field,
    label: words.stepFields[field] ?? field,
    value: props.value,
    errors: props.errors,
    hint: props.suggestedOn ? words.suggestedFrom(shownDate(props.suggestedOn)) : undefined,
  };
  if (field === 'projectType')
    return (
      <Select {...common} options={projectTypes.map((type) => ({ value: type, label: projectTypeLabels[type] }))} />
    );
  if ((amountFields as readonly string[]).includes(field)) return <AmountField {...common} required />;
  if (dateFields.has(field)) return <Field {...common} type="date" required />;
  if (longFields.has(field)) return <TextArea {...common} required />;
  return <Field {...common} required />;
}

type FundingRow = { funder: string; amount: string; obtained: boolean };

function OtherFunding(props: { known: unknown; typed?: Record<string, string> | undefined; errors: FormError[] }) {
  const known = (Array.isArray(props.known) ? props.known : []) as FundingRow[];
  return (
    <fieldset>
      <legend>{words.stepFields.otherFunding}</legend>
      {Array.from({ length: otherFundingRowsMax }, (_, index) => {
        const row = known[index];
        const value = (name: string, fallback: string) => props.typed?.[`${name}${index}`] ?? fallback;
        return (
          <fieldset key={index} class="grid funding-row">
            <legend class="visually-hidden">{words.otherFundingRow(index + 1)}</legend>
            <Field
              name={`funder${index}`}
              label={words.stepFields.funder!}
              value={value('funder', row?.funder ?? '')}
              errors={props.errors}
            />
            <AmountField
              name={`amount${index}`}
              label={words.stepFields.fundingAmount!}
              value={value('amount', row ? typedValue('totalBudget', row.amount) : '')}
              errors={props.errors}
            />
            <Checkbox
              name={`obtained${index}`}
              label={words.stepFields.obtained!}
              checked={props.typed ? props.typed[`obtained${index}`] === 'oui' : row?.obtained}
              errors={props.errors}
            />
          </fieldset>
        );
      })}
    </fieldset>
  );
}

/** The step's answers from the posted form, as the service takes them (amounts as API strings). */
export function stepAnswers(step: ProposalStep, form: Record<string, string>): Record<string, unknown> {
  const filled = (field: string) => form[field]?.trim() || undefined;
  if (step === 'organisation')
    return Object.fromEntries(
      Object.entries(form)
        .filter(([field, value]) => field in words.stepFields && field !== '_csrf' && value.trim() !== '')
        .map(([field, value]) => [field, value.trim()]),
    );
  if (step === 'budget') {
    const rows = Array.from({ length: otherFundingRowsMax }, (_, index) => index).filter((index) =>
      filled(`funder${index}`),
    );
    const amounts = frenchAmountFields(form, [...amountFields, ...rows.map((index) => `amount${index}`)]);
    return {
      ...(amounts.totalBudget && { totalBudget: amounts.totalBudget }),
      ...(amounts.requestedAmount && { requestedAmount: amounts.requestedAmount }),
      otherFunding: rows.map((index) => ({
        funder: filled(`funder${index}`),
        amount: amounts[`amount${index}`] ?? '',
        obtained: form[`obtained${index}`] === 'oui',
      })),
    };
  }
  return Object.fromEntries(
    stepFields[step]
      .filter((field) => filled(field) !== undefined)
      .map((field) => [
        field,
        field === 'indicators'
          ? filled(field)!
              .split('\n')
              .map((line) => line.trim())
              .filter(Boolean)
          : filled(field),
      ]),
  );
}
