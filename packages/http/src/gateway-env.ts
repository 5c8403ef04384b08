import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { SseSource } from './sse-response.ts';

/**
 * The gateway's Hono environment: the Node request and response of `@hono/node-server`, the
 * call's id (set by the request-id middleware before any route runs), and the event stream a
 * route answered with, for `sseWriter` to write.
 */
export interface GatewayEnv {
  Bindings: HttpBindings;
  Variables: { requestId: string; sseSource: SseSource | undefined };
}

/** A route's context in the gateway. */
export type GatewayContext = Context<GatewayEnv>;
