/** What a capital call is for, itemised on its notice (ILPA's transaction table). */
export const callPurposes = ['investment', 'management-fee', 'fund-expenses', 'organisation-costs'] as const;
export type CallPurpose = (typeof callPurposes)[number];
