import type { Knex } from 'knex';

/**
 * Decisions that cannot be bent, nor get stuck.
 *
 * - A file sent to committee names its committee (applications.committee_id); only
 *   that committee opens a vote on it. Files already at committee are given their
 *   fund's committee when the fund has only one.
 * - A vote session always ends: besides adopted / rejected / no quorum it may end
 *   "adopted, not fundable" (the grant could not be committed: the pool ran out or
 *   its period ended — the reason is kept) or "withdrawn" (the file left the
 *   committee while the vote was open).
 * - Pool rules are amended by dated amendments (who, when, why, from which date);
 *   the rules in force on a date are the latest amendment effective by then, else
 *   the pool's own. A grant keeps the amendment it was decided under.
 * - Ticket bounds of files outside pools are the fund's (endowment_settings).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table applications add column committee_id text references committees (id);
    update applications a set committee_id = c.id
      from workflow_instances w, (select fund_id, min(id) as id from committees group by fund_id having count(*) = 1) c
      where w.workflow = 'application' and w.subject_type = 'application' and w.subject_id = a.id::text
        and w.state = 'committee' and c.fund_id = a.fund_id;

    alter table vote_sessions drop constraint vote_sessions_outcome_check;
    alter table vote_sessions add constraint vote_sessions_outcome_check
      check (outcome in ('adopted', 'rejected', 'no-quorum', 'adopted-not-fundable', 'withdrawn'));
    alter table vote_sessions add column outcome_reason text;

    create table pool_amendments (
      id bigint generated always as identity primary key,
      pool_id text not null references pools (id),
      effective_from date not null,
      ticket_min_minor bigint not null check (ticket_min_minor > 0),
      ticket_max_minor bigint not null check (ticket_max_minor >= ticket_min_minor),
      eligible_project_types text[] not null,
      starts_on date not null,
      ends_on date not null check (ends_on > starts_on),
      tranche_percents numeric[] not null,
      reason text not null check (length(reason) between 3 and 2000),
      amended_by uuid not null references users (id),
      amended_at timestamptz not null default now()
    );
    create index pool_amendments_by_pool on pool_amendments (pool_id, effective_from, id);
    create trigger pool_amendments_immutable before update or delete on pool_amendments
      for each row execute function refuse_change_to_records();
    alter table grants add column pool_amendment_id bigint references pool_amendments (id);

    alter table endowment_settings
      add column ticket_min_minor bigint not null default 500000 check (ticket_min_minor > 0),
      add column ticket_max_minor bigint not null default 3000000,
      add constraint endowment_settings_ticket_bounds check (ticket_max_minor >= ticket_min_minor);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table endowment_settings drop constraint endowment_settings_ticket_bounds, drop column ticket_max_minor, drop column ticket_min_minor;
    alter table grants drop column pool_amendment_id;
    drop table pool_amendments;
    alter table vote_sessions drop column outcome_reason;
    alter table vote_sessions drop constraint vote_sessions_outcome_check;
    alter table vote_sessions add constraint vote_sessions_outcome_check check (outcome in ('adopted', 'rejected', 'no-quorum'));
    alter table applications drop column committee_id;
  `);
}
