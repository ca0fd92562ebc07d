import type { Knex } from 'knex';

/**
 * An investment's fair value at a quarter end, following IPEV: the technique,
 * its inputs and the calibration note, proposed by one person and approved by
 * another (the valuation workflow). Approved, the difference between the value
 * and what the books carry is posted (a revaluation); the investment's end
 * takes its revaluations back out. Neither is ever changed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table investment_valuations (
      id uuid primary key default gen_random_uuid(),
      investment_id uuid not null references investments (id),
      measured_on date not null,
      technique text not null check (technique in (
        'recent-investment-price', 'multiples', 'industry-benchmarks', 'market-price',
        'discounted-cash-flows', 'net-assets')),
      value_minor bigint not null check (value_minor >= 0),
      inputs jsonb not null check (jsonb_typeof(inputs) = 'array' and jsonb_array_length(inputs) > 0),
      calibration_note text not null check (length(calibration_note) >= 3),
      proposed_by uuid not null references users (id),
      proposed_at timestamptz not null default now()
    );
    create index investment_valuations_by_investment on investment_valuations (investment_id, measured_on);
    create trigger investment_valuations_immutable before update or delete on investment_valuations
      for each row execute function refuse_change_to_records();

    create table investment_revaluations (
      id bigint generated always as identity primary key,
      investment_id uuid not null references investments (id),
      -- An approved valuation's difference, or (null) its reversal when the investment ends.
      valuation_id uuid unique references investment_valuations (id),
      booked_on date not null,
      amount_minor bigint not null,
      entry_id bigint references journal_entries (id),
      check ((amount_minor = 0) = (entry_id is null))
    );
    create index investment_revaluations_by_investment on investment_revaluations (investment_id, booked_on);
    create trigger investment_revaluations_immutable before update or delete on investment_revaluations
      for each row execute function refuse_change_to_records();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table investment_revaluations; drop table investment_valuations;');
}
