import type { IncomingHttpHeaders } from 'node:http';
import { RateLimitError } from 'ai.matey.core';
import { estimateTokens } from '../scripted-response.ts';
import { sendError } from './http-io.ts';
import { personaOf } from './mock-personas.ts';
import type { MockEmbedReplySource, MockUpstreamReply } from './mock-upstream-reply.ts';
import type { SlidingWindowRateLimiter } from './rate-limiter.ts';
import type { Exchange } from './reply-writer.ts';
import type { MockUpstreamRequest } from './request-log.ts';
import type { MockRoute } from './route-request.ts';
import { decodeEmbedCall, serveEmbedReply } from './serve-embed.ts';

/** What the mock upstream lends one embedding call. */
export interface EmbedCallDeps {
  provider: string;
  bodyText: string;
  headers: IncomingHttpHeaders;
  limiter: SlidingWindowRateLimiter | undefined;
  defaults: MockUpstreamReply | undefined;
  /** The call's index among all calls, and the reply queued for it, if any. */
  nextCall(): { callIndex: number; queued: MockUpstreamReply | undefined };
  reply: MockEmbedReplySource;
}

/**
 * One embedding call at the mock upstream: decode it with the protocol's codec (its own error
 * body when it does not decode), count it against the rate limit, then serve the queued reply or
 * the embedding reply source, faults included.
 */
export async function serveEmbedCall(
  exchange: Exchange,
  entry: MockUpstreamRequest,
  route: Extract<MockRoute, { kind: 'embed' }>,
  deps: EmbedCallDeps,
): Promise<void> {
  const { codec, embeddings } = route;
  const { provider } = deps;
  entry.protocol = codec.protocol;
  const call = decodeEmbedCall(embeddings, route.path, deps.bodyText, provider);
  entry.body = call.body;
  if (!call.ok) return sendError(exchange, codec, call.error);
  const model = call.request.model ?? personaOf(codec.protocol).models[0] ?? 'mock-embedding';
  entry.model = model;
  const decision = deps.limiter?.take(estimateTokens(deps.bodyText.length));
  if (decision && !decision.allowed) {
    const error = new RateLimitError({
      message: 'Rate limit reached for requests. Please try again later.',
      provider,
      code: 'rate_limit_exceeded',
      retryAfterMs: decision.retryAfterMs,
    });
    return sendError(exchange, codec, error, { retryAfterMs: decision.retryAfterMs }, decision.headers);
  }
  const { callIndex, queued } = deps.nextCall();
  entry.callIndex = callIndex;
  const source = deps.reply;
  const context = { protocol: codec.protocol, model, stream: false, headers: deps.headers, callIndex };
  const reply = queued ?? (typeof source === 'function' ? await source(call.request, context) : source);
  await serveEmbedReply(exchange, deps.defaults ? { ...deps.defaults, ...reply } : reply, {
    codec,
    embeddings,
    provider,
    request: call.request,
    options: call.options,
    model,
    headers: decision?.headers ?? {},
  });
}
