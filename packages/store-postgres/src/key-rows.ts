import type { GatewayKey, KeyPatch, KeyRecord, TeamPatch, TeamRecord } from 'ai.matey.http';

/** A `matey.teams` row as the driver returns it. */
export interface TeamRow {
  id: string;
  name: string;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  budget_usd_per_day: number | null;
  budget_usd_per_month: number | null;
  metadata: Record<string, unknown>;
  created_at: Date;
}

/** A `matey.keys` row as the driver returns it (never a secret: only its hash and prefix). */
export interface KeyRow {
  id: string;
  name: string;
  key_prefix: string;
  team_id: string | null;
  allowed_models: string[] | null;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  budget_usd_per_day: number | null;
  budget_usd_per_month: number | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  semantic_cache: boolean;
  max_concurrent: number | null;
  max_queue: number | null;
  queue_timeout_ms: number | null;
  metadata: Record<string, unknown>;
  created_at: Date;
}

/** A key row joined with its team's limits (`t_` columns), for the gateway's lookups. */
export type KeyWithTeamRow = KeyRow & {
  t_requests_per_minute: number | null;
  t_tokens_per_minute: number | null;
  t_budget_usd_per_day: number | null;
  t_budget_usd_per_month: number | null;
};

export function teamRecord(row: TeamRow): TeamRecord {
  return {
    id: row.id,
    name: row.name,
    requestsPerMinute: row.requests_per_minute,
    tokensPerMinute: row.tokens_per_minute,
    budgetUsdPerDay: row.budget_usd_per_day,
    budgetUsdPerMonth: row.budget_usd_per_month,
    metadata: row.metadata,
    createdAt: row.created_at.toISOString(),
  };
}

export function keyRecord(row: KeyRow): KeyRecord {
  return {
    id: row.id,
    name: row.name,
    keyPrefix: row.key_prefix,
    teamId: row.team_id,
    allowedModels: row.allowed_models,
    requestsPerMinute: row.requests_per_minute,
    tokensPerMinute: row.tokens_per_minute,
    budgetUsdPerDay: row.budget_usd_per_day,
    budgetUsdPerMonth: row.budget_usd_per_month,
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    semanticCache: row.semantic_cache,
    maxConcurrent: row.max_concurrent,
    maxQueue: row.max_queue,
    queueTimeoutMs: row.queue_timeout_ms,
    metadata: row.metadata,
    createdAt: row.created_at.toISOString(),
  };
}

/** The key as the gateway's policy sees it: its limits and its team's. */
export function gatewayKey(row: KeyWithTeamRow): GatewayKey {
  const team = row.team_id && {
    id: row.team_id,
    ...defined('requestsPerMinute', row.t_requests_per_minute),
    ...defined('tokensPerMinute', row.t_tokens_per_minute),
    ...defined('budgetUsdPerDay', row.t_budget_usd_per_day),
    ...defined('budgetUsdPerMonth', row.t_budget_usd_per_month),
  };
  return {
    id: row.id,
    ...(row.allowed_models ? { allowedModels: row.allowed_models } : {}),
    ...defined('requestsPerMinute', row.requests_per_minute),
    ...defined('tokensPerMinute', row.tokens_per_minute),
    ...defined('budgetUsdPerDay', row.budget_usd_per_day),
    ...defined('budgetUsdPerMonth', row.budget_usd_per_month),
    ...(row.expires_at ? { expiresAt: row.expires_at.getTime() } : {}),
    ...(team ? { team } : {}),
    ...(row.semantic_cache ? { semanticCache: true } : {}),
    ...defined('maxConcurrent', row.max_concurrent),
    ...defined('maxQueue', row.max_queue),
    ...defined('queueTimeoutMs', row.queue_timeout_ms),
  };
}

function defined<Name extends string>(name: Name, value: number | null): { [K in Name]?: number } {
  return (value === null ? {} : { [name]: value }) as { [K in Name]?: number };
}

const COLUMNS = {
  name: 'name',
  teamId: 'team_id',
  allowedModels: 'allowed_models',
  requestsPerMinute: 'requests_per_minute',
  tokensPerMinute: 'tokens_per_minute',
  budgetUsdPerDay: 'budget_usd_per_day',
  budgetUsdPerMonth: 'budget_usd_per_month',
  expiresAt: 'expires_at',
  semanticCache: 'semantic_cache',
  maxConcurrent: 'max_concurrent',
  maxQueue: 'max_queue',
  queueTimeoutMs: 'queue_timeout_ms',
  metadata: 'metadata',
} as const;

/** The columns a patch (or a new row's fields) sets; fields left out are not touched. */
export function columnsOf(patch: KeyPatch | TeamPatch): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(patch)) {
    const column = COLUMNS[field as keyof typeof COLUMNS];
    if (column === undefined || value === undefined) continue;
    columns[column] = field === 'expiresAt' && typeof value === 'string' ? new Date(value) : value;
  }
  return columns;
}
