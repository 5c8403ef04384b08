import { budgetWindowStart, type LoggedSpend, type SpendGroup, type SpendQuery } from 'ai.matey.http';
import type { Sql } from 'postgres';

const GROUP_COLUMNS = { model: 'model', provider: 'provider', key: 'key_id', team: 'team_id' } as const;

/**
 * Requests, tokens and cost from `matey.spend_log`, filtered by key, team, model, provider and
 * time, grouped by day (UTC), model, provider, key or team: the admin API's `/admin/spend`.
 */
export async function querySpend(sql: Sql, query: SpendQuery): Promise<SpendGroup[]> {
  const group =
    query.groupBy === 'day'
      ? sql`to_char(date_trunc('day', at at time zone 'UTC'), 'YYYY-MM-DD')`
      : sql(GROUP_COLUMNS[query.groupBy]);
  const rows = await sql<SpendGroup[]>`
    select ${group} as "group", count(*)::int as "requests",
      coalesce(sum(input_tokens), 0)::float8 as "inputTokens",
      coalesce(sum(output_tokens), 0)::float8 as "outputTokens",
      coalesce(sum(cost_usd), 0)::float8 as "costUsd"
    from matey.spend_log
    where true
      ${query.key ? sql`and key_id = ${query.key}` : sql``}
      ${query.team ? sql`and team_id = ${query.team}` : sql``}
      ${query.model ? sql`and model = ${query.model}` : sql``}
      ${query.provider ? sql`and provider = ${query.provider}` : sql``}
      ${query.from ? sql`and at >= ${new Date(query.from)}` : sql``}
      ${query.to ? sql`and at < ${new Date(query.to)}` : sql``}
    group by 1 order by 1`;
  return [...rows];
}

/**
 * What each key (`<id>`) and team (`team:<id>`) has spent, by the log, in the budget windows
 * holding `now` (the UTC day and the 30-day window): for `reconcileBudgetCounters`.
 */
export async function loggedBudgetSpend(sql: Sql, now: number): Promise<LoggedSpend[]> {
  const dayStart = new Date(budgetWindowStart('day', now));
  const monthStart = new Date(budgetWindowStart('month', now));
  const rows = await sql<
    Array<{ key_id: string | null; team_id: string | null; day: number; month: number }>
  >`
    select key_id, team_id,
      coalesce(sum(cost_usd) filter (where at >= ${dayStart}), 0)::float8 as day,
      sum(cost_usd)::float8 as month
    from matey.spend_log
    where at >= ${monthStart} and cost_usd > 0
    group by grouping sets ((key_id), (team_id))`;
  return rows.flatMap((row) => {
    const subject = row.key_id ?? (row.team_id === null ? undefined : `team:${row.team_id}`);
    // Rows of no key (and of no team) make a group of nulls: not a subject.
    if (subject === undefined) return [];
    return [
      ...(row.day > 0 ? [{ subject, window: 'day' as const, usd: row.day }] : []),
      { subject, window: 'month' as const, usd: row.month },
    ];
  });
}
