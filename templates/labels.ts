/** French labels shared by documents. */
export const legalFormLabels: Record<string, string> = {
  association: 'association loi 1901',
  scop: 'société coopérative et participative (SCOP)',
  scic: "société coopérative d'intérêt collectif (SCIC)",
  esus_company: 'entreprise agréée ESUS',
  foundation: 'fondation',
  endowment_fund: 'fonds de dotation',
  other: 'structure',
};
