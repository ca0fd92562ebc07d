import { z } from 'zod';
import { amountRefusal, minorUnits, parseApiAmount } from './money';
import { moneyMessages } from './messages';

/**
 * An amount in the API is a string of euros with at most two decimals
 * ("1234.56"), never a JSON number (which would be a float). Parsed to cents.
 */
export const amountSchema = z
  .string()
  .max(32)
  .transform((text, context) => {
    try {
      return minorUnits(parseApiAmount(text));
    } catch {
      context.addIssue({ code: 'custom', message: amountRefusal(text, '« 1234.56 »') ?? 'Montant illisible.' });
      return z.NEVER;
    }
  })
  .meta({ description: 'Montant en euros, chaîne avec au plus deux décimales : "1234.56"', examples: ['1234.56'] });

export const positiveAmountSchema = amountSchema.refine((amountMinor) => amountMinor > 0n, {
  message: moneyMessages.amountNotPositive,
});
