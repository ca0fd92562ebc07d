import type { Database } from '../db/database';
import type { Principal } from '../identity/roles';
import { organisationTrajectory } from '../pathway/service';
import { investmentsOfOrganisation } from '../portfolio/investment-file';

/** The organisation's files on the pathway and the investments made in it: one trajectory, one answer. */
export async function trajectoryOf(db: Database, organisationId: string, principal: Principal) {
  const [pathway, investments] = await Promise.all([
    organisationTrajectory(db, organisationId, principal),
    investmentsOfOrganisation(db, organisationId),
  ]);
  return { ...pathway, investments };
}
