import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as french from '@zxcvbn-ts/language-fr';
import { ValidationError } from '../errors';

/**
 * What a password must be: long enough, and hard to guess by the estimator
 * attackers' tools are modelled on (zxcvbn: common and French passwords, names,
 * keyboard walks, dates, repeats, and the person's own e-mail and name).
 */
export const passwordLengthMin = 12;
/** zxcvbn's scale, 0 to 4: 3 is "safely unguessable" against an online or slow-hash offline attack. */
const guessabilityScoreMin = 3;

const estimator = new ZxcvbnFactory({
  translations: french.translations,
  graphs: common.adjacencyGraphs,
  dictionary: {
    ...common.dictionary,
    ...french.dictionary,
    site: ['milliard', 'operation', 'opération', 'dotation', 'fonds'],
  },
  useLevenshteinDistance: true,
});

/** Why this password is refused, in French, or null when it is accepted. */
export function passwordRefusal(password: string, personal: string[]): string | null {
  if (password.length < passwordLengthMin) return `Au moins ${passwordLengthMin} caractères.`;
  const words = personal
    .flatMap((value) => value.toLowerCase().split(/[^\p{L}\p{N}]+/u))
    .filter((word) => word.length >= 3);
  const result = estimator.check(password, words);
  if (result.score >= guessabilityScoreMin) return null;
  const advice = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(' ');
  return `Mot de passe trop facile à deviner.${advice ? ` ${advice}` : ''} Une phrase de quatre mots sans rapport entre eux fait un bon mot de passe.`;
}

export function assertAcceptablePassword(
  password: string,
  personal: string[],
  path: (string | number)[] = ['password'],
): void {
  const refusal = passwordRefusal(password, personal);
  if (refusal) throw new ValidationError([{ path, message: refusal }]);
}
