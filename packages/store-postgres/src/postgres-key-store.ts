import { randomBytes } from 'node:crypto';
import type {
  AdminStore,
  GatewayKey,
  KeyHash,
  KeyInput,
  KeyPatch,
  KeyRecord,
  KeySource,
  LoggedSpend,
  SpendGroup,
  SpendQuery,
  TeamInput,
  TeamPatch,
  TeamRecord,
} from 'ai.matey.http';
import { AdminApiError } from 'ai.matey.http';
import postgres, { type Sql } from 'postgres';
import { KeyCache } from './key-cache.ts';
import {
  columnsOf,
  gatewayKey,
  type KeyRow,
  type KeyWithTeamRow,
  keyRecord,
  type TeamRow,
  teamRecord,
} from './key-rows.ts';
import { KeyStoreUnavailableError } from './key-store-unavailable-error.ts';
import { migrate } from './migrate.ts';
import { SpendLogWriter, type SpendLogWriterOptions } from './spend-log-writer.ts';
import { loggedBudgetSpend, querySpend } from './spend-query.ts';

/** The channel every replica listens on; a change to any key or team is announced on it. */
const CHANNEL = 'matey_keys_changed';

export interface PostgresKeyStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** How long a replica trusts a lookup without a change notice. Default 10 s. */
  cacheTtlMs?: number;
  /** Most connections in the pool. Default 10. */
  maxConnections?: number;
  /** How the spend log is written (batches, buffer). */
  spendLog?: SpendLogWriterOptions;
}

/**
 * Gateway keys and teams in PostgreSQL: the gateway's `KeySource` (lookups cached in memory) and
 * the admin API's store. `open` migrates the schema (safely, with several replicas starting at
 * once) and listens for changes: a revoke or edit on any replica clears every replica's cache,
 * within a round trip of the NOTIFY.
 *
 * @example
 * const keys = await PostgresKeyStore.open({ url: 'postgres://postgres@127.0.0.1:5432/matey' });
 * const gateway = createGateway({ bridge, keySources: [keys], admin: { key: adminKey, store: keys } });
 * await keys.close(); // at shutdown
 */
export class PostgresKeyStore implements KeySource, AdminStore {
  readonly #sql: Sql;
  readonly #cache: KeyCache;
  /** The spend log's batched writer (`createSpendLogMiddleware` appends to it). */
  readonly spendLog: SpendLogWriter;
  /** Marks this store's own notices, which it need not act on: it cleared its cache already. */
  readonly #instanceId = randomBytes(8).toString('hex');
  #unlisten: (() => Promise<void>) | undefined;

  private constructor(sql: Sql, cacheTtlMs: number, spendLog: SpendLogWriterOptions | undefined) {
    this.#sql = sql;
    this.#cache = new KeyCache(cacheTtlMs);
    this.spendLog = new SpendLogWriter(sql, spendLog);
  }

