import type { DocumentDefinition } from '../src/documents/pdf';
import { euros, formatFrench } from '../src/money';

/**
 * A tax receipt for gifts ("reçu au titre des dons"), carrying every mandatory
 * item of cerfa n° 11580*05 (individuals, CGI art. 200) or n° 16216*01
 * (companies, CGI art. 238 bis) — RULES.md §1. The data is the receipt's
 * content as frozen when it was issued.
 */
export type TaxReceiptContent = {
  reference: string;
  cerfa: string;
  beneficiary: { name: string; siren: string; address: string; purpose: string; organisationType: string };
  donor: { kind: 'individual' | 'company'; name: string; siren: string | null; address: string };
  amountMinor: string;
  amountWords: string;
  /** "le 12 mars 2026", or "du 1er janvier au 31 décembre 2026" for an annual summary. */
  paymentDate: string;
  article: string;
  rate: string;
  ceiling: string;
  form: string;
  nature: string;
  methods: string[];
  signatory: { name: string; capacity: string };
  issuedOn: string;
  replaces: string | null;
};

const row = (label: string, value: string) => [{ text: label, bold: true }, value];

export function taxReceipt(content: TaxReceiptContent): DocumentDefinition & { info: { title: string } } {
  const amount = formatFrench(euros(BigInt(content.amountMinor)));
  const forCompany = content.donor.kind === 'company';
  return {
    info: { title: `Reçu fiscal ${content.reference}`, subject: content.donor.name },
    content: [
      {
        text: forCompany
          ? 'Reçu au titre des dons à certains organismes d’intérêt général'
          : 'Reçu au titre des dons et versements effectués par les particuliers',
        style: 'title',
      },
      {
        text: `${forCompany ? 'Article 238 bis' : 'Article 200'} du code général des impôts — modèle conforme au cerfa n° ${content.cerfa}`,
        style: 'small',
      },
      { text: `Numéro d’ordre du reçu : ${content.reference}`, bold: true, margin: [0, 8, 0, 8] },
      ...(content.replaces
        ? [
            {
              text: `Ce reçu annule et remplace le reçu n° ${content.replaces}.`,
              italics: true,
              margin: [0, 0, 0, 8] as [number, number, number, number],
            },
          ]
        : []),
      { text: 'Bénéficiaire des versements', style: 'heading' },
      {
        table: {
          widths: [150, '*'],
          body: [
            row('Nom', content.beneficiary.name),
            row('SIREN', content.beneficiary.siren),
            row('Adresse', content.beneficiary.address),
            row('Objet', content.beneficiary.purpose),
            row('Type d’organisme', content.beneficiary.organisationType),
          ],
        },
        layout: 'lightHorizontalLines',
      },
      { text: forCompany ? 'Entreprise donatrice' : 'Donateur', style: 'heading' },
      {
        table: {
          widths: [150, '*'],
          body: [
            row(forCompany ? 'Dénomination' : 'Nom et prénoms', content.donor.name),
            ...(content.donor.siren ? [row('SIREN', content.donor.siren)] : []),
            row('Adresse', content.donor.address),
          ],
        },
        layout: 'lightHorizontalLines',
      },
      { text: 'Versement', style: 'heading' },
      {
        text: `Le bénéficiaire reconnaît avoir reçu au titre des dons et versements ouvrant droit à réduction d’impôt la somme de : ***${amount}***`,
      },
      { text: `Somme en toutes lettres : ${content.amountWords}`, margin: [0, 4, 0, 4] },
      { text: `Date du versement ou du don : ${content.paymentDate}` },
      {
        text: `Le bénéficiaire certifie sur l’honneur que les dons et versements qu’il reçoit ouvrent droit à la réduction d’impôt prévue à l’article ${content.article} du code général des impôts${forCompany ? '' : ' (et non à celle de l’article 978)'}.`,
        margin: [0, 8, 0, 8],
      },
      {
        table: {
          widths: [150, '*'],
          body: [
            row('Forme du don', content.form),
            row('Nature du don', content.nature),
            row('Mode de versement', content.methods.join(', ')),
          ],
        },
        layout: 'lightHorizontalLines',
      },
      {
        text: `Réduction d’impôt : ${content.rate} du montant du don, ${content.ceiling}.`,
        style: 'small',
        margin: [0, 8, 0, 8],
      },
      { text: `Fait le ${content.issuedOn}.` },
      { text: `${content.signatory.name}, ${content.signatory.capacity}`, bold: true, margin: [0, 4, 0, 0] },
      { text: 'Signature apposée électroniquement par milliard au nom du signataire.', style: 'small' },
    ],
  };
}
