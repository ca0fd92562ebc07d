export const roles = [
  'admin',
  'treasurer',
  'committee_member',
  'referent',
  'applicant',
  'donor',
  'investor',
  'partner_lender',
] as const;
export type Role = (typeof roles)[number];

export type ScopeType = 'fund' | 'committee' | 'organisation';

/** Which roles are held on a scope, and on which kind. The others are global. */
export const scopeTypeOfRole: Partial<Record<Role, ScopeType>> = {
  treasurer: 'fund',
  investor: 'fund',
  committee_member: 'committee',
  applicant: 'organisation',
};

export type RoleGrant = { role: Role; scopeType: ScopeType | null; scopeId: string | null };

export type Principal = {
  userId: string;
  email: string;
  displayName: string;
  grants: RoleGrant[];
  /** How this request proved who it is. */
  via: 'session' | 'api-token';
};

export const isAdmin = (principal: Principal): boolean => principal.grants.some((grant) => grant.role === 'admin');

/** Scope ids (fund ids, organisation ids…) on which the principal holds one of these roles. */
export function scopesHeld(principal: Principal, acceptedRoles: readonly Role[], scopeType: ScopeType): string[] {
  return principal.grants
    .filter((grant) => acceptedRoles.includes(grant.role) && grant.scopeType === scopeType && grant.scopeId !== null)
    .map((grant) => grant.scopeId!);
}
