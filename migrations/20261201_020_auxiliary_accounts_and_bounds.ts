import type { Knex } from 'knex';

/**
 * Auxiliary accounts one holder each, balances that stay representable, gifts
 * that can be cancelled.
 *
 * - Until now a beneficiary's payable account (4671…) and a pool's dedicated-funds
 *   account (195…) took their code from the first 14 letters and digits of the
 *   holder's id, so two organisations whose ids began alike shared one account.
 *   The register auxiliary_accounts now ties each such account to one holder;
 *   ledger_open_auxiliary_account opens a holder's account with a code no other
 *   account of the fund has. Books already written that way are repaired below:
 *   the first holder keeps the shared account, each other holder gets its own, and
 *   what its entries put on the shared account is carried to it by one
 *   reclassification entry (journal OD) — postings are never edited.
 * - A posting's amount, an account's folded balance and its balance with pending
 *   movements stay within ±(10^17 − 1) cents, the largest amount the code reads
 *   (src/money/money.ts, amountMaxMinor): beyond it the books could not be shown
 *   (see ledger_check_balance_representable for what is checked when).
 * - A gift is at most the fund's ceiling (endowment_settings.gift_amount_max_minor,
 *   5 000 000,00 € unless set otherwise).
 * - A gift recorded in error is cancelled: its entry reversed, its receipt
 *   cancelled; the gift row keeps its amount, only its cancellation is added once.
 */
