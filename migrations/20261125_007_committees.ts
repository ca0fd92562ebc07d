import type { Knex } from 'knex';

/**
 * Investment committees and their votes. A session puts one motion on one
 * ticket to the members of a committee as they were when it opened, under the
 * rules in force then. One vote per member per session is a primary key; every
 * vote cast or changed is also kept, never altered, in vote_ballots.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table committees (
      id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,60}$'),
      name text not null check (length(name) between 1 and 200),
      fund_id text not null references funds (id),
      quorum_share numeric(5, 4) not null check (quorum_share > 0 and quorum_share <= 1),
      decision_rule text not null check (decision_rule in ('majority', 'qualified')),
      qualified_share numeric(5, 4) check (qualified_share > 0.5 and qualified_share <= 1),
      abstentions_count boolean not null,
      chair_casting_vote boolean not null,
      created_at timestamptz not null default now(),
      check ((decision_rule = 'qualified') = (qualified_share is not null))
    );

    create table committee_members (
      committee_id text not null references committees (id),
      user_id uuid not null references users (id),
      is_chair boolean not null default false,
      primary key (committee_id, user_id)
    );
    create unique index committee_members_one_chair on committee_members (committee_id) where is_chair;

    create table vote_sessions (
      id uuid primary key default gen_random_uuid(),
      reference text not null unique,
      committee_id text not null references committees (id),
      application_id uuid not null references applications (id),
      motion text not null check (motion in ('approve', 'decline', 'redirect', 'send-back')),
      amount_minor bigint check (amount_minor > 0),
      motion_details jsonb not null default '{}',
      rules jsonb not null,
      deadline timestamptz not null,
      opened_by uuid not null references users (id),
      opened_at timestamptz not null default now(),
      closed_at timestamptz,
      closed_by uuid references users (id),
      outcome text check (outcome in ('adopted', 'rejected', 'no-quorum')),
      tally jsonb,
      check ((motion = 'approve') = (amount_minor is not null)),
      check ((closed_at is null) = (outcome is null))
    );
    -- One motion at a time on a ticket.
    create unique index vote_sessions_one_open_per_application on vote_sessions (application_id) where closed_at is null;
    create index vote_sessions_open_by_deadline on vote_sessions (deadline) where closed_at is null;

    create table vote_session_members (
      session_id uuid not null references vote_sessions (id),
      user_id uuid not null references users (id),
      is_chair boolean not null,
      primary key (session_id, user_id)
    );

    create table conflict_declarations (
      session_id uuid not null,
      user_id uuid not null,
      conflicted boolean not null,
      details text check (length(details) <= 2000),
      declared_at timestamptz not null default now(),
      primary key (session_id, user_id),
      foreign key (session_id, user_id) references vote_session_members (session_id, user_id),
      check (not conflicted or details is not null)
    );

    create table votes (
      session_id uuid not null,
      user_id uuid not null,
      choice text not null check (choice in ('for', 'against', 'abstain')),
      comment text check (length(comment) <= 2000),
      cast_at timestamptz not null default now(),
      primary key (session_id, user_id),
      foreign key (session_id, user_id) references conflict_declarations (session_id, user_id)
    );

    create table vote_ballots (
      id bigint generated always as identity primary key,
      session_id uuid not null,
      user_id uuid not null,
      choice text not null,
      comment text,
      cast_at timestamptz not null default clock_timestamp(),
      foreign key (session_id, user_id) references conflict_declarations (session_id, user_id)
    );

    -- Defence in depth: whatever the application does, a recused member's vote never lands.
    create function votes_refuse_recused() returns trigger
    language plpgsql as $$
    begin
      if exists (select 1 from conflict_declarations
                 where session_id = new.session_id and user_id = new.user_id and conflicted) then
        raise exception 'un membre déporté pour conflit d''intérêts ne vote pas' using errcode = 'MC001';
      end if;
      return new;
    end $$;
    create trigger votes_refuse_recused before insert or update on votes
      for each row execute function votes_refuse_recused();
    create trigger vote_ballots_refuse_recused before insert on vote_ballots
      for each row execute function votes_refuse_recused();

    create trigger conflict_declarations_immutable before update or delete on conflict_declarations
      for each row execute function refuse_change_to_records();
    create trigger vote_ballots_immutable before update or delete on vote_ballots
      for each row execute function refuse_change_to_records();
    create trigger vote_session_members_immutable before update or delete on vote_session_members
      for each row execute function refuse_change_to_records();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table vote_ballots, votes, conflict_declarations, vote_session_members, vote_sessions, committee_members, committees;
    drop function votes_refuse_recused;
  `);
}
