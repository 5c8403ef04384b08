import type { HttpBindings } from '@hono/node-server';
import type { Bridge, ChatResponse, Middleware, ModelCatalog, Router } from 'ai.matey.core';
import type { KeyValueStore } from 'ai.matey.middleware';
import type { MiddlewareHandler } from 'hono';
import type { AdminOptions } from './admin/admin-options.ts';
import type { DashboardOptions } from './dashboard/dashboard-options.ts';
import type { GatewayKeyConfig } from './gateway-keys.ts';
import type { KeyConcurrencyOptions } from './key-bulkhead.ts';
import type { KeySource } from './key-source.ts';
import type { BodyLimits } from './read-json-body.ts';
import type { OnStoreDown, StoreDownPolicy } from './store-health.ts';

export interface GatewayOptions {
  /** The Bridge every call goes through (its middleware chain and backend, usually a Router). */
  bridge: Bridge;
  /** The Router behind the bridge, if any: for circuit state, models and readiness. */
  router?: Router;
  /** Gateway API keys; when empty, the gateway is open (bind it to localhost). */
  keys?: GatewayKeyConfig[];
  /** Where keys not in `keys` are looked up (a database: `ai.matey.store.postgres`), beside them. */
  keySources?: KeySource[];
  /**
   * Middleware around every call at the policy point, outermost: it sees calls refused for their
   * key's models, rate limit or budget too, with the key's id in `metadata.apiKeyId`.
   */
  outerMiddleware?: Middleware[];
  /**
   * Per-key concurrency caps for keys without their own `maxConcurrent` (by key id), and the
   * refusal's `retry-after`. A key's own limits (config or database) always apply.
   */
  keyConcurrency?: KeyConcurrencyOptions;
  /** Serve the admin API under `/admin/` (keys and teams), for holders of its own key only. */
  admin?: AdminOptions;
  /**
   * Serve the dashboard at `/dashboard/` (live traffic, latency, errors, cost, circuits, latest
   * calls; key management through the admin API when `admin` is set), its data for holders of
   * the admin master key only.
   */
  dashboard?: DashboardOptions;
  /** Request limits: body size, JSON depth, body arrival time (`bodyTimeoutMs`), messages. */
  limits?: Partial<BodyLimits> & {
    /** Most messages accepted in one request. Default 1,000. */
    maxMessages?: number;
  };
  /**
   * Browser origins allowed (`*` for any), for CORS and for WebSocket upgrades. When absent,
   * CORS is off and a WebSocket upgrade carrying an `Origin` header is refused (403).
   */
  corsOrigins?: string[];
  /** Where per-key rate limits and budgets are counted (share it between replicas). Default: in memory. */
  store?: KeyValueStore;
  /**
   * What per-key rate limits and budgets do while `store` is unreachable: `fail-closed` (refuse
   * the calls they cover with 503 `store_unavailable`) or `fail-open` (serve them uncounted), for
   * both or each (`{ rateLimits, budgets }`). Default `fail-closed` for both.
   */
  onStoreDown?: StoreDownPolicy | Partial<OnStoreDown>;
  /** Told once when `store` stops answering, and once when it answers again. */
  onStoreChange?: (state: 'up' | 'down') => void;
  /**
   * How long a reply can be continued by its id (the Responses API's `previous_response_id`), in
   * `store`, in ms. Default 24 h.
   */
  responseTtlMs?: number;
  /** Model prices for per-key budgets; required when a key has `budgetUsdPerDay`. */
  catalog?: ModelCatalog;
  /** Model aliases resolved by the bridge (`cheap: openai/gpt-4o-mini`): a key allowed an alias may use its target. */
  modelAliases?: Record<string, string>;
  /**
   * Providers (router backend names) that may receive request fields the gateway does not
   * know. Default none: such a request is refused with 400 `unknown_parameter`.
   */
  passThroughProviders?: string[];
  /** Trust `X-Forwarded-For` for the client address (only behind your own proxy). Default false. */
  trustProxy?: boolean;
  /**
   * The USD cost of a reply (a chat or an embeddings reply: its model, provider and usage), for
   * the `x-matey-cost-usd` header and the cost metric.
   */
  costOf?(reply: Pick<ChatResponse, 'model' | 'provider' | 'usage'>): number | undefined;
  /** Readiness checks beyond "backends configured" (stores reachable, …). */
  readinessChecks?: Array<() => Promise<boolean>>;
  /**
   * Serve `/metrics`: the gateway's metrics and Node's process metrics (`process_*`, `nodejs_*`).
   * Only to the holder of `metricsKey` when set, else (with keys configured) to a key holder.
   * Default true.
   */
  metrics?: boolean;
  /** The one secret `/metrics` asks for (`Authorization: Bearer <metricsKey>`), for a scraper: gateway keys are refused. */
  metricsKey?: string;
  /**
   * Hono middleware run around every route, in order (tracing, security headers, say). Every reply
   * passes back through them, event streams, errors and 404s included: after `await next()`,
   * `c.res` is the reply, to read or change. Set headers there (a header set with `c.header()`
   * before `next` does not reach the gateway's own replies).
   */
  use?: Array<MiddlewareHandler<{ Bindings: HttpBindings }>>;
  /**
   * Secrets to scrub from everything the gateway sends or logs (provider API keys, store
   * passwords), registered process-wide at creation with `registerSecret`. Gateway keys given
   * in plain text (`keys[].key`) are registered too.
   */
  secrets?: string[];
  /**
   * Longest wait for a plain reply, or for a stream's first event, retries and fallbacks included;
   * past it the caller gets a 504 (`request_timeout`) and the upstream call is cancelled.
   * Default 600,000 (10 min).
   */
  requestTimeoutMs?: number;
  /**
   * Longest silence between two events of a started stream; past it the stream ends with an
   * error event (`stream_idle_timeout`) and the upstream call is cancelled. Default 120,000 (2 min).
   */
  streamIdleTimeoutMs?: number;
  /**
   * Model ids the `model` metrics label may take (as `id` or `provider/id`); any other becomes
   * `other`, so an upstream cannot grow the label set without end. Without a list, the first 100
   * distinct names are kept, then `other`.
   */
  knownModels?: Iterable<string>;
}
