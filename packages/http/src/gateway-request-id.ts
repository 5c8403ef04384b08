import { createRequestId } from 'ai.matey.core/internal';
import type { MiddlewareHandler } from 'hono';
import type { GatewayEnv } from './gateway-env.ts';

// Ids a log line or a header can carry as they are; anything else is replaced.
const WELL_FORMED = /^[\w.:-]{1,128}$/;

/**
 * The call's id in `c.get('requestId')` (and on every reply as `x-request-id`, set by
 * `jsonReply`): the caller's own `x-request-id` when it is well formed, a new one otherwise.
 * (Hono's `requestId` middleware would refuse ids with `.` or `:`, which tracing systems send.)
 *
 * @example
 * app.use('*', gatewayRequestId());
 */
export function gatewayRequestId(): MiddlewareHandler<GatewayEnv> {
  return async function gatewayRequestIdMiddleware(c, next) {
    // Node's parsed headers: asking `c.req` would build a web `Headers` copy of all of them.
    const given = c.env.incoming.headers['x-request-id'];
    const id = typeof given === 'string' && WELL_FORMED.test(given) ? given : createRequestId();
    c.set('requestId', id);
    await next();
  };
}
