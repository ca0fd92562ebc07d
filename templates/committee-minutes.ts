import type { DocumentDefinition } from '../src/documents/pdf';
import { formatFrenchDateTime } from '../src/time';

/**
 * Minutes ("procès-verbal") of one vote session: who sat, who was recused and
 * why, each vote, the rule applied and the result. Written once, when the
 * session closes.
 */
export type MinutesVote = 'for' | 'against' | 'abstain';
export type CommitteeMinutesData = {
  committeeName: string;
  fundName: string;
  sessionReference: string;
  motion: string;
  organisationName: string;
  openedAt: Date;
  closedAt: Date;
  closedBy: string;
  rules: string;
  members: {
    name: string;
    chair: boolean;
    recused: boolean;
    conflict: string | null;
    vote: MinutesVote | null;
    comment: string | null;
  }[];
  counts: { for: number; against: number; abstain: number };
  result: string;
  explanation: string;
};

const voteLabels: Record<MinutesVote, string> = { for: 'Pour', against: 'Contre', abstain: 'Abstention' };

export function committeeMinutes(data: CommitteeMinutesData): DocumentDefinition & { info: { title: string } } {
  const sitting = data.members.filter((member) => !member.recused);
  const recused = data.members.filter((member) => member.recused);
  return {
    info: { title: `Procès-verbal ${data.sessionReference}`, subject: data.committeeName },
    content: [
      { text: `Procès-verbal du ${data.committeeName}`, style: 'title' },
      { text: `${data.fundName} — séance ${data.sessionReference}`, style: 'small', margin: [0, 0, 0, 12] },
      {
        text: `Ouverture du vote : ${formatFrenchDateTime(data.openedAt)}. Clôture : ${formatFrenchDateTime(data.closedAt)} (${data.closedBy}).`,
      },
      { text: 'Objet du vote', style: 'heading' },
      { text: `${data.motion} — ${data.organisationName}.` },
      { text: 'Règles applicables', style: 'heading' },
      { text: data.rules },
      { text: 'Membres', style: 'heading' },
      {
        table: {
          headerRows: 1,
          widths: ['*', 'auto', '*'],
          body: [
            [
              { text: 'Membre', bold: true },
              { text: 'Vote', bold: true },
              { text: 'Commentaire', bold: true },
            ],
            ...sitting.map((member) => [
              `${member.name}${member.chair ? ' (président·e)' : ''}`,
              member.vote ? voteLabels[member.vote] : 'N’a pas voté',
              member.comment ?? '',
            ]),
          ],
        },
      },
      { text: 'Déports pour conflit d’intérêts', style: 'heading' },
      recused.length === 0
        ? { text: 'Aucun membre ne s’est déporté.' }
        : {
            ul: recused.map(
              (member) =>
                `${member.name} s’est déporté·e et n’a pas pris part au vote${member.conflict ? ` : ${member.conflict}` : '.'}`,
            ),
          },
      { text: 'Résultat', style: 'heading' },
      { text: `Pour : ${data.counts.for} — Contre : ${data.counts.against} — Abstentions : ${data.counts.abstain}.` },
      { text: data.result, bold: true, margin: [0, 6, 0, 6] },
      { text: data.explanation },
    ],
  };
}
