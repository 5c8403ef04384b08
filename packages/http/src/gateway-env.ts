import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';

/**
 * The gateway's Hono environment: the Node request and response of `@hono/node-server`, and the
 * call's id, set by the request-id middleware before any route runs.
 */
export interface GatewayEnv {
  Bindings: HttpBindings;
  Variables: { requestId: string };
}

/** A route's context in the gateway. */
export type GatewayContext = Context<GatewayEnv>;
