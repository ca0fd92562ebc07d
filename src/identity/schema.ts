import { z } from 'zod';
import { timestamp } from '../http/answers';
import { roles } from './roles';
import { passwordLengthMin } from './password-policy';
import { identityMessages } from './messages';

export const emailSchema = z.email({ message: identityMessages.emailInvalid }).max(254);

export const loginBody = z.strictObject({
  email: emailSchema,
  password: z.string().min(1, 'Mot de passe requis.').max(1024),
});

export const apiTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export const apiTokenParams = z.strictObject({ tokenId: z.uuid('Identifiant de jeton invalide.') });

export const roleGrantBody = z.strictObject({ role: z.enum(roles), scopeId: z.string().min(1).max(100).optional() });

export const newUserBody = z.strictObject({
  email: emailSchema,
  displayName: z.string().trim().min(1).max(200),
  password: z.string().min(passwordLengthMin, `Au moins ${passwordLengthMin} caractères.`).max(1024).optional(),
  roles: z.array(roleGrantBody).min(1, 'Au moins un rôle.').max(50),
});

export const passwordChangeBody = z.strictObject({
  currentPassword: z.string().min(1, 'Mot de passe actuel requis.').max(1024),
  newPassword: z.string().min(passwordLengthMin, `Au moins ${passwordLengthMin} caractères.`).max(1024),
});

export const userParams = z.strictObject({ userId: z.uuid('Identifiant de compte invalide.') });

// Answers (src/http/answers.ts): what each route gives back, checked in tests.
const roleGrantAnswer = z.strictObject({
  role: z.enum(roles),
  scopeType: z.enum(['fund', 'organisation', 'committee']).nullable(),
  scopeId: z.string().nullable(),
});
export const userAnswer = z.strictObject({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  createdAt: timestamp,
  disabledAt: timestamp.nullable(),
  roles: z.array(roleGrantAnswer),
});
const apiTokenAnswer = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: timestamp,
  expiresAt: timestamp.nullable(),
  lastUsedAt: timestamp.nullable(),
});
export const loginAnswer = z.strictObject({ user: userAnswer, expiresAt: timestamp });
export const meAnswer = z.strictObject({ user: userAnswer, via: z.enum(['session', 'api-token']) });
export const userEnvelopeAnswer = z.strictObject({ user: userAnswer });
export const usersAnswer = z.strictObject({ users: z.array(userAnswer) });
export const roleChangesAnswer = z.strictObject({
  changes: z.array(
    roleGrantAnswer.extend({
      change: z.enum(['granted', 'withdrawn']),
      changedBy: z.string().nullable(),
      changedAt: timestamp,
    }),
  ),
});
export const apiTokensAnswer = z.strictObject({ apiTokens: z.array(apiTokenAnswer) });
export const newApiTokenAnswer = z.strictObject({ token: z.string().startsWith('mlk_'), apiToken: apiTokenAnswer });
export const endedSessionsAnswer = z.strictObject({ ended: z.number().int().min(0) });