export const amountMaxMinor = '99999999999999999';
/** 10 000 000,00 €: a movement from this size on is checked against the account's whole balance at once. */
const largeMovementMinor = '1000000000';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table auxiliary_accounts (
      account_id bigint primary key,
      fund_id text not null,
      root_code text not null check (root_code ~ '^[1-8][0-9]{2,3}$'),
      holder_type text not null check (holder_type in ('organisation', 'pool', 'investor')),
      holder_id text not null,
      holder_name text not null check (length(holder_name) between 1 and 200),
      created_at timestamptz not null default now(),
      foreign key (account_id, fund_id) references accounts (id, fund_id),
      unique (fund_id, root_code, holder_type, holder_id)
    );
    create trigger auxiliary_accounts_immutable before update or delete on auxiliary_accounts
      for each row execute function refuse_change_to_records();
    create trigger auxiliary_accounts_no_truncate before truncate on auxiliary_accounts
      for each statement execute function refuse_change_to_records();

    -- The holder's account under a root, opened with a code of its own when it has none:
    -- the root, the holder's id in capitals as far as it fits, and a counter when taken.
    create function ledger_open_auxiliary_account(p_fund_id text, p_root_code text, p_holder_type text, p_holder_id text,
                                                   p_holder_name text, p_label text, p_type text, p_may_go_negative boolean)
    returns text
    language plpgsql as $$
    declare
      readable text := p_root_code || left(regexp_replace(upper(p_holder_id), '[^A-Z0-9]', '', 'g'), 14);
      candidate text;
      attempt int := 1;
      opened bigint;
    begin
      select a.code into candidate from auxiliary_accounts x join accounts a on a.id = x.account_id
        where x.fund_id = p_fund_id and x.root_code = p_root_code and x.holder_type = p_holder_type and x.holder_id = p_holder_id;
      if found then
        return candidate;
      end if;
      perform pg_advisory_xact_lock(hashtextextended('milliard:auxiliary:' || p_fund_id || ':' || p_root_code, 0));
      select a.code into candidate from auxiliary_accounts x join accounts a on a.id = x.account_id
        where x.fund_id = p_fund_id and x.root_code = p_root_code and x.holder_type = p_holder_type and x.holder_id = p_holder_id;
      if found then
        return candidate;
      end if;
      candidate := readable;
      while exists (select 1 from accounts where fund_id = p_fund_id and code = candidate) loop
        attempt := attempt + 1;
        candidate := left(readable, 20 - length(attempt::text)) || attempt::text;
      end loop;
      insert into accounts (fund_id, code, label, type, may_go_negative)
        values (p_fund_id, candidate, left(p_label, 200), p_type, p_may_go_negative)
        returning id into opened;
      insert into auxiliary_accounts (account_id, fund_id, root_code, holder_type, holder_id, holder_name)
        values (opened, p_fund_id, p_root_code, p_holder_type, p_holder_id, left(p_holder_name, 200));
      return candidate;
    end $$;

    alter table postings add constraint postings_amount_representable
      check (amount_minor between -${amountMaxMinor} and ${amountMaxMinor}) not valid;
    alter table postings validate constraint postings_amount_representable;
    alter table accounts add constraint accounts_balance_representable
      check (balance_minor between -${amountMaxMinor} and ${amountMaxMinor});

    -- A pending movement is refused when the balance it leads to could not be shown. Only
    -- movements of 10 million euros or more are checked against the whole balance as they
    -- come (the check sums the account's pending movements: on the two busiest accounts it
    -- cost a fifth of the posting rate, bench/RESULTS.md); smaller ones could leave the range
    -- only by a hundred million of them left unfolded, and every fold is checked
    -- (accounts_balance_representable).
    create function ledger_check_balance_representable() returns trigger
    language plpgsql as $$
    declare
      resulting numeric;
    begin
      select a.balance_minor::numeric + new.delta_minor
               + coalesce((select sum(m.delta_minor) from account_balance_movements m where m.account_id = new.account_id), 0)
        into resulting
        from accounts a where a.id = new.account_id;
      if abs(resulting) > ${amountMaxMinor} then
        raise exception 'le solde du compte sortirait des montants représentables (au plus 999 999 999 999 999,99 €)'
          using errcode = 'ML007';
      end if;
      return new;
    end $$;
    create trigger account_balance_movements_representable before insert on account_balance_movements
      for each row when (abs(new.delta_minor) >= ${largeMovementMinor})
      execute function ledger_check_balance_representable();

    alter table endowment_settings add column gift_amount_max_minor bigint not null default 500000000
      check (gift_amount_max_minor between 1 and ${amountMaxMinor});

    alter table donations
      add column cancelled_at timestamptz,
      add column cancel_reason text check (cancel_reason is null or length(cancel_reason) between 3 and 1000),
      add column cancellation_entry_id bigint references journal_entries (id),
      add constraint donations_cancellation_whole check ((cancelled_at is null) = (cancel_reason is null) and (cancelled_at is null) = (cancellation_entry_id is null));
    -- A gift is never rewritten: it may only be cancelled, once.
    create function donations_guard() returns trigger
    language plpgsql as $$
    begin
      if tg_op = 'DELETE' or old.cancelled_at is not null
         or (to_jsonb(new) - 'cancelled_at' - 'cancel_reason' - 'cancellation_entry_id')
            <> (to_jsonb(old) - 'cancelled_at' - 'cancel_reason' - 'cancellation_entry_id') then
        raise exception 'donations : un don enregistré ne change pas ; annulez-le' using errcode = 'ML002';
      end if;
      return new;
    end $$;
    create trigger donations_guard before update or delete on donations
      for each row execute function donations_guard();
  `);
  await repairSharedAuxiliaryAccounts(knex);
}

/**
 * Registers the auxiliary accounts already open and gives each holder that shared
 * another's its own account, its balance carried over by a reclassification entry.
 * Exported for the test that builds such books by hand.
 */
export async function repairSharedAuxiliaryAccounts(knex: Knex): Promise<void> {
  await knex.raw(`
    insert into auxiliary_accounts (account_id, fund_id, root_code, holder_type, holder_id, holder_name)
      select a.id, p.fund_id, '195', 'pool', p.id, p.name
      from pools p join accounts a on a.fund_id = p.fund_id and a.code = p.account_code
      on conflict do nothing;
  `);
  // Each organisation that used a payable account, the first one (earliest grant) first.
  const users: {
    fund_id: string;
    code: string;
    account_id: string;
    organisation_id: string;
    name: string;
    position: number;
  }[] = (
    await knex.raw(`
      select g.fund_id, g.payable_account_code as code, a.id::text as account_id, g.organisation_id, o.name,
             row_number() over (partition by g.fund_id, g.payable_account_code order by min(g.created_at), g.organisation_id)::int as position
      from grants g join organisations o on o.id = g.organisation_id
      join accounts a on a.fund_id = g.fund_id and a.code = g.payable_account_code
      group by g.fund_id, g.payable_account_code, a.id, g.organisation_id, o.name
      order by g.fund_id, g.payable_account_code, position`)
  ).rows;
  for (const user of users) {
    const registered = await knex('auxiliary_accounts').where('account_id', user.account_id).first('holder_id');
    if (!registered && user.position === 1) {
      await knex('auxiliary_accounts').insert({
        account_id: user.account_id,
        fund_id: user.fund_id,
        root_code: '4671',
        holder_type: 'organisation',
        holder_id: user.organisation_id,
        holder_name: user.name,
      });
      await knex('accounts')
        .where('id', user.account_id)
        .update({ label: `Bénéficiaire — ${user.name}`.slice(0, 200) });
      continue;
    }
    if (registered?.holder_id === user.organisation_id) continue;
    await giveOwnAccount(knex, user);
  }
}

async function giveOwnAccount(
  knex: Knex,
  user: { fund_id: string; code: string; account_id: string; organisation_id: string; name: string },
): Promise<void> {
  const label = `Bénéficiaire — ${user.name}`;
  const { rows } = await knex.raw('select ledger_open_auxiliary_account(?, ?, ?, ?, ?, ?, ?, ?) as code', [
    user.fund_id,
    '4671',
    'organisation',
    user.organisation_id,
    user.name,
    label,
    'liability',
    true,
  ]);
  const ownCode: string = rows[0].code;
  // What this organisation's entries (its grants, their payments and returns, and reversals of them) left on the shared account.
  const { rows: moved } = await knex.raw(
    `with recursive own_entries as (
       select e.id from journal_entries e
       join grants g on e.source_type = 'grant' and e.source_id = g.application_id::text
       where g.organisation_id = :organisation and g.fund_id = :fund
       union
       select e.id from journal_entries e
       join disbursements d on e.source_type = 'disbursement' and e.source_id = d.id::text
       join disbursement_requests r on r.id = d.request_id
       where r.organisation_id = :organisation and d.fund_id = :fund
       union
       select r.id from journal_entries r join own_entries o on r.reverses_entry_id = o.id
     )
     select coalesce(sum(p.amount_minor), 0)::bigint as net_minor
     from postings p where p.account_id = :account and p.entry_id in (select id from own_entries)`,
    { organisation: user.organisation_id, fund: user.fund_id, account: user.account_id },
  );
  const netMinor = BigInt(moved[0].net_minor);
  if (netMinor !== 0n) {
    const lines = [
      { code: user.code, amount_minor: (-netMinor).toString(), line_label: null },
      { code: ownCode, amount_minor: netMinor.toString(), line_label: null },
    ];
    const today = (await knex.raw(`select (now() at time zone 'Europe/Paris')::date::text as today`)).rows[0].today;
    await knex.raw('select * from ledger_post_entry(?::json, ?, ?, ?::date, ?, ?, ?, ?, ?, ?::bigint, ?, ?, ?::uuid)', [
      JSON.stringify(lines),
      user.fund_id,
      'OD',
      today,
      `Reclassement : ${user.name} — compte ${user.code} vers ${ownCode}`.slice(0, 200),
      'Compte de tiers partagé par erreur avec un autre bénéficiaire (migration 020)',
      'auxiliary-account-repair',
      user.organisation_id,
      false,
      null,
      `auxiliary-repair:${user.code}:${user.organisation_id}`,
      `auxiliary-repair:${user.code}:${user.organisation_id}`,
      null,
    ]);
  }
  for (const table of ['grants', 'disbursement_requests']) {
    await knex(table)
      .where({ fund_id: user.fund_id, organisation_id: user.organisation_id, payable_account_code: user.code })
      .update({ payable_account_code: ownCode });
  }
  await knex('disbursements')
    .where({ fund_id: user.fund_id, payable_account_code: user.code })
    .whereIn('request_id', knex('disbursement_requests').where('organisation_id', user.organisation_id).select('id'))
    .update({ payable_account_code: ownCode });
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop trigger donations_guard on donations;
    drop function donations_guard;
    alter table endowment_settings drop column gift_amount_max_minor;
    alter table donations drop constraint donations_cancellation_whole, drop column cancellation_entry_id, drop column cancel_reason, drop column cancelled_at;
    drop trigger account_balance_movements_representable on account_balance_movements;
    drop function ledger_check_balance_representable;
    alter table accounts drop constraint accounts_balance_representable;
    alter table postings drop constraint postings_amount_representable;
    drop function ledger_open_auxiliary_account;
    drop table auxiliary_accounts;
  `);
}
