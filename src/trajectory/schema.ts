import { z } from 'zod';
import { trajectoryAnswer as pathwayTrajectory } from '../pathway/schema';
import { organisationInvestmentAnswer } from '../portfolio/schema';

export const trajectoryAnswer = pathwayTrajectory.extend({
  investments: z
    .array(organisationInvestmentAnswer)
    .meta({ description: 'Les investissements des fonds dans la structure, ouverts depuis ses dossiers' }),
});
export type Trajectory = z.infer<typeof trajectoryAnswer>;