  /** Connects, migrates and starts listening for changes. */
  static async open(options: PostgresKeyStoreOptions): Promise<PostgresKeyStore> {
    const sql = postgres(options.url, {
      max: options.maxConnections ?? 10,
      onnotice: false,
      // Not postgres.js's 30 s: a database that does not answer is told within seconds.
      connect_timeout: 5,
    });
    const store = new PostgresKeyStore(sql, options.cacheTtlMs ?? 10_000, options.spendLog);
    try {
      await migrate(sql);
      // Cleared again on every (re)connection of the listener: a notice may have been missed.
      const listening = await sql.listen(
        CHANNEL,
        (from) => {
          if (from !== store.#instanceId) store.#cache.clear();
        },
        () => store.#cache.clear(),
      );
      store.#unlisten = () => listening.unlisten();
    } catch (error) {
      await store.spendLog.close();
      await sql.end({ timeout: 1 });
      throw error;
    }
    return store;
  }

  lookup(sha256: string): GatewayKey | undefined | Promise<GatewayKey | undefined> {
    return this.#cache.get(sha256, async (hash) => {
      const rows = this.#sql<KeyWithTeamRow[]>`
        select k.*, t.requests_per_minute as t_requests_per_minute,
          t.tokens_per_minute as t_tokens_per_minute, t.budget_usd_per_day as t_budget_usd_per_day,
          t.budget_usd_per_month as t_budget_usd_per_month
        from matey.keys k left join matey.teams t on t.id = k.team_id
        where k.key_sha256 = ${hash} and k.revoked_at is null`;
      const [row] = await rows.catch((error: unknown) => {
        throw new KeyStoreUnavailableError(error);
      });
      return row && gatewayKey(row);
    });
  }

  async createTeam(input: TeamInput): Promise<TeamRecord> {
    const row = { id: newId('team'), ...this.#columns(input) };
    const [created] = await this.#sql<TeamRow[]>`insert into matey.teams ${this.#sql(row)} returning *`;
    return teamRecord(required(created));
  }

  async listTeams(): Promise<TeamRecord[]> {
    return (await this.#sql<TeamRow[]>`select * from matey.teams order by created_at, id`).map(teamRecord);
  }

  async getTeam(id: string): Promise<TeamRecord | undefined> {
    const [row] = await this.#sql<TeamRow[]>`select * from matey.teams where id = ${id}`;
    return row && teamRecord(row);
  }

  async updateTeam(id: string, patch: TeamPatch): Promise<TeamRecord | undefined> {
    const columns = this.#columns(patch);
    if (Object.keys(columns).length === 0) return this.getTeam(id);
    const [row] = await this.#sql<TeamRow[]>`
      update matey.teams set ${this.#sql({ ...columns, updated_at: new Date() })} where id = ${id} returning *`;
    await this.#changed();
    return row && teamRecord(row);
  }

  async deleteTeam(id: string): Promise<boolean> {
    // Revoked keys let go of the team; a live key keeps it (the foreign key refuses the delete).
    const deleted = await this.#sql
      .begin(async (tx) => {
        await tx`update matey.keys set team_id = null where team_id = ${id} and revoked_at is not null`;
        return tx`delete from matey.teams where id = ${id}`;
      })
      .catch((error: unknown) => {
        // A live key made for the team meanwhile: the foreign key refused the delete.
        if ((error as { code?: string }).code !== '23503') throw error;
        throw new AdminApiError({
          status: 409,
          message: `Team '${id}' still has live keys: revoke them first`,
        });
      });
    await this.#changed();
    return deleted.count > 0;
  }

  async countLiveKeys(teamId: string): Promise<number> {
    const [row] = await this.#sql<{ count: number }[]>`
      select count(*)::int as count from matey.keys where team_id = ${teamId} and revoked_at is null`;
    return row?.count ?? 0;
  }

  async createKey(input: KeyInput, hash: KeyHash): Promise<KeyRecord> {
    const row = {
      id: newId('key'),
      key_sha256: hash.sha256,
      key_prefix: hash.prefix,
      ...this.#columns(input),
    };
    const [created] = await this.#sql<KeyRow[]>`insert into matey.keys ${this.#sql(row)} returning *`.catch(
      refusedCheck,
    );
    // Unknown hashes are cached too: the new key's must be forgotten everywhere.
    await this.#changed();
    return keyRecord(required(created));
  }

  async listKeys(filter: { teamId?: string }): Promise<KeyRecord[]> {
    const rows = filter.teamId
      ? await this.#sql<
          KeyRow[]
        >`select * from matey.keys where team_id = ${filter.teamId} order by created_at, id`
      : await this.#sql<KeyRow[]>`select * from matey.keys order by created_at, id`;
    return rows.map(keyRecord);
  }

  async getKey(id: string): Promise<KeyRecord | undefined> {
    const [row] = await this.#sql<KeyRow[]>`select * from matey.keys where id = ${id}`;
    return row && keyRecord(row);
  }

  async updateKey(id: string, patch: KeyPatch): Promise<KeyRecord | undefined> {
    const columns = this.#columns(patch);
    if (Object.keys(columns).length === 0) return this.getKey(id);
    const [row] = await this.#sql<KeyRow[]>`
      update matey.keys set ${this.#sql({ ...columns, updated_at: new Date() })} where id = ${id} returning *`.catch(
      refusedCheck,
    );
    await this.#changed();
    return row && keyRecord(row);
  }

  async rotateKey(id: string, hash: KeyHash): Promise<KeyRecord | undefined> {
    const [row] = await this.#sql<KeyRow[]>`
      update matey.keys set key_sha256 = ${hash.sha256}, key_prefix = ${hash.prefix}, updated_at = now()
      where id = ${id} and revoked_at is null returning *`;
    await this.#changed();
    return row && keyRecord(row);
  }

  async revokeKey(id: string): Promise<KeyRecord | undefined> {
    const [row] = await this.#sql<KeyRow[]>`
      update matey.keys set revoked_at = coalesce(revoked_at, now()), updated_at = now()
      where id = ${id} returning *`;
    await this.#changed();
    return row && keyRecord(row);
  }

  spend(query: SpendQuery): Promise<SpendGroup[]> {
    return querySpend(this.#sql, query);
  }

  /** Each key's and team's logged spend in the budget windows holding `now`, for `reconcileBudgetCounters`. */
  loggedBudgetSpend(now: number = Date.now()): Promise<LoggedSpend[]> {
    return loggedBudgetSpend(this.#sql, now);
  }

  /** Whether the database answers (for readiness checks). */
  async ping(): Promise<boolean> {
    try {
      await this.#sql`select 1`;
      return true;
    } catch {
      return false;
    }
  }

  /** Writes the spend log's queue, stops listening and closes the pool. */
  async close(): Promise<void> {
    await this.spendLog.close();
    // With the database away, unlisten waits for a connection that may never come.
    const unlistened = this.#unlisten?.().catch(() => undefined);
    await Promise.race([unlistened, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    await this.#sql.end({ timeout: 5 });
  }

  /** Clears this replica's cache now and every other one's on the NOTIFY. */
  async #changed(): Promise<void> {
    this.#cache.clear();
    await this.#sql`select pg_notify(${CHANNEL}, ${this.#instanceId})`;
  }

  #columns(patch: KeyPatch | TeamPatch): Record<string, postgres.ParameterOrJSON<never>> {
    const columns = columnsOf(patch);
    if (columns.metadata !== undefined)
      columns.metadata = this.#sql.json(columns.metadata as postgres.JSONValue);
    return columns as Record<string, postgres.ParameterOrJSON<never>>;
  }
}

function newId(kind: 'key' | 'team'): string {
  return `${kind}_${randomBytes(12).toString('hex')}`;
}

function required<T>(row: T | undefined): T {
  if (row === undefined) throw new Error('PostgreSQL returned no row for an insert');
  return row;
}

/** A key change the database's checks refuse (a wait queue without a cap) as the admin API's 400. */
function refusedCheck(error: unknown): never {
  const { code, constraint_name: constraint } = error as { code?: string; constraint_name?: string };
  if (code !== '23514' || constraint !== 'keys_queue_needs_max_concurrent') throw error;
  throw new AdminApiError({
    status: 400,
    message: 'maxQueue and queueTimeoutMs need maxConcurrent: set it, or clear them too',
    param: 'maxConcurrent',
  });
}
