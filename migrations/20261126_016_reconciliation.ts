import type { Knex } from 'knex';

/**
 * Reconciliation beyond one line for one transfer: a match now joins any
 * number of statement lines with any number of expected items (a batch
 * booking, a pledge paid in instalments), says how it was found, and can be
 * undone. A line, and an expected item for a given action, is in at most one
 * live match (proposed or confirmed): the database refuses a second.
 *
 * Expected receipts are money the fund awaits (a donor's pledged transfer),
 * each with an ISO 11649 structured creditor reference for the payer to quote.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table bank_matches
      add column fund_id text,
      add column statement_id uuid,
      add column method text,
      add column created_by uuid;
    update bank_matches m set fund_id = s.fund_id, statement_id = s.id, method = 'end-to-end'
      from bank_lines l join bank_statements s on s.id = l.statement_id
      where l.id = m.line_id;
    alter table bank_matches
      alter column fund_id set not null,
      alter column statement_id set not null,
      alter column method set not null,
      add constraint bank_matches_method check (method in ('end-to-end', 'structured-reference', 'amount-counterparty-date', 'batch-booking', 'instalments', 'amount-date', 'manual')),
      drop constraint bank_matches_status_check,
      add constraint bank_matches_status check (status in ('proposed', 'confirmed', 'rejected', 'undone'));
    create index bank_matches_by_statement on bank_matches (statement_id);

    create table bank_match_lines (
      match_id uuid not null,
      line_id uuid not null,
      -- False once the match is rejected or undone: the line may then be matched again.
      live boolean not null default true,
      primary key (match_id, line_id)
    );
    create unique index bank_match_lines_live on bank_match_lines (line_id) where live;

    create table bank_match_items (
      match_id uuid not null,
      position smallint not null,
      item_type text not null check (item_type in ('disbursement', 'expected-receipt', 'entry', 'donor', 'account')),
      item_id text not null,
      -- What may be matched once for an action: a transfer's end-to-end id, an expected receipt, a book entry.
      item_key text not null,
      action text not null check (action in ('settle', 'return', 'receive', 'point', 'book')),
      amount_minor bigint not null check (amount_minor <> 0),
      live boolean not null default true,
      -- The entry the confirmation posted, or the book entry it pointed.
      entry_id bigint references journal_entries (id),
      primary key (match_id, position)
    );
    create unique index bank_match_items_live on bank_match_items (item_type, item_key, action) where live;
    create index bank_match_items_by_entry on bank_match_items (entry_id) where live and entry_id is not null;

    insert into bank_match_lines (match_id, line_id, live)
      select id, line_id, status <> 'rejected' from bank_matches;
    insert into bank_match_items (match_id, position, item_type, item_id, item_key, action, amount_minor, live, entry_id)
      select m.id, 1, 'disbursement', m.target_id::text, d.end_to_end_id, m.action, l.amount_minor, m.status <> 'rejected',
             case when m.status = 'confirmed' and m.action = 'settle' then d.settlement_entry_id end
      from bank_matches m join disbursements d on d.id = m.target_id join bank_lines l on l.id = m.line_id;
    drop index bank_matches_live;
    alter table bank_matches drop column line_id, drop column target_type, drop column target_id, drop column action;

    -- What foreign keys would say, checked once per statement rather than once per row (the
    -- matcher writes 100,000 proposals at once), and more: a matched line belongs to the
    -- match's statement, a match to its statement's fund. Nothing here is ever deleted.
    create function bank_matches_check() returns trigger
    language plpgsql as $$
    begin
      if exists (
        select 1 from new_rows n
        left join lateral (select s.fund_id from bank_statements s where s.id = n.statement_id) s on true
        where s.fund_id is distinct from n.fund_id
           or (n.created_by is not null and not exists (select 1 from users u where u.id = n.created_by))
      ) then
        raise exception 'un rapprochement vise un relevé d''un autre fonds, un relevé ou une personne inexistants' using errcode = '23503';
      end if;
      return null;
    end $$;
    create trigger bank_matches_checked after insert on bank_matches
      referencing new table as new_rows for each statement execute function bank_matches_check();

    create function bank_match_lines_check() returns trigger
    language plpgsql as $$
    begin
      if exists (
        select 1 from new_rows n
        left join lateral (select m.statement_id from bank_matches m where m.id = n.match_id) m on true
        left join lateral (select l.statement_id from bank_lines l where l.id = n.line_id) l on true
        where m.statement_id is null or l.statement_id is distinct from m.statement_id
      ) then
        raise exception 'une ligne rapprochée vise un rapprochement inexistant, ou une ligne d''un autre relevé' using errcode = '23503';
      end if;
      return null;
    end $$;
    create trigger bank_match_lines_checked after insert on bank_match_lines
      referencing new table as new_rows for each statement execute function bank_match_lines_check();

    create function bank_match_items_check() returns trigger
    language plpgsql as $$
    begin
      if exists (select 1 from new_rows n where not exists (select 1 from bank_matches m where m.id = n.match_id)) then
        raise exception 'un élément rapproché vise un rapprochement inexistant' using errcode = '23503';
      end if;
      return null;
    end $$;
    create trigger bank_match_items_checked after insert on bank_match_items
      referencing new table as new_rows for each statement execute function bank_match_items_check();

    -- A match only moves on (status and decision); its lines and items are only released
    -- (live: true → false) and given the entry the confirmation posted, once.
    create function bank_match_guard() returns trigger
    language plpgsql as $$
    declare
      moving text[] := case tg_table_name when 'bank_matches' then array['status', 'decided_by', 'decided_at'] else array['live', 'entry_id'] end;
    begin
      if (to_jsonb(new) - moving) <> (to_jsonb(old) - moving)
         or (to_jsonb(new)->>'live' = 'true' and to_jsonb(old)->>'live' = 'false')
         or (to_jsonb(old)->>'entry_id' is not null and to_jsonb(new)->'entry_id' is distinct from to_jsonb(old)->'entry_id') then
        raise exception '% : un rapprochement ne se réécrit pas ; rejetez-le ou défaites-le', tg_table_name using errcode = 'ML002';
      end if;
      return new;
    end $$;
    create trigger bank_matches_guard before update on bank_matches for each row execute function bank_match_guard();
    create trigger bank_match_lines_guard before update on bank_match_lines for each row execute function bank_match_guard();
    create trigger bank_match_items_guard before update on bank_match_items for each row execute function bank_match_guard();
    create trigger bank_matches_no_delete before delete on bank_matches for each row execute function refuse_change_to_records();
    create trigger bank_match_lines_no_delete before delete on bank_match_lines for each row execute function refuse_change_to_records();
    create trigger bank_match_items_no_delete before delete on bank_match_items for each row execute function refuse_change_to_records();
    create trigger bank_matches_no_truncate before truncate on bank_matches for each statement execute function refuse_change_to_records();
    create trigger bank_match_lines_no_truncate before truncate on bank_match_lines for each statement execute function refuse_change_to_records();
    create trigger bank_match_items_no_truncate before truncate on bank_match_items for each statement execute function refuse_change_to_records();

    create table expected_receipts (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      kind text not null check (kind in ('donation')),
      donor_id uuid not null references donors (id),
      amount_minor bigint not null check (amount_minor > 0),
      structured_reference text not null check (structured_reference ~ '^RF[0-9]{2}[0-9A-Z]{1,21}$'),
      counterparty_iban text,
      expected_on date not null,
      label text not null check (length(label) between 1 and 140),
      created_by uuid not null references users (id),
      created_at timestamptz not null default now(),
      unique (fund_id, structured_reference)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table expected_receipts, bank_match_items, bank_match_lines;
    drop trigger bank_matches_checked on bank_matches;
    drop trigger bank_matches_guard on bank_matches;
    drop trigger bank_matches_no_delete on bank_matches;
    drop trigger bank_matches_no_truncate on bank_matches;
    drop function bank_matches_check, bank_match_lines_check, bank_match_items_check, bank_match_guard;
    delete from bank_matches;
    alter table bank_matches drop column fund_id, drop column statement_id, drop column method, drop column created_by,
      drop constraint bank_matches_status, add constraint bank_matches_status_check check (status in ('proposed', 'confirmed', 'rejected')),
      add column line_id uuid not null references bank_lines (id), add column target_type text not null, add column target_id uuid not null, add column action text not null;
  `);
}
