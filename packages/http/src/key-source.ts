import type { GatewayKey } from './gateway-keys.ts';

/**
 * Where gateway keys come from besides the config file (a database, say). The keyring asks each
 * source in turn for the key whose secret hashes to a SHA-256; a source answers from memory when
 * it can (it is asked on every request), and only reaches its store on a cache miss.
 *
 * @example
 * const source: KeySource = { lookup: (sha256) => cache.get(sha256) ?? database.find(sha256) };
 * const gateway = createGateway({ bridge, keySources: [source] });
 */
export interface KeySource {
  /** The live (not revoked) key for this hash (hex, lower case), or undefined when unknown. */
  lookup(sha256: string): GatewayKey | undefined | Promise<GatewayKey | undefined>;
}

/** The shared limits of a team, counted once for all its keys. */
export interface TeamLimits {
  id: string;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  budgetUsdPerDay?: number;
  budgetUsdPerMonth?: number;
}
