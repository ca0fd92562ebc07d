import { z } from 'zod';
import type { Knex } from 'knex';

/**
 * One page of a list: every list of the API is paginated, so that no answer
 * does unbounded work. The query is counted, then read for the page asked.
 */
export const pageSizeMax = 100;

export const pageQuery = {
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(pageSizeMax).default(20),
};

export type Page = { page: number; pageSize: number };

export async function pageOf<Row>(
  query: Knex.QueryBuilder,
  page: Page,
  read: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
): Promise<{ total: number; page: number; pageSize: number; rows: Row[] }> {
  const counted = await query.clone().clearSelect().clearOrder().count('* as total').first();
  const rows = (await read(query.clone())
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize)) as Row[];
  return { total: Number(counted?.total ?? 0), page: page.page, pageSize: page.pageSize, rows };
}

const literally = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

/** A LIKE pattern that finds the text anywhere, its own % and _ taken literally. */
export const containing = (text: string): string => `%${literally(text)}%`;

/** A LIKE pattern for what begins with the text, its own % and _ taken literally. */
export const beginningWith = (text: string): string => `${literally(text)}%`;
