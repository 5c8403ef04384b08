import type { SpendGroup, SpendQuery } from 'ai.matey.http';
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
