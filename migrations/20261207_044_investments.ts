import type { Knex } from 'knex';

/**
 * A unit fund's investments: in an organisation of the pathway, from its file
 * in that fund (one trajectory), by one of the six instruments; the fund's
 * committee votes on one as on a file — a vote session names the investment
 * beside the file, and its motion is to invest an amount or to decline.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table investments (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      organisation_id text not null references organisations (id),
      application_id uuid not null references applications (id),
      instrument text not null check (instrument in (
        'shares', 'bonds', 'participating-loan', 'cooperative-shares', 'participating-securities', 'associative-securities'
      )),
      name text not null check (length(name) between 3 and 200),
      amount_sought_minor bigint not null check (amount_sought_minor > 0),
      approved_amount_minor bigint check (approved_amount_minor > 0),
      created_by uuid not null references users (id),
      created_at timestamptz not null default now()
    );
    create index investments_by_fund on investments (fund_id, created_at);
    create index investments_by_organisation on investments (organisation_id);

    alter table vote_sessions
      add column investment_id uuid references investments (id),
      drop constraint vote_sessions_motion_check,
      drop constraint vote_sessions_check,
      add constraint vote_sessions_motion_check
        check (motion in ('approve', 'decline', 'redirect', 'send-back', 'invest')),
      add constraint vote_sessions_amount_with_motion check ((motion in ('approve', 'invest')) = (amount_minor is not null)),
      add constraint vote_sessions_investment_motions
        check ((investment_id is not null) = (motion = 'invest') or (investment_id is not null and motion = 'decline'));
    drop index vote_sessions_one_open_per_application;
    create unique index vote_sessions_one_open_per_application on vote_sessions (application_id)
      where closed_at is null and investment_id is null;
    create unique index vote_sessions_one_open_per_investment on vote_sessions (investment_id)
      where closed_at is null and investment_id is not null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index vote_sessions_one_open_per_investment;
    drop index vote_sessions_one_open_per_application;
    create unique index vote_sessions_one_open_per_application on vote_sessions (application_id) where closed_at is null;
    alter table vote_sessions
      drop constraint vote_sessions_investment_motions,
      drop constraint vote_sessions_amount_with_motion,
      drop constraint vote_sessions_motion_check,
      drop column investment_id,
      add constraint vote_sessions_motion_check check (motion in ('approve', 'decline', 'redirect', 'send-back')),
      add constraint vote_sessions_check check ((motion = 'approve') = (amount_minor is not null));
    drop table investments;
  `);
}
