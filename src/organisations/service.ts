import type { Database, Transaction } from '../db/database';
import { containing, pageOf, type Page } from '../db/pagination';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { notify } from '../notifications/service';
import { isAdmin, scopesHeld, type Principal } from '../identity/roles';
import { holdersOf, namesOf } from '../identity/service';
import { fundsOfHolder } from '../ledger/auxiliary-accounts';
import { profileIssues, type NewOrganisation, type OrganisationPatch, type OrganisationProfile } from './schema';
import { organisationsMessages } from './messages';

export type Organisation = OrganisationProfile & { id: string; createdAt: Date; updatedAt: Date };

const columns: Record<keyof OrganisationProfile, string> = {
  name: 'name',
  legalForm: 'legal_form',
  siren: 'siren',
  siret: 'siret',
  rna: 'rna',
  esus: 'esus',
  esusApprovedOn: 'esus_approved_on',
  esusExpiresOn: 'esus_expires_on',
  addressLine: 'address_line',
  postalCode: 'postal_code',
  city: 'city',
  department: 'department',
  region: 'region',
  territory: 'territory',
  iban: 'iban',
  bic: 'bic',
};

/**
 * What a full proposal needs from the profile. A step asks only for the fields
 * still missing here: what the organisation gave once is never asked again.
 */
export const fieldsNeededForProposal: readonly (keyof OrganisationProfile)[] = [
  'legalForm',
  'addressLine',
  'postalCode',
  'city',
  'department',
  'iban',
  'bic',
];

export function missingFields(
  organisation: OrganisationProfile,
  needed: readonly (keyof OrganisationProfile)[],
): (keyof OrganisationProfile | 'siren or rna')[] {
  const missing: (keyof OrganisationProfile | 'siren or rna')[] = needed.filter(
    (field) => organisation[field] === null,
  );
  if (!organisation.siren && !organisation.rna) missing.push('siren or rna');
  return missing;
}

function toRow(profile: Partial<OrganisationProfile>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(profile).map(([key, value]) => [columns[key as keyof OrganisationProfile], value]),
  );
}

function toOrganisation(row: Record<string, unknown>): Organisation {
  const profile = Object.fromEntries(
    Object.entries(columns).map(([key, column]) => [key, row[column] ?? null]),
  ) as OrganisationProfile;
  return {
    id: String(row.id),
    ...profile,
    siren: profile.siren?.trim() ?? null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

function assertCoherent(profile: Partial<OrganisationProfile>): void {
  const issues = profileIssues(profile);
  if (issues.length > 0) throw new ValidationError(issues);
}

const duplicateMessages: Record<string, string> = {
  organisations_pkey: 'Cet identifiant de structure est déjà pris.',
  organisations_siren: 'Une structure porte déjà ce SIREN.',
  organisations_rna: 'Une structure porte déjà ce numéro RNA.',
};

async function refusingDuplicates<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const constraint =
      (error as { code?: string; constraint?: string }).code === '23505'
        ? (error as { constraint: string }).constraint
        : undefined;
    if (constraint && duplicateMessages[constraint]) throw new ConflictError(duplicateMessages[constraint]);
    throw error;
  }
}

export async function createOrganisation(
  trx: Transaction,
  input: NewOrganisation,
  openedBy: string | null,
): Promise<Organisation> {
  const { id, ...profile } = input;
  assertCoherent(profile);
  const [row] = await refusingDuplicates(() =>
    trx('organisations')
      .insert({ id, ...toRow(profile), opened_by: openedBy })
      .returning('*'),
  );
  return toOrganisation(row);
}

/** The names of these organisations, by id: how other modules show whom a file, a grant or a payment is for. */
export async function organisationNames(
  db: Database | Transaction,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const rows = await db<{ id: string; name: string }>('organisations').whereIn('id', ids).select('id', 'name');
  return new Map(rows.map((row) => [row.id, row.name]));
}

export async function getOrganisation(db: Database | Transaction, id: string): Promise<Organisation> {
  const row = await db('organisations').where('id', id).first();
  if (!row) throw new NotFoundError(organisationsMessages.organisationMissing);
  return toOrganisation(row);
}

/**
 * Applies a partial change; the rules between fields are checked on the result.
 * A change of bank details is recorded (who, when, before and after) and told to
 * the organisation's people and to the treasurers of the funds it has files with.
 */
