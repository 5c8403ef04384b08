import type { IncomingMessage } from 'node:http';
import { type ChatResponse, type StreamEvent, toAiMateyError, UpstreamServerError } from 'ai.matey.core';
import type { ChatPathInfo, WireCodec } from 'ai.matey.wire';
import { CallControl, type CallLimits } from './call-control.ts';
import { chatStreamSource, labelled } from './chat-stream-source.ts';
import { errorReply } from './error-reply.ts';
import type { GatewayContext } from './gateway-env.ts';
import type { GatewayKey, KeyPlaces } from './gateway-keys.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import type { GatewayPolicy } from './gateway-policy.ts';
import { jsonReply } from './json-reply.ts';
import { type BodyLimits, readJsonBody } from './read-json-body.ts';
import { replyHeaders } from './reply-headers.ts';
import { sseResponse } from './sse-response.ts';
import { resolveStoredReferences } from './stored-response-endpoint.ts';
import { StreamProgress } from './stream-progress.ts';
import { untilAborted } from './until-aborted.ts';

export interface ChatEndpointDeps extends CallLimits {
  /** Admits each call (key, models, fields, limits, budget) and runs it. */
  policy: GatewayPolicy;
  limits: BodyLimits;
  metrics: GatewayMetrics | undefined;
  /** The USD cost of a reply (chat or embeddings), from its model, provider and usage. */
  costOf: ((reply: Pick<ChatResponse, 'model' | 'provider' | 'usage'>) => number | undefined) | undefined;
  /**
   * Authenticates the call (throws an AuthenticationError); undefined when keys are off. `places`:
   * where the caller's protocol puts the key besides the usual headers (`InboundRoutes.apiKey`).
   */
  authenticate: (incoming: IncomingMessage, places?: KeyPlaces) => Promise<GatewayKey | undefined>;
  clientAddress: (incoming: IncomingMessage) => string | undefined;
  /** The `model` metrics label for a reply's model: a known id, or `other`. */
  modelLabel: (provider: string, model: string) => string;
  /** A call refused before the policy point saw it (no key, a bad body): for the dashboard. */
  onRefused?: ((requestId: string, errorKind: string, latencyMs: number) => void) | undefined;
}

/**
 * One chat endpoint for one wire format: decode with the caller's codec, run through the
 * Bridge, encode the reply (JSON or SSE) with the same codec. The OpenAI and Anthropic
 * endpoints are this function with different codecs.
 */
export async function serveChat(
  endpoint: string,
  codec: WireCodec,
  deps: ChatEndpointDeps,
  c: GatewayContext,
  /** What the call's path says (model, streaming) for protocols that put it there. */
  path?: ChatPathInfo,
): Promise<Response> {
  const { incoming } = c.env;
  const requestId = c.get('requestId');
  const started = performance.now();
  const call = new CallControl(deps, c.env.outgoing);
  let events: AsyncIterator<StreamEvent> | undefined;
  let admitted = false;
  try {
    const key = await deps.authenticate(incoming, codec.inbound?.apiKey);
    // Read from Node's request, not `c.req`: refused as soon as it passes the limit, with no copy.
    const raw = await readJsonBody(incoming, deps.limits, call.signal);
    // References to replies this key stored (Responses' `item_reference`) become what they name.
    const body = await resolveStoredReferences(codec, raw, key, deps.policy);
    const { request, stream, options } = codec.decodeCall(body, path, incoming.headers);
    request.metadata = {
      ...request.metadata,
      userId: request.user ?? key?.id ?? deps.clientAddress(incoming) ?? 'anonymous',
    };
    const callOptions = { signal: call.signal, requestId };
    admitted = true;
    if (!stream) {
      const response = await untilAborted(deps.policy.execute(key, request, callOptions), call.signal);
      call.end();
      const cost = deps.costOf?.(response);
      const reply = jsonReply(
        c,
        codec.encodeResponse(response, options),
        200,
        replyHeaders(requestId, response, cost),
      );
      deps.metrics?.recordSuccess(
        endpoint,
        labelled(response, deps),
        performance.now() - started,
        false,
        cost,
      );
      return reply;
    }
    events = deps.policy.stream(key, request, callOptions)[Symbol.asyncIterator]();
    // Wait for the first event before answering: a failure before it is a plain HTTP error.
    const first = await untilAborted(events.next(), call.signal);
    if (first.done) {
      throw new UpstreamServerError({
        message: 'The upstream stream ended before sending anything',
        code: 'empty_stream',
      });
    }
    call.streaming();
    const progress = new StreamProgress(first.value);
    deps.metrics?.recordFirstEvent(
      endpoint,
      progress.provider,
      deps.modelLabel(progress.provider, progress.model),
      performance.now() - started,
    );
    const source = chatStreamSource({
      endpoint,
      codec,
      deps,
      call,
      events,
      progress,
      started,
      options,
      first: first.value,
    });
    return sseResponse(c, progress.headers(requestId), source);
  } catch (error) {
    call.end();
    if (events) {
      // Ended before it was answered (client gone, error, shutdown): the upstream call stops too.
      call.abort();
      events.return?.().catch(() => {});
    }
    const typed = toAiMateyError(error);
    if (!admitted) deps.onRefused?.(requestId, typed.kind, performance.now() - started);
    // The status the caller sees (an Anthropic caller gets 529 for any overload), not the upstream's.
    deps.metrics?.recordError(endpoint, typed.kind, codec.encodeError(typed).status, typed.provider);
    // Refused before its body was read (too large, no key): close rather than drain the rest.
    return errorReply(c, codec, typed, incoming.complete ? {} : { connection: 'close' });
  }
}
