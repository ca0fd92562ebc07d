import { z } from 'zod';
import { isValidBic, isSepaIban, isValidIban, normaliseIban } from '../identifiers/bank-account';
import { isValidSiren, isValidSiret } from '../identifiers/luhn';
import { isValidRna } from '../identifiers/rna';
import { calendarDate, pageAnswer, timestamp } from '../http/answers';
import { isoDateSchema } from '../ledger/schema';
import { organisationsMessages } from './messages';

export const legalForms = [
  'association',
  'scop',
  'scic',
  'esus_company',
  'foundation',
  'endowment_fund',
  'other',
] as const;

export const organisationIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,60}$/, 'Identifiant invalide (minuscules, chiffres et tirets).');
export const organisationParams = z.strictObject({ organisationId: organisationIdSchema });

const digitsOnly = (value: string) => value.replace(/[\s.]/g, '');
const text = (max: number) => z.string().trim().min(1).max(max);

/** Every field of the profile, each optional: a later step only adds what is not known yet. */
const profileFields = {
  name: text(200),
  legalForm: z.enum(legalForms, { message: organisationsMessages.legalFormUnknown }),
  siren: z
    .string()
    .transform(digitsOnly)
    .refine(isValidSiren, 'SIREN invalide : 9 chiffres et clé de contrôle (Luhn).')
    .nullable(),
  siret: z
    .string()
    .transform(digitsOnly)
    .refine(isValidSiret, 'SIRET invalide : 14 chiffres et clé de contrôle.')
    .nullable(),
  rna: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isValidRna, 'Numéro RNA invalide : W suivi de 9 caractères (ex. W751234567).')
    .nullable(),
  esus: z.boolean(),
  esusApprovedOn: isoDateSchema.nullable(),
  esusExpiresOn: isoDateSchema.nullable(),
  addressLine: text(200).nullable(),
  postalCode: z
    .string()
    .trim()
    .regex(/^\d{5}$/, 'Code postal : 5 chiffres.')
    .nullable(),
  city: text(100).nullable(),
  department: z
    .string()
    .trim()
    .regex(/^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-6])$/, 'Département inconnu (01 à 95, 2A, 2B, 971 à 976).')
    .nullable(),
  region: text(100).nullable(),
  territory: text(100).nullable(),
  iban: z
    .string()
    .refine(isValidIban, { message: organisationsMessages.ibanInvalid, abort: true })
    .refine(isSepaIban, 'IBAN hors zone SEPA : le fonds ne paie que par virement SEPA.')
    .transform(normaliseIban)
    .nullable(),
  bic: z.string().trim().toUpperCase().refine(isValidBic, 'BIC invalide : 8 ou 11 caractères (ISO 9362).').nullable(),
};

type Profile = {
  siren?: string | null;
  siret?: string | null;
  esus?: boolean;
  esusApprovedOn?: string | null;
  esusExpiresOn?: string | null;
};

/** Rules between fields, checked on the profile as it will be after the change. */
export function profileIssues(profile: Profile): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  if (profile.siren && profile.siret && !profile.siret.startsWith(profile.siren)) {
    issues.push({ path: ['siret'], message: organisationsMessages.siretNotOfSiren });
  }
  if (profile.esus && !profile.esusApprovedOn)
    issues.push({ path: ['esusApprovedOn'], message: organisationsMessages.esusDateRequired });
  if (profile.esusApprovedOn && profile.esusExpiresOn && profile.esusExpiresOn <= profile.esusApprovedOn) {
    issues.push({ path: ['esusExpiresOn'], message: organisationsMessages.esusExpiryBeforeDate });
  }
  return issues;
}

export const newOrganisationBody = z.strictObject({
  id: organisationIdSchema,
  name: profileFields.name,
  legalForm: profileFields.legalForm,
  ...Object.fromEntries(
    Object.entries(profileFields)
      .filter(([key]) => !['name', 'legalForm'].includes(key))
      .map(([key, schema]) => [key, schema.optional()]),
  ),
}) as z.ZodType<NewOrganisation>;

export const organisationPatchBody = z
  .strictObject(Object.fromEntries(Object.entries(profileFields).map(([key, schema]) => [key, schema.optional()])))
  .refine((patch) => Object.keys(patch).length > 0, 'Rien à modifier.') as z.ZodType<OrganisationPatch>;

export type OrganisationProfile = {
  name: string;
  legalForm: (typeof legalForms)[number];
  siren: string | null;
  siret: string | null;
  rna: string | null;
  esus: boolean;
  esusApprovedOn: string | null;
  esusExpiresOn: string | null;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  department: string | null;
  region: string | null;
  territory: string | null;
  iban: string | null;
  bic: string | null;
};
export type NewOrganisation = {
  id: string;
  name: string;
  legalForm: OrganisationProfile['legalForm'];
} & Partial<OrganisationProfile>;
export type OrganisationPatch = Partial<OrganisationProfile>;

// Answers (src/http/answers.ts): what each route gives back, checked in tests.
const optionalText = z.string().nullable();
export const organisationAnswer = z.strictObject({
  id: z.string(),
  name: z.string(),
  legalForm: z.enum(legalForms),
  siren: optionalText,
  siret: optionalText,
  rna: optionalText,
  esus: z.boolean(),
  esusApprovedOn: calendarDate.nullable(),
  esusExpiresOn: calendarDate.nullable(),
  addressLine: optionalText,
  postalCode: optionalText,
  city: optionalText,
  department: optionalText,
  region: optionalText,
  territory: optionalText,
  iban: optionalText,
  bic: optionalText,
  createdAt: timestamp,
  updatedAt: timestamp,
  missingForProposal: z
    .array(z.string())
    .meta({ description: 'Ce que la fiche doit encore dire pour une proposition' }),
});
export const organisationsAnswer = pageAnswer('organisations', organisationAnswer);
export const peopleAnswer = z.strictObject({
  members: z.array(z.strictObject({ userId: z.uuid(), name: z.string(), email: z.string() })),
  invitations: z.array(
    z.strictObject({
      id: z.uuid(),
      email: z.string(),
      createdAt: timestamp,
      expiresAt: timestamp,
      emailedAt: timestamp.nullable(),
    }),
  ),
});
export const acceptedInvitationAnswer = z.strictObject({ organisationId: z.string(), email: z.string() });
const fileAnswer = z.strictObject({
  id: z.uuid(),
  kind: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  byteSize: z.number().int(),
  uploadedAt: timestamp,
});
export const storedFileAnswer = fileAnswer;
export const filesAnswer = z.strictObject({ files: z.array(fileAnswer) });
