import type { PaymentBatchFile } from '../../src/treasury/sepa';

/**
 * The shapes of payment batch the tests build, shared with the conformance
 * check (test/conformance/pain001.ts) so that every one is validated against
 * the EPC's schema.
 */
const debtor = {
  name: 'Fonds de Dotation pour la Transition Juste',
  iban: 'FR76 3000 6000 0112 3456 7890 189',
  bic: 'AGRIFRPP',
};
const base = (id: string): Omit<PaymentBatchFile, 'transfers'> => ({
  messageId: `MIL-TEST-${id}`,
  createdAt: new Date('2026-11-25T16:00:00Z'),
  initiatingParty: 'Fonds de Dotation pour la Transition Juste',
  paymentInformationId: `LOT-${id}`,
  requestedExecutionDate: '2026-11-27',
  debtor,
});
const ibans = ['FR7630006000011234567890189', 'DE89370400440532013000', 'BE68539007547034', 'ES9121000418450200051332'];

export const sepaBatches: Record<string, PaymentBatchFile> = {
  'one payment': {
    ...base('ONE'),
    transfers: [
      {
        endToEndId: 'E2E-ONE-1',
        amountMinor: 10_000_01n,
        creditorName: 'La Fabrique du Tiers-Lieu',
        creditorIban: ibans[0]!,
        creditorBic: 'AGRIFRPP',
        remittance: 'Subvention tranche 1 CS-D6F9517B',
      },
    ],
  },
  'many payments': {
    ...base('MANY'),
    transfers: Array.from({ length: 250 }, (_, index) => ({
      endToEndId: `E2E-MANY-${index + 1}`,
      amountMinor: BigInt(1 + index * 997),
      creditorName: `Bénéficiaire ${index + 1}`,
      creditorIban: ibans[index % ibans.length]!,
      remittance: `Aide ${index + 1}`,
    })),
  },
  accents: {
    ...base('ACCENTS'),
    transfers: [
      {
        endToEndId: 'E2E-ACC-1',
        amountMinor: 1_234_56n,
        creditorName: 'Coopérative Œuvre Française — Café « Ça va » & Cie',
        creditorIban: ibans[0]!,
        remittance: 'Réf. été 2026 : équipement n° 3 (½ tarif) – merci ! @#€',
      },
      {
        endToEndId: 'E2E-ACC-2',
        amountMinor: 99n,
        creditorName: 'Straße Müller ß',
        creditorIban: ibans[1]!,
        remittance: 'Über ’s grüne Gärten',
      },
    ],
  },
  'maximum lengths': {
    ...base('MAXIMUMLENGTHSXXXXXXXXXXXXXXXXXXXXXXXXXXXX'),
    transfers: [
      {
        endToEndId: 'E2E-MAX-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
        amountMinor: 999_999_999_99n,
        creditorName: 'N'.repeat(120),
        creditorIban: ibans[2]!,
        creditorBic: 'GEBABEBBXXX',
        remittance: 'R'.repeat(300),
      },
    ],
  },
};
