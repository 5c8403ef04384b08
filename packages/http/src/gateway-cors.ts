import { cors } from 'hono/cors';
import type { GatewayPolicy } from './gateway-policy.ts';

/** What a browser may read of a reply: who served it, what it cost, and retry hints on errors. */
const EXPOSED_HEADERS = [
  'x-request-id',
  'x-matey-provider',
  'x-matey-model',
  'x-matey-backend',
  'x-matey-attempts',
  'x-matey-cost-usd',
  'x-matey-warnings',
  'x-matey-guardrail',
  'x-matey-token-count',
  'x-matey-cache',
  'x-matey-cache-similarity',
  'retry-after',
  'retry-after-ms',
];

/**
 * Hono's CORS middleware for the origins the policy allows (`corsOrigins`; `*` for any): the
 * same origin check the WebSocket upgrade makes. A preflight is answered 204, with the methods
 * and the requested headers for an allowed origin only.
 *
 * @example
 * app.use('*', gatewayCors(policy, options.corsOrigins.includes('*')));
 */
export function gatewayCors(policy: Pick<GatewayPolicy, 'allowsOrigin'>, anyOrigin: boolean) {
  return cors({
    origin: anyOrigin ? '*' : (origin) => (origin !== '' && policy.allowsOrigin(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}
