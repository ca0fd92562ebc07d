/** The words of an organisation's trajectory. */
export const trajectoryMessages = {
  title: (organisation: string) => `Trajectoire — ${organisation}`,
  lead: 'Tout ce que les fonds de l’opération Milliard ont fait avec la structure, dossier après dossier, dans une seule histoire.',
  historyTitle: 'Histoire',
  historyColumns: { at: 'Le', fund: 'Fonds', what: 'Quoi', amount: 'Montant' },
  nothingYet: 'Rien encore.',
  investmentsTitle: 'Investissements',
  investment: (name: string, state: string) => `${name} — ${state}`,
  investmentFacts: {
    instrument: 'Instrument',
    approved: 'Montant voté',
    drawn: 'Décaissé',
    paidBack: 'Reversé au fonds',
  },
  scheduleTitle: 'Échéancier',
  fileStep: (step: string) => `Dossier : ${step}`,
  investmentStep: (name: string, state: string) => `${name} : ${state}`,
  drawdown: (name: string, number: number) => `${name} : tirage n° ${number} demandé`,
  returned: {
    interest: (name: string) => `${name} : intérêts versés au fonds`,
    dividend: (name: string) => `${name} : dividende versé au fonds`,
    repayment: (name: string) => `${name} : remboursement au fonds`,
    sale: (name: string) => `${name} : titres cédés`,
  } as Record<string, (name: string) => string>,
  tranchePaid: (position: number) => `Tranche ${position} de la subvention`,
  openFile: 'Ouvrir le dossier',
} as const;
