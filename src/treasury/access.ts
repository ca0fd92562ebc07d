import { NotFoundError } from '../errors';
import { isAdmin, scopesHeld, type Principal } from '../identity/roles';

/** The funds whose treasury this person keeps (an administrator: every fund). */
export function fundsTreasuredBy(principal: Principal): readonly string[] | 'all' {
  return isAdmin(principal) ? 'all' : scopesHeld(principal, ['treasurer'], 'fund');
}

/** The fund an address names, if this person keeps its treasury; 404 otherwise, as in the API. */
export function treasuredFund(principal: Principal, candidate: unknown): string {
  const fundId = typeof candidate === 'string' ? candidate : '';
  const held = fundsTreasuredBy(principal);
  if (held !== 'all' && !held.includes(fundId)) throw new NotFoundError();
  return fundId;
}
