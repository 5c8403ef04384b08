import type { IncomingMessage } from 'node:http';
import {
  type AiMateyError,
  type ChatResponse,
  redactSecrets,
  type StreamEvent,
  toAiMateyError,
  UpstreamServerError,
} from 'ai.matey.core';
import type { ChatPathInfo, StreamEncoderOptions, WireCodec } from 'ai.matey.wire';
import { CallControl, type CallLimits } from './call-control.ts';
import { errorReply } from './error-reply.ts';
import type { GatewayContext } from './gateway-env.ts';
import type { GatewayKey, KeyPlaces } from './gateway-keys.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import type { GatewayPolicy } from './gateway-policy.ts';
import { type BodyLimits, readJsonBody } from './read-json-body.ts';
import { replyHeaders } from './reply-headers.ts';
import { sseResponse } from './sse-response.ts';
import { StreamProgress } from './stream-progress.ts';
import { untilAborted } from './until-aborted.ts';

export interface ChatEndpointDeps extends CallLimits {
  /** Admits each call (key, models, fields, limits, budget) and runs it. */
  policy: GatewayPolicy;
  limits: BodyLimits;
  metrics: GatewayMetrics | undefined;
  costOf: ((response: ChatResponse) => number | undefined) | undefined;
  /**
   * Authenticates the call (throws an AuthenticationError); undefined when keys are off. `places`:
   * where the caller's protocol puts the key besides the usual headers (`InboundRoutes.apiKey`).
   */
  authenticate: (incoming: IncomingMessage, places?: KeyPlaces) => GatewayKey | undefined;
  clientAddress: (incoming: IncomingMessage) => string | undefined;
  /** The `model` metrics label for a reply's model: a known id, or `other`. */
  modelLabel: (provider: string, model: string) => string;
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
  const call = new CallControl(deps, c.req.raw.signal);
  let events: AsyncIterator<StreamEvent> | undefined;
  try {
    const key = deps.authenticate(incoming, codec.inbound?.apiKey);
    // Read from Node's request, not `c.req`: refused as soon as it passes the limit, with no copy.
    const body = await readJsonBody(incoming, deps.limits, call.signal);
    const { request, stream, options } = codec.decodeCall(body, path);
    request.metadata = {
      ...request.metadata,
      userId: request.user ?? key?.id ?? deps.clientAddress(incoming) ?? 'anonymous',
    };
    const callOptions = { signal: call.signal, requestId };
    if (!stream) {
      const response = await untilAborted(deps.policy.execute(key, request, callOptions), call.signal);
      call.end();
      const cost = deps.costOf?.(response);
      const reply = c.json(codec.encodeResponse(response), 200, replyHeaders(requestId, response, cost));
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
    return streamReply(c, {
      endpoint,
      codec,
      deps,
      call,
      events,
      first: first.value,
      progress,
      started,
      options,
    });
  } catch (error) {
    call.end();
    if (events) {
      // Ended before it was answered (client gone, error, shutdown): the upstream call stops too.
      call.abort();
      events.return?.().catch(() => {});
    }
    const typed = toAiMateyError(error);
    // The status the caller sees (an Anthropic caller gets 529 for any overload), not the upstream's.
    deps.metrics?.recordError(endpoint, typed.kind, codec.encodeError(typed).status, typed.provider);
    // Refused before its body was read (too large, no key): close rather than drain the rest.
    return errorReply(c, codec, typed, incoming.complete ? {} : { connection: 'close' });
  }
}

interface StreamCall {
  endpoint: string;
  codec: WireCodec;
  deps: ChatEndpointDeps;
  call: CallControl;
  events: AsyncIterator<StreamEvent>;
  first: StreamEvent;
  progress: StreamProgress;
  started: number;
  options: StreamEncoderOptions;
}

/**
 * The SSE reply of a stream that has sent its first event. After it the status is sent: a failure
 * is reported in the stream's own error format, as its last event.
 */
function streamReply(c: GatewayContext, stream: StreamCall): Response {
  const { endpoint, codec, deps, call, events, progress } = stream;
  const encoder = codec.createStreamEncoder(stream.options);
  let pending: StreamEvent | undefined = stream.first;
  let ended = false;
  const end = (text: string): string => {
    ended = true;
    call.end();
    return text;
  };
  const failed = (error: unknown): string => {
    const typed: AiMateyError = toAiMateyError(error);
    deps.metrics?.recordError(endpoint, typed.kind, codec.encodeError(typed).status, typed.provider);
    return end(redactSecrets(encoder.error(typed)));
  };
  // A protocol may stream in another framing than SSE (Gemini's JSON array without `alt=sse`).
  const { contentType } = encoder;
  const headers = progress.headers(c.get('requestId'));
  return sseResponse(c, contentType ? { ...headers, 'content-type': contentType } : headers, {
    next: async () => {
      if (ended) return undefined;
      if (pending) {
        const event = pending;
        pending = undefined;
        return encoder.encode(event);
      }
      try {
        // The backend watches the signal from here (no race per event: it would cost ~3 µs each).
        const next = await events.next();
        if (next.done) {
          const response = progress.response();
          deps.metrics?.recordSuccess(
            endpoint,
            labelled(response, deps),
            performance.now() - stream.started,
            true,
            deps.costOf?.(response),
          );
          return end(encoder.end());
        }
        progress.see(next.value);
        call.progressed();
        return encoder.encode(next.value);
      } catch (error) {
        return failed(error);
      }
    },
    cancel: () => {
      if (ended) return;
      ended = true;
      call.abort();
      call.end();
      events.return?.().catch(() => {});
    },
  });
}

/** The reply with its model as the metrics label (bounded: a known id or `other`). */
function labelled(response: ChatResponse, deps: ChatEndpointDeps): ChatResponse {
  return { ...response, model: deps.modelLabel(response.provider || 'unknown', response.model || 'unknown') };
}
