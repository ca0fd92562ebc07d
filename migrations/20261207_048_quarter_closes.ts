import type { Knex } from 'knex';

/**
 * A unit fund's quarter, closed: its net assets from the books, each holding's
 * capital account for the quarter (ILPA lines; the database refuses a row whose
 * ending is not its beginning plus its movements), each class's NAV per unit,
 * and the statements published from them. Frozen: never changed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table quarter_closes (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      quarter_end date not null check (to_char(quarter_end, 'MM-DD') in ('03-31', '06-30', '09-30', '12-31')),
      beginning_net_assets_minor bigint not null,
      net_assets_minor bigint not null,
      closed_by uuid not null references users (id),
      closed_at timestamptz not null default now(),
      unique (fund_id, quarter_end)
    );
    create trigger quarter_closes_immutable before update or delete on quarter_closes
      for each row execute function refuse_change_to_records();

    create table quarter_positions (
      close_id uuid not null references quarter_closes (id),
      investor_id uuid not null references investors (id),
      class_code text not null,
      units integer not null check (units > 0),
      commitment_minor bigint not null,
      beginning_minor bigint not null,
      contributions_minor bigint not null,
      distributions_minor bigint not null,
      management_fees_minor bigint not null,
      fee_offsets_minor bigint not null,
      fund_expenses_minor bigint not null,
      internal_chargebacks_minor bigint not null,
      income_minor bigint not null,
      realised_gains_minor bigint not null,
      unrealised_gains_minor bigint not null,
      other_minor bigint not null,
      ending_minor bigint not null,
      unfunded_beginning_minor bigint not null,
      unfunded_ending_minor bigint not null,
      primary key (close_id, investor_id, class_code),
      constraint quarter_positions_roll_forward check (ending_minor = beginning_minor + contributions_minor
        - distributions_minor - management_fees_minor + fee_offsets_minor - fund_expenses_minor
        - internal_chargebacks_minor + income_minor + realised_gains_minor + unrealised_gains_minor + other_minor)
    );
    create index quarter_positions_by_investor on quarter_positions (investor_id);
    create trigger quarter_positions_immutable before update or delete on quarter_positions
      for each row execute function refuse_change_to_records();

    create table quarter_class_navs (
      close_id uuid not null references quarter_closes (id),
      class_code text not null,
      units integer not null,
      nav_minor bigint not null,
      nav_per_unit numeric(24, 6) not null,
      primary key (close_id, class_code)
    );
    create trigger quarter_class_navs_immutable before update or delete on quarter_class_navs
      for each row execute function refuse_change_to_records();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table quarter_class_navs; drop table quarter_positions; drop table quarter_closes;');
}
