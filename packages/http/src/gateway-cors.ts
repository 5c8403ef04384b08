import type { HttpBindings } from '@hono/node-server';
import type { MiddlewareHandler } from 'hono';

/** What a browser may read of a reply: who served it, what it cost, and retry hints on errors. */
const EXPOSED_HEADERS = [
  'x-request-id',
  'x-matey-provider',
  'x-matey-model',
  'x-matey-backend',
  'x-matey-attempts',
  'x-matey-cost-usd',
  'x-matey-warnings',
  'x-matey-token-count',
  'retry-after',
  'retry-after-ms',
].join(', ');

/**
 * CORS for the listed origins (`*` for any). The headers go straight onto the Node response,
 * not Hono's: the chat endpoints write SSE and errors to the socket themselves, and a header
 * set on Hono's response would never reach those replies.
 *
 * @example
 * app.use('*', gatewayCors(['https://app.example']));
 */
export function gatewayCors(origins: readonly string[]): MiddlewareHandler<{ Bindings: HttpBindings }> {
  const anyOrigin = origins.includes('*');
  return async function gatewayCorsMiddleware(c, next) {
    const outgoing = c.env.outgoing;
    const origin = c.req.header('origin');
    const allowed = anyOrigin ? '*' : origin !== undefined && origins.includes(origin) ? origin : undefined;
    if (!anyOrigin) outgoing.setHeader('vary', 'Origin');
    if (allowed !== undefined) outgoing.setHeader('access-control-allow-origin', allowed);
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined) {
      if (allowed !== undefined) {
        outgoing.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
        const requested = c.req.header('access-control-request-headers');
        if (requested) outgoing.setHeader('access-control-allow-headers', requested);
        outgoing.setHeader('access-control-max-age', '600');
      }
      return c.body(null, 204);
    }
    if (allowed !== undefined) outgoing.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    await next();
  };
}
