import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';

/**
 * Runs `handle` inside a SERVER span for one HTTP request. `route` is asked when the response
 * ends (the matched route, for the span name and `http.route`).
 */
export type HttpServerTracing = (
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  handle: () => Promise<void>,
  route?: () => string | undefined,
) => Promise<void>;

/**
 * SERVER spans by the HTTP semantic conventions: the caller's W3C `traceparent` (and baggage)
 * is extracted, so the span is a child of the caller's span and everything the handler starts
 * (the gen_ai span, the upstream call) is in the caller's trace. The span ends when the response
 * is closed, after the last byte of a stream. No header, query or body is recorded: an API key
 * or a prompt cannot end up in it.
 */
export function createHttpServerTracing(tracer: Tracer): HttpServerTracing {
  return async (incoming, outgoing, handle, route) => {
    const method = incoming.method ?? 'GET';
    const path = (incoming.url ?? '/').split('?')[0] ?? '/';
    const parent = propagation.extract(ROOT_CONTEXT, incoming.headers);
    const userAgent = incoming.headers['user-agent'];
    const span = tracer.startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': method,
          'url.path': path,
          'url.scheme': 'encrypted' in incoming.socket ? 'https' : 'http',
          ...(incoming.socket.remoteAddress ? { 'client.address': incoming.socket.remoteAddress } : {}),
          ...(userAgent ? { 'user_agent.original': userAgent } : {}),
        },
      },
      parent,
    );
    outgoing.once('close', () => {
      const matched = route?.();
      if (matched) {
        span.updateName(`${method} ${matched}`);
        span.setAttribute('http.route', matched);
      }
      if (outgoing.headersSent) {
        span.setAttribute('http.response.status_code', outgoing.statusCode);
        if (outgoing.statusCode >= 500) {
          span.setAttribute('error.type', String(outgoing.statusCode));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
      }
      // The client went away before the reply was complete (a stream it stopped reading).
      if (!outgoing.writableFinished) span.setAttribute('error.type', 'cancelled');
      span.end();
    });
    await context.with(trace.setSpan(parent, span), handle);
  };
}