export async function updateOrganisation(
  trx: Transaction,
  id: string,
  patch: OrganisationPatch,
  actor: { userId: string },
): Promise<Organisation> {
  const current = await trx('organisations').where('id', id).forUpdate().first();
  if (!current) throw new NotFoundError(organisationsMessages.organisationMissing);
  assertCoherent({ ...toOrganisation(current), ...patch });
  const [row] = await refusingDuplicates(() =>
    trx('organisations')
      .where('id', id)
      .update({ ...toRow(patch), updated_at: trx.fn.now() })
      .returning('*'),
  );
  if ((row.iban ?? null) !== (current.iban ?? null) || (row.bic ?? null) !== (current.bic ?? null))
    await recordBankDetailsChange(trx, current, row, actor);
  return toOrganisation(row);
}

async function recordBankDetailsChange(
  trx: Transaction,
  before: Record<string, any>,
  after: Record<string, any>,
  actor: { userId: string },
): Promise<void> {
  await trx('organisation_bank_details_changes').insert({
    organisation_id: after.id,
    changed_by: actor.userId,
    iban_before: before.iban,
    iban_after: after.iban,
    bic_before: before.bic,
    bic_after: after.bic,
  });
  const people = await holdersOf(trx, 'applicant', { type: 'organisation', id: after.id });
  // The treasurers who may pay it: those of the funds that owe it money (its account in their books).
  const treasurers = (
    await Promise.all(
      (await fundsOfHolder(trx, { type: 'organisation', id: after.id })).map((fundId) =>
        holdersOf(trx, 'treasurer', { type: 'fund', id: fundId }),
      ),
    )
  ).flat();
  const who = (await namesOf(trx, [actor.userId])).get(actor.userId);
  await notify(
    trx,
    [...new Set([...people, ...treasurers])].filter((userId) => userId !== actor.userId),
    {
      subject: { type: 'organisation', id: after.id },
      title: `Coordonnées bancaires modifiées — ${after.name}`,
      body: `${who ?? 'Quelqu’un'} a changé les coordonnées bancaires : IBAN ${maskedIban(before.iban)} → ${maskedIban(after.iban)}${after.bic ? `, BIC ${after.bic}` : ''}. Un paiement vers ces coordonnées demandera l’accord d’une autre personne. Si vous n’êtes pas à l’origine de ce changement, prévenez aussitôt le fonds.`,
      link: `/structures/${after.id}`,
    },
  );
}

/** "FR76 **** **** 0189": enough for a person to recognise the account, not to copy it. */
const maskedIban = (iban: string | null): string => (iban ? `${iban.slice(0, 4)} **** ${iban.slice(-4)}` : 'aucun');

/** Who last changed the organisation's bank details, and when (none if never changed since it was created). */
export async function lastBankDetailsChange(
  db: Database | Transaction,
  organisationId: string,
): Promise<{ changedBy: string | null; changedAt: Date } | undefined> {
  const row = await db('organisation_bank_details_changes')
    .where('organisation_id', organisationId)
    .orderBy('id', 'desc')
    .first('changed_by', 'changed_at');
  return row ? { changedBy: row.changed_by, changedAt: row.changed_at } : undefined;
}

/**
 * Who may read an organisation's profile and its people, and invite into it: its
 * applicants, an admin, and the referent who opened it (to invite its first
 * applicant); anyone else learns nothing (404).
 */
export async function assertOrganisationReadable(
  db: Database | Transaction,
  organisationId: string,
  principal: Principal,
): Promise<void> {
  if (isAdmin(principal) || scopesHeld(principal, ['applicant'], 'organisation').includes(organisationId)) return;
  const row = await db('organisations').where('id', organisationId).first('opened_by');
  if (!row || row.opened_by !== principal.userId) throw new NotFoundError(organisationsMessages.organisationMissing);
}

/** Organisations by name, SIREN or RNA, alphabetically, a page at a time. */
export async function listOrganisations(db: Database, filter: Page & { search?: string | undefined }) {
  const query = db('organisations');
  if (filter.search) {
    const pattern = containing(filter.search);
    query.where((match) => {
      match
        .whereILike('name', pattern)
        .orWhere('siren', filter.search!.replace(/\s/g, ''))
        .orWhere('rna', filter.search!.toUpperCase());
    });
  }
  const { rows, ...page } = await pageOf<Record<string, unknown>>(query, filter, (read) =>
    read.orderBy([{ column: 'name' }, { column: 'id' }]).select('*'),
  );
  return { ...page, organisations: rows.map(toOrganisation) };
}
