import { NotFoundError } from '../errors';
import { isAdmin, scopesHeld, type Principal } from '../identity/roles';
import type { WorkflowActor } from '../workflow-runtime/runtime';
import { fpciMessages } from './messages';

/** Who may act on the fund's closings and calls: its treasurers (the fund's team) and admins; others find nothing. */
export function actorOn(principal: Principal, fundId: string): WorkflowActor {
  const relations = [
    ...(scopesHeld(principal, ['treasurer'], 'fund').includes(fundId) ? ['treasurer'] : []),
    ...(isAdmin(principal) ? ['admin'] : []),
  ];
  if (relations.length === 0) throw new NotFoundError(fpciMessages.fundMissing);
  return { userId: principal.userId, relations };
}
