/**
 * What the treasury module says to people, in French, in one place: each refusal of its services,
 * routes and schemas. Code and API speak English; these words are what a person reads.
 */
export const treasuryMessages = {
  csvAmountColumns: 'Une colonne « amount » signée, ou deux colonnes « debit » et « credit ».',
  statementTooLarge: 'Relevé trop volumineux.',
  csvUnreadable: (reason: string) => `CSV illisible : ${reason}`,
  csvAmountUnreadable: (line: number, raw: string) => `Ligne ${line} : montant illisible (${raw}).`,
  csvDateUnreadable: (line: number, raw: string) => `Ligne ${line} : date illisible (${raw}).`,
  csvAmountMissing: (line: number) => `Ligne ${line} : montant nul ou absent.`,
  statementEmpty: 'Relevé vide.',
  painSchemaMissing:
    'Le schéma EPC pain.001.001.09 est introuvable sur ce serveur (SEPA_PAIN001_XSD) : aucun fichier de virements ne sort sans avoir été vérifié.',
  painSchemaBreached: (errors: string) => `Le fichier de virements ne respecte pas le schéma EPC : ${errors}`,
  creditorNameNotSepa: (creditorName: string) =>
    `Le nom du bénéficiaire « ${creditorName} » ne contient aucun caractère que les banques SEPA acceptent : indiquez-le en lettres latines dans sa fiche.`,
  remittanceNotSepa: (remittance: string) =>
    `Le libellé « ${remittance} » ne contient aucun caractère que les banques SEPA acceptent.`,
  debtorIbanInvalid: 'IBAN du compte débité invalide.',
  debtorBicInvalid: 'BIC du compte débité invalide.',
  batchEmpty: 'Un lot contient au moins un virement.',
  creditorIbanInvalid: (creditorName: string) => `IBAN du bénéficiaire invalide (${creditorName}).`,
  creditorIbanNotSepa: (creditorName: string) =>
    `IBAN hors zone SEPA (${creditorName}) : un virement SEPA ne peut pas y aller.`,
  transferTextNotSepa: (creditorName: string) => `Nom ou libellé sans aucun caractère SEPA (${creditorName}).`,
  creditorBicInvalid: (creditorName: string) => `BIC du bénéficiaire invalide (${creditorName}).`,
  transferAmountOutOfBounds: 'Montant entre 0,01 et 999 999 999,99 €.',
  endToEndIdTwice: 'Référence de bout en bout en double.',
  requestMissing: 'Demande de paiement inconnue dans ce fonds.',
  overPayable: (remaining: string) => `Il reste ${remaining} € à payer sur cette demande.`,
  payeeWithoutIban: (name: string) => `${name} n'a pas encore donné son IBAN.`,
  payeeIbanNotSepa: (name: string) => `L'IBAN de ${name} est hors zone SEPA : un virement SEPA ne peut pas y aller.`,
  fundBankAccountMissing: "Le compte bancaire payeur du fonds n'est pas renseigné.",
  disbursementMissing: 'Ce paiement est introuvable.',
  bankDetailsUnchanged:
    'Corrigez d’abord les coordonnées bancaires du bénéficiaire : le virement est revenu sur cet IBAN.',
  alreadyApproved: 'Vous avez déjà approuvé ce paiement ; il faut un autre approbateur.',
  fourEyes: 'Règle des quatre yeux : vous avez demandé (ou réémis) ce paiement, une autre personne doit l’approuver.',
  executionDatePast: "La date d'exécution ne peut pas être passée : choisissez aujourd'hui ou plus tard.",
  paymentUnknown: 'Paiement inconnu.',
  paymentOfAnotherFund: "Ce paiement relève d'un autre fonds.",
  batchAboveThreshold: (total: string, payee: string, threshold: string, approved: number) =>
    `Ce lot verse ${total} à ${payee}, au-delà du seuil de ${threshold} : chacun de ces paiements doit avoir été approuvé par deux personnes (${approved} ne l'a été que par une : faites-les approuver une seconde fois, ou payez-les dans des lots séparés).`,
  batchMissing: 'Ce lot est introuvable.',
  donorUnknown: 'Donateur inconnu dans ce fonds.',
  statementMissing: 'Ce relevé est introuvable.',
  matchMissing: 'Ce rapprochement est introuvable.',
  onlyConfirmedUndone: 'Seul un rapprochement confirmé se défait.',
  matchAlreadyDecided: (status: string) => `Ce rapprochement est déjà ${status}.`,
  bankLineUnknown: 'Ligne de relevé inconnue dans ce fonds.',
  linesOfOneStatement: 'Les lignes rapprochées ensemble viennent d’un même relevé.',
  lineAlreadyMatched:
    'Une de ces lignes est déjà rapprochée (ou proposée) : rejetez ou défaites ce rapprochement d’abord.',
  giftOrAccountAlone: 'Un don ou une imputation à un compte se rapproche seul.',
  matchUnbalanced: (linesTotal: string, itemsTotal: string) =>
    `Les lignes font ${linesTotal} € et les éléments rapprochés ${itemsTotal} € : ils doivent être égaux.`,
  csvFormatMissing: 'Décrivez d’abord le format CSV des relevés de votre banque (PUT …/bank-statement-format).',
  statementOfOtherAccounts: (accounts: string) =>
    `Ce fichier porte les relevés du compte ${accounts}, pas du compte payeur du fonds.`,
  statementAlreadyImported: (statementId: string, pageNote: string, accountIban: string, differences: string) =>
    `Le relevé ${statementId}${pageNote} du compte ${accountIban} est déjà importé avec un autre contenu : ${differences}. Un relevé corrigé par la banque doit porter un autre identifiant.`,
  csvBalancesRequired: 'Requis pour un relevé CSV (qui ne porte pas ses soldes).',
} as const;
