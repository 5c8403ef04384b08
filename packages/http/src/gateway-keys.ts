import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from 'ai.matey.core';
import type { KeySource, TeamLimits } from './key-source.ts';

/** A gateway API key as configured: the secret is stored only as its SHA-256 hash. */
export interface GatewayKeyConfig {
  /** A name for the key, used in logs, metrics and limits (never the secret). */
  id: string;
  /** SHA-256 of the key, hex. Or give `key` and it is hashed at load and discarded. */
  sha256?: string;
  key?: string;
  /** Models this key may use (exact ids or globs like `gpt-*`); all when absent. */
  allowedModels?: string[];
  /** Requests per minute for this key. */
  requestsPerMinute?: number;
  /** Spend limit in USD per day for this key. */
  budgetUsdPerDay?: number;
  /** Let this key's calls use the semantic cache, when the gateway has one. */
  semanticCache?: boolean;
  /** Calls of this key in flight at once (its bulkhead); uncapped when absent. */
  maxConcurrent?: number;
  /** Calls of this key that may wait for a slot (needs `maxConcurrent`). Default 0. */
  maxQueue?: number;
  /** Longest wait for a slot, in ms (needs `maxConcurrent`). Default 1,000. */
  queueTimeoutMs?: number;
}

/**
 * A key as the policy resolved it (the config file's, or a key source's as last looked up): the
 * one place its limits and opt-ins are read from, by the policy and by the middleware behind it
 * (`GatewayPolicy.keyById`).
 */
export interface GatewayKey {
  id: string;
  allowedModels?: string[];
  requestsPerMinute?: number;
  budgetUsdPerDay?: number;
  /** Tokens (input + output) per minute for this key. */
  tokensPerMinute?: number;
  /** Spend limit in USD per 30 days for this key. */
  budgetUsdPerMonth?: number;
  /** When the key stops working (ms since the epoch). */
  expiresAt?: number;
  /** The team whose shared limits this key's calls also count against. */
  team?: TeamLimits;
  /** Let this key's calls use the semantic cache, when the gateway has one. Default false. */
  semanticCache?: boolean;
  /** Calls of this key in flight at once (its bulkhead, 429 over it); uncapped when absent. */
  maxConcurrent?: number;
  /** Calls of this key that may wait for a slot. Default 0. */
  maxQueue?: number;
  /** Longest wait for a slot, in ms. Default 1,000. */
  queueTimeoutMs?: number;
}

export function hashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Checks presented keys against hashed ones. Lookup is by hash (the hash of a guess reveals
 * nothing), and the final comparison is constant-time.
 */
export class GatewayKeyring {
  readonly #byHash = new Map<string, { hash: Buffer; key: GatewayKey }>();
  readonly #sources: readonly KeySource[];

  /** The config file's keys, then each source (a database) for a hash they do not hold. */
  constructor(keys: GatewayKeyConfig[], sources: readonly KeySource[] = []) {
    this.#sources = sources;
    for (const config of keys) {
      const hex = config.sha256 ?? (config.key === undefined ? undefined : hashKey(config.key));
      if (!hex || !/^[0-9a-f]{64}$/i.test(hex))
        throw new TypeError(`Gateway key '${config.id}' needs a key or a sha256 hash`);
      const { key: _secret, sha256: _hash, ...rest } = config;
      this.#byHash.set(hex.toLowerCase(), { hash: Buffer.from(hex, 'hex'), key: rest });
    }
  }

  get enabled(): boolean {
    return this.#byHash.size > 0 || this.#sources.length > 0;
  }

  /**
   * The key for a presented secret, or an AuthenticationError (missing, unknown, revoked or
   * expired). A source that answers from its cache adds no round trip.
   */
  async authenticate(secret: string | undefined): Promise<GatewayKey> {
    if (!secret)
      throw new AuthenticationError({
        message: 'Missing API key: send Authorization: Bearer <key> or x-api-key',
      });
    const presented = createHash('sha256').update(secret).digest();
    const hex = presented.toString('hex');
    const entry = this.#byHash.get(hex);
    let key = entry && timingSafeEqual(entry.hash, presented) ? entry.key : undefined;
    for (const source of this.#sources) {
      if (key) break;
      key = await source.lookup(hex);
    }
    if (!key) throw new AuthenticationError({ message: 'Invalid API key', code: 'invalid_api_key' });
    if (key.expiresAt !== undefined && key.expiresAt <= Date.now())
      throw new AuthenticationError({ message: 'This API key has expired', code: 'expired_api_key' });
    return key;
  }
}

/** Where a protocol's clients put their key besides the usual headers (`InboundRoutes.apiKey`). */
export interface KeyPlaces {
  /** A header of its own (`x-goog-api-key`). */
  header?: string;
  /** A query parameter (`key`, as in `?key=…`). */
  query?: string;
}

/**
 * The key a client presented: `Authorization: Bearer …` or `x-api-key`, or where the caller's
 * protocol says its clients put it (`places`, read from the headers and the request's `url`).
 * The one place a gateway reads a key from a request.
 */
export function presentedKey(
  headers: Record<string, string | string[] | undefined>,
  url?: string,
  places?: KeyPlaces,
): string | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return apiKey;
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && /^bearer\s+/i.test(authorization))
    return authorization.replace(/^bearer\s+/i, '');
  const own = places?.header === undefined ? undefined : headers[places.header.toLowerCase()];
  if (typeof own === 'string' && own !== '') return own;
  const queryAt = url?.indexOf('?') ?? -1;
  if (places?.query === undefined || url === undefined || queryAt === -1) return undefined;
  return new URLSearchParams(url.slice(queryAt + 1)).get(places.query) || undefined;
}

/** Whether a key may use a model: any of its `allowedModels` (exact ids or `*` globs) matches one of the names. */
export function keyAllowsModel(key: GatewayKey | undefined, ...names: string[]): boolean {
  if (!key?.allowedModels) return true;
  return key.allowedModels.some((pattern) => names.some((name) => modelMatches(pattern, name)));
}

function modelMatches(pattern: string, model: string): boolean {
  if (!pattern.includes('*')) return pattern === model;
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(model);
}
