import { z } from 'zod';

/**
 * zod's French locale, rewritten where its wording reads like a type checker
 * ("Trop petit : chaîne de caractères doit avoir >=10 caractères", "Entrée
 * invalide : chaîne de caractères attendu, indéfini reçu") into what a person
 * fills a form with. A schema's own message always wins.
 */
const french = z.locales.fr().localeError;
const plural = (count: number | bigint, one: string, many: string) => `${count} ${Number(count) > 1 ? many : one}`;
const typeNames: Record<string, string> = {
  string: 'un texte',
  number: 'un nombre',
  boolean: 'vrai ou faux',
  array: 'une liste',
  object: 'un objet',
  bigint: 'un nombre',
};

type Issue = Parameters<typeof french>[0] & Record<string, any>;

function personal(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'Champ requis.';
      return `Valeur attendue : ${typeNames[issue.expected] ?? issue.expected}.`;
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? 'Champ requis : il ne peut pas être vide.'
          : `Au moins ${plural(issue.minimum, 'caractère', 'caractères')}.`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `Au moins ${plural(issue.minimum, 'élément', 'éléments')}.`;
      return `Au moins ${issue.minimum}.`;
    case 'too_big':
      if (issue.origin === 'string') return `Au plus ${plural(issue.maximum, 'caractère', 'caractères')}.`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `Au plus ${plural(issue.maximum, 'élément', 'éléments')}.`;
      return `Au plus ${issue.maximum}.`;
    case 'invalid_value':
      return `Valeur attendue : ${(issue.values as unknown[]).map((value) => `« ${String(value)} »`).join(', ')}.`;
    case 'unrecognized_keys':
      return `Champ${issue.keys.length > 1 ? 's' : ''} inconnu${issue.keys.length > 1 ? 's' : ''} : ${issue.keys.join(', ')}.`;
    default:
      return undefined;
  }
}

export function configureZodMessages(): void {
  z.config({ localeError: (issue) => personal(issue as Issue) ?? french(issue) });
}
