import type { Bridge, ChatResponse, Router } from 'ai.matey.core';
import type { GatewayKeyConfig } from './gateway-keys.ts';
import type { BodyLimits } from './read-json-body.ts';

export interface GatewayOptions {
  /** The Bridge every call goes through (its middleware chain and backend, usually a Router). */
  bridge: Bridge;
  /** The Router behind the bridge, if any: for circuit state, models and readiness. */
  router?: Router;
  /** Gateway API keys; when empty, the gateway is open (bind it to localhost). */
  keys?: GatewayKeyConfig[];
  limits?: Partial<BodyLimits> & {
    /** Most messages accepted in one request. Default 1,000. */
    maxMessages?: number;
  };
  /** Allowed CORS origins (`*` for any). CORS is off when absent. */
  corsOrigins?: string[];
  /** Trust `X-Forwarded-For` for the client address (only behind your own proxy). Default false. */
  trustProxy?: boolean;
  /** The USD cost of a reply, for the `x-matey-cost-usd` header and the cost metric. */
  costOf?: (response: ChatResponse) => number | undefined;
  /** Readiness checks beyond "backends configured" (stores reachable, …). */
  readinessChecks?: Array<() => Promise<boolean>>;
  /** Serve `/metrics`. Default true. */
  metrics?: boolean;
  /**
   * Secrets to scrub from everything the gateway sends or logs (provider API keys, store
   * passwords), registered process-wide at creation with `registerSecret`. Gateway keys given
   * in plain text (`keys[].key`) are registered too.
   */
  secrets?: string[];
}
