import type { DocumentDefinition } from '../src/documents/pdf';
import { euros, formatFrench } from '../src/money';
import { formatFrenchDate } from '../src/time';
import { legalFormLabels } from './labels';

/**
 * The grant agreement ("convention de subvention") between the endowment fund
 * and a beneficiary, generated when the committee approves a ticket. The
 * parties accept it in milliard; each acceptance is recorded with who and when.
 */
export type GrantAgreementData = {
  reference: string;
  fund: { name: string; siren: string | null };
  organisation: {
    name: string;
    legalForm: string;
    siren: string | null;
    rna: string | null;
    address: string | null;
    iban: string | null;
  };
  project: string;
  amountMinor: bigint;
  /** The co-financing pool the grant draws on, and its partner. */
  pool: { name: string; partnerName: string } | null;
  tranches: {
    position: number;
    percent: string;
    amountMinor: bigint;
    condition: 'agreement-signed' | 'report-accepted';
  }[];
  decidedOn: Date;
  decidedBy: string;
  generatedAt: Date;
};

const conditionTexts = {
  'agreement-signed': 'à la signature de la présente convention',
  'report-accepted': 'après acceptation par le Fonds du compte rendu de l’étape précédente',
} as const;

/** "1. 10 000,01 € (50 %), à la signature de la présente convention ;" — the schedule as the parties sign it. */
const trancheLines = (tranches: GrantAgreementData['tranches']) =>
  tranches.map(
    (tranche, index) =>
      `${tranche.position}. ${formatFrench(euros(tranche.amountMinor))} (${tranche.percent.replace('.', ',')} %), ${conditionTexts[tranche.condition]}${index === tranches.length - 1 ? '.' : ' ;'}`,
  );

const article = (title: string, ...paragraphs: string[]) => [
  { text: title, style: 'heading' },
  ...paragraphs.map((text) => ({ text, margin: [0, 0, 0, 6] as [number, number, number, number] })),
];

export function grantAgreement(data: GrantAgreementData): DocumentDefinition & { info: { title: string } } {
  const amount = formatFrench(euros(data.amountMinor));
  const identifiers = [
    data.organisation.siren && `SIREN ${data.organisation.siren}`,
    data.organisation.rna && `RNA ${data.organisation.rna}`,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    info: { title: `Convention de subvention ${data.reference}`, subject: data.organisation.name },
    content: [
      { text: 'Convention de subvention', style: 'title' },
      {
        text: `Référence ${data.reference} — établie le ${formatFrenchDate(data.generatedAt)}`,
        style: 'small',
        margin: [0, 0, 0, 12],
      },
      { text: 'Entre', bold: true },
      {
        text: `${data.fund.name}${data.fund.siren ? `, SIREN ${data.fund.siren}` : ''}, ci-après « le Fonds »,`,
        margin: [0, 0, 0, 6],
      },
      { text: 'et', bold: true },
      {
        text: `${data.organisation.name}, ${legalFormLabels[data.organisation.legalForm] ?? 'structure'}${identifiers ? ` (${identifiers})` : ''}${data.organisation.address ? `, dont le siège est ${data.organisation.address}` : ''}, ci-après « le Bénéficiaire ».`,
        margin: [0, 0, 0, 6],
      },
      ...article(
        'Article 1 — Objet',
        `Le Fonds soutient le projet suivant du Bénéficiaire, au titre de sa mission d'intérêt général en faveur de la transition écologique juste : ${data.project}`,
      ),
      ...article(
        'Article 2 — Montant',
        `Le ${data.decidedBy} a accordé, le ${formatFrenchDate(data.decidedOn)}, une subvention d'un montant de ${amount}.`,
        ...(data.pool
          ? [
              `Elle est financée sur le pool de cofinancement « ${data.pool.name} », abondé par ${data.pool.partnerName}, dont elle respecte les règles.`,
            ]
          : []),
        'Ce montant est un plafond ; il ne peut être révisé à la hausse que par une nouvelle décision du comité.',
      ),
      ...article(
        'Article 3 — Versement',
        `La subvention est versée par virement${data.organisation.iban ? ` sur le compte IBAN ${data.organisation.iban}` : ' sur le compte bancaire déclaré par le Bénéficiaire'}, ${data.tranches.length > 1 ? `en ${data.tranches.length} tranches` : 'en une fois'} :`,
        ...trancheLines(data.tranches),
        "Chaque versement après le premier suit la remise des comptes rendus prévus à l'article 4.",
      ),
      ...article(
        'Article 4 — Engagements du Bénéficiaire',
        "Le Bénéficiaire affecte la subvention au seul projet décrit à l'article 1, rend compte de son emploi (rapport d'activité et financier) et informe le Fonds sans délai de tout changement significatif.",
        'Les sommes non employées conformément à la présente convention sont reversées au Fonds.',
      ),
      ...article(
        'Article 5 — Contrôle',
        "Le Bénéficiaire permet au Fonds de vérifier l'emploi des fonds et conserve les justificatifs pendant dix ans.",
      ),
      ...article(
        'Article 6 — Acceptation',
        "La présente convention est acceptée par le représentant du Bénéficiaire puis contresignée par le Fonds dans milliard ; chaque acceptation y est enregistrée avec l'identité de son auteur et sa date, ainsi que l'empreinte SHA-256 de ce document.",
      ),
    ],
  };
}
