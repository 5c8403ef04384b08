/** One step of the schema, applied once, in version order, inside the migration lock. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema of `ai.matey.store.postgres`, in the PostgreSQL schema `matey` (so an application's
 * own `keys` table is never touched). Append new versions; never edit an applied one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'keys-and-teams',
    sql: `
      create table matey.teams (
        id text primary key,
        name text not null,
        requests_per_minute integer check (requests_per_minute > 0),
        tokens_per_minute integer check (tokens_per_minute > 0),
        budget_usd_per_day double precision check (budget_usd_per_day > 0),
        budget_usd_per_month double precision check (budget_usd_per_month > 0),
        metadata jsonb not null default '{}',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create table matey.keys (
        id text primary key,
        name text not null,
        -- SHA-256 of the key, hex: the key itself is never stored.
        key_sha256 text not null unique check (key_sha256 ~ '^[0-9a-f]{64}$'),
        key_prefix text not null,
        team_id text references matey.teams (id) on delete restrict,
        allowed_models text[],
        requests_per_minute integer check (requests_per_minute > 0),
        tokens_per_minute integer check (tokens_per_minute > 0),
        budget_usd_per_day double precision check (budget_usd_per_day > 0),
        budget_usd_per_month double precision check (budget_usd_per_month > 0),
        expires_at timestamptz,
        revoked_at timestamptz,
        metadata jsonb not null default '{}',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create index keys_team_id on matey.keys (team_id);
    `,
  },
  {
    version: 2,
    name: 'spend-log',
    sql: `
      create table matey.spend_log (
        id bigint generated always as identity primary key,
        -- Made by the writer: a batch retried after a lost reply is not written twice.
        call_id uuid not null unique,
        at timestamptz not null,
        request_id text,
        key_id text,
        team_id text,
        provider text,
        model text,
        input_tokens integer,
        output_tokens integer,
        cached_tokens integer,
        reasoning_tokens integer,
        cost_usd double precision,
        latency_ms double precision,
        first_event_ms double precision,
        status text not null,
        error_kind text,
        attempts integer,
        streamed boolean not null
      );
      create index spend_log_at on matey.spend_log (at);
      create index spend_log_key_at on matey.spend_log (key_id, at);
      create index spend_log_team_at on matey.spend_log (team_id, at);
    `,
  },
  {
    version: 3,
    name: 'key-semantic-cache-and-concurrency',
    // Columns, not keys of \`metadata\`: typed and checked here, shown in the admin API's schema,
    // and never set by a tool that writes its own data into a key's metadata.
    sql: `
      alter table matey.keys
        add column semantic_cache boolean not null default false,
        add column max_concurrent integer check (max_concurrent > 0),
        add column max_queue integer check (max_queue >= 0),
        add column queue_timeout_ms integer check (queue_timeout_ms >= 0),
        add constraint keys_queue_needs_max_concurrent
          check (max_concurrent is not null or (max_queue is null and queue_timeout_ms is null));
    `,
  },
];
