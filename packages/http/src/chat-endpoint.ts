import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ChatResponse,
  redactSecrets,
  type StreamEvent,
  TimeoutError,
  toAiMateyError,
  UpstreamServerError,
} from 'ai.matey.core';
import { createRequestId } from 'ai.matey.core/internal';
import type { ChatPathInfo, WireCodec } from 'ai.matey.wire';
import type { GatewayKey } from './gateway-keys.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import type { GatewayPolicy } from './gateway-policy.ts';
import { type BodyLimits, readJsonBody } from './read-json-body.ts';
import { replyHeaders } from './reply-headers.ts';
import { sendError, sendJson } from './send-json.ts';
import { SseResponse } from './sse-response.ts';
import { StreamProgress } from './stream-progress.ts';
import { untilAborted } from './until-aborted.ts';

export interface ChatEndpointDeps {
  /** Admits each call (key, models, fields, limits, budget) and runs it. */
  policy: GatewayPolicy;
  limits: BodyLimits;
  metrics: GatewayMetrics | undefined;
  /** The USD cost of a reply (chat or embeddings), from its model, provider and usage. */
  costOf: ((reply: Pick<ChatResponse, 'model' | 'provider' | 'usage'>) => number | undefined) | undefined;
  /** Authenticates the call (throws an AuthenticationError); undefined when keys are off. */
  authenticate: (incoming: IncomingMessage) => GatewayKey | undefined;
  clientAddress: (incoming: IncomingMessage) => string | undefined;
  /** Aborted when the gateway stops (after the shutdown grace period), with the error to report. */
  shutdownSignal: AbortSignal;
  /** Longest a plain call, or a stream until its first event, may take (retries and fallbacks included). */
  requestTimeoutMs: number;
  /** Longest silence between two events of a stream that has started. */
  streamIdleTimeoutMs: number;
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
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  /** What the call's path says (model, streaming) for protocols that put it there. */
  path?: ChatPathInfo,
): Promise<void> {
  const requestId = headerValue(incoming, 'x-request-id') ?? createRequestId();
  const started = performance.now();
  const controller = new AbortController();
  const onClose = () => {
    if (!outgoing.writableFinished) controller.abort();
  };
  outgoing.once('close', onClose);
  const onShutdown = () => controller.abort(deps.shutdownSignal.reason);
  if (deps.shutdownSignal.aborted) onShutdown();
  else deps.shutdownSignal.addEventListener('abort', onShutdown, { once: true });
  let deadline = setTimeout(
    () => controller.abort(requestTimedOut(deps.requestTimeoutMs)),
    deps.requestTimeoutMs,
  );
  let streamStarted = false;
  let iterator: AsyncIterator<StreamEvent> | undefined;
  let streamDone = false;
  try {
    const key = deps.authenticate(incoming);
    const body = await readJsonBody(incoming, deps.limits, controller.signal);
    const { request, stream, options } = codec.decodeCall(body, path);
    request.metadata = {
      ...request.metadata,
      userId: request.user ?? key?.id ?? deps.clientAddress(incoming) ?? 'anonymous',
    };
    const callOptions = { signal: controller.signal, requestId };
    if (!stream) {
      const response = await untilAborted(deps.policy.execute(key, request, callOptions), controller.signal);
      const cost = deps.costOf?.(response);
      sendJson(outgoing, 200, codec.encodeResponse(response), replyHeaders(requestId, response, cost));
      // Counted once it is sent: a reply that could not be sent is an error, not also a success.
      deps.metrics?.recordSuccess(
        endpoint,
        labelled(response, deps),
        performance.now() - started,
        false,
        cost,
      );
      return;
    }
    iterator = deps.policy.stream(key, request, callOptions)[Symbol.asyncIterator]();
    const events = iterator;
    // Wait for the first event before answering: a failure before it is a plain HTTP error.
    const first = await untilAborted(events.next(), controller.signal);
    if (first.done) {
      throw new UpstreamServerError({
        message: 'The upstream stream ended before sending anything',
        code: 'empty_stream',
      });
    }
    // Streaming: from here a silence, not the stream's length, is what is limited (a long answer
    // may rightly take longer than the deadline; a hung upstream may not go quiet for long).
    clearTimeout(deadline);
    deadline = setTimeout(
      () => controller.abort(streamWentQuiet(deps.streamIdleTimeoutMs)),
      deps.streamIdleTimeoutMs,
    );
    const sse = new SseResponse(outgoing);
    const encoder = codec.createStreamEncoder(options);
    const progress = new StreamProgress(first.value);
    sse.start(progress.headers(requestId));
    streamStarted = true;
    deps.metrics?.recordFirstEvent(
      endpoint,
      progress.provider,
      deps.modelLabel(progress.provider, progress.model),
      performance.now() - started,
    );
    try {
      await sse.write(encoder.encode(first.value));
      while (!sse.closed) {
        // The backend watches the signal from here (no race per event: it would cost ~3 µs each).
        const next = await events.next();
        if (next.done) break;
        progress.see(next.value);
        deadline.refresh();
        await sse.write(encoder.encode(next.value));
      }
      if (sse.closed) return;
      streamDone = true;
      sse.end(encoder.end());
      const response = progress.response();
      deps.metrics?.recordSuccess(
        endpoint,
        labelled(response, deps),
        performance.now() - started,
        true,
        deps.costOf?.(response),
      );
    } catch (error) {
      const typed = toAiMateyError(error);
      deps.metrics?.recordError(endpoint, typed.kind, codec.encodeError(typed).status, typed.provider);
      // After the first event the status is sent: report in the stream's own error format.
      sse.end(redactSecrets(encoder.error(typed)));
    }
  } catch (error) {
    const typed = toAiMateyError(error);
    const encoded = codec.encodeError(typed);
    // The status the caller sees (an Anthropic caller gets 529 for any overload), not the upstream's.
    deps.metrics?.recordError(endpoint, typed.kind, encoded.status, typed.provider);
    if (!streamStarted && !outgoing.headersSent && !outgoing.destroyed) {
      // Refused before its body was read (too large, no key): close rather than drain the rest.
      sendError(outgoing, codec, typed, requestId, incoming.complete ? {} : { connection: 'close' });
    }
  } finally {
    clearTimeout(deadline);
    outgoing.off('close', onClose);
    deps.shutdownSignal.removeEventListener('abort', onShutdown);
    if (iterator && !streamDone) {
      // Ended early (client gone, error, headers refused, shutdown): the upstream call stops too.
      controller.abort();
      iterator.return?.().catch(() => {});
    }
  }
}

function streamWentQuiet(ms: number): TimeoutError {
  return new TimeoutError({
    message: `The stream made no progress for ${ms} ms; it was stopped`,
    code: 'stream_idle_timeout',
    isRetryable: true,
  });
}

function requestTimedOut(ms: number): TimeoutError {
  return new TimeoutError({
    message: `The request took longer than the gateway's limit of ${ms} ms`,
    code: 'request_timeout',
    isRetryable: true,
  });
}

/** The reply with its model as the metrics label (bounded: a known id or `other`). */
function labelled(response: ChatResponse, deps: ChatEndpointDeps): ChatResponse {
  return { ...response, model: deps.modelLabel(response.provider || 'unknown', response.model || 'unknown') };
}

function headerValue(incoming: IncomingMessage, name: string): string | undefined {
  const value = incoming.headers[name];
  return typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value) ? value : undefined;
}
