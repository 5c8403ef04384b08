import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AiMateyError,
  type ChatResponse,
  createRequestId,
  redactSecrets,
  type StreamEvent,
  toAiMateyError,
  UpstreamServerError,
  type Usage,
} from 'ai.matey.core';
import type { WireCodec } from 'ai.matey.wire';
import type { GatewayKey } from './gateway-keys.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import type { GatewayPolicy } from './gateway-policy.ts';
import { type BodyLimits, readJsonBody } from './read-json-body.ts';
import { SseResponse } from './sse-response.ts';

export interface ChatEndpointDeps {
  /** Admits each call (key, models, fields, limits, budget) and runs it. */
  policy: GatewayPolicy;
  limits: BodyLimits;
  metrics: GatewayMetrics | undefined;
  costOf: ((response: ChatResponse) => number | undefined) | undefined;
  /** Authenticates the call (throws an AuthenticationError); undefined when keys are off. */
  authenticate: (incoming: IncomingMessage) => GatewayKey | undefined;
  clientAddress: (incoming: IncomingMessage) => string | undefined;
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
): Promise<void> {
  const requestId = headerValue(incoming, 'x-request-id') ?? createRequestId();
  const started = performance.now();
  const controller = new AbortController();
  const onClose = () => {
    if (!outgoing.writableFinished) controller.abort();
  };
  outgoing.once('close', onClose);
  let streamStarted = false;
  try {
    const key = deps.authenticate(incoming);
    const body = await readJsonBody(incoming, deps.limits);
    const request = codec.decodeRequest(body);
    request.metadata = {
      ...request.metadata,
      userId: request.user ?? key?.id ?? deps.clientAddress(incoming) ?? 'anonymous',
    };
    const wire = body as { stream?: unknown; stream_options?: { include_usage?: unknown } };
    const callOptions = { signal: controller.signal, requestId };
    if (wire.stream !== true) {
      const response = await deps.policy.execute(key, request, callOptions);
      const cost = deps.costOf?.(response);
      deps.metrics?.recordSuccess(endpoint, response, performance.now() - started, false, cost);
      sendJson(outgoing, 200, codec.encodeResponse(response), replyHeaders(requestId, response, cost));
      return;
    }
    const iterator = deps.policy.stream(key, request, callOptions)[Symbol.asyncIterator]();
    // Wait for the first event before answering: a failure before it is a plain HTTP error.
    const first = await iterator.next();
    if (first.done) {
      throw new UpstreamServerError({
        message: 'The upstream stream ended before sending anything',
        code: 'empty_stream',
      });
    }
    const sse = new SseResponse(outgoing);
    const encoder = codec.createStreamEncoder({ includeUsage: wire.stream_options?.include_usage === true });
    const progress = new StreamProgress(first.value);
    deps.metrics?.recordFirstEvent(endpoint, progress.provider, progress.model, performance.now() - started);
    sse.start(progress.headers(requestId));
    streamStarted = true;
    try {
      await sse.write(encoder.encode(first.value));
      while (!sse.closed) {
        const next = await iterator.next();
        if (next.done) break;
        progress.see(next.value);
        await sse.write(encoder.encode(next.value));
      }
      if (sse.closed) {
        await iterator.return?.();
        return;
      }
      sse.end(encoder.end());
      const response = progress.response();
      deps.metrics?.recordSuccess(
        endpoint,
        response,
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
    outgoing.off('close', onClose);
  }
}

/** Tracks just what the gateway reports about a stream (no text kept). */
class StreamProgress {
  provider = 'unknown';
  model = 'unknown';
  id = '';
  backend: string | undefined;
  attempts: number | undefined;
  warnings: string[] = [];
  usage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };

  constructor(first: StreamEvent | undefined) {
    if (first) this.see(first);
  }

  see(event: StreamEvent): void {
    if (event.type === 'start') {
      this.provider = event.provider || this.provider;
      this.model = event.model || this.model;
      this.id ||= event.id;
      this.backend = event.routing?.backend ?? this.backend;
      this.attempts = event.routing?.attempts ?? this.attempts;
      for (const warning of event.warnings ?? []) this.warnings.push(warning.message);
    } else if (event.type === 'usage' || event.type === 'finish') this.usage = event.usage;
  }

  headers(requestId: string): Record<string, string> {
    const headers: Record<string, string> = {
      'x-request-id': requestId,
      'x-matey-provider': headerSafe(this.provider),
      'x-matey-model': headerSafe(this.model),
    };
    if (this.attempts !== undefined) headers['x-matey-attempts'] = String(this.attempts);
    if (this.backend) headers['x-matey-backend'] = this.backend;
    if (this.warnings.length > 0) headers['x-matey-warnings'] = headerSafe(this.warnings.join('; '));
    return headers;
  }

  response(): ChatResponse {
    return {
      id: this.id,
      model: this.model,
      provider: this.provider,
      content: [],
      finishReason: 'stop',
      usage: this.usage,
      warnings: [],
    };
  }
}

function replyHeaders(
  requestId: string,
  response: ChatResponse,
  cost: number | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {
    'x-request-id': requestId,
    'x-matey-provider': headerSafe(response.provider),
    'x-matey-model': headerSafe(response.model),
  };
  if (response.routing) {
    headers['x-matey-backend'] = response.routing.backend;
    headers['x-matey-attempts'] = String(response.routing.attempts);
  }
  if (cost !== undefined) headers['x-matey-cost-usd'] = cost.toFixed(8);
  if (response.warnings.length > 0)
    headers['x-matey-warnings'] = headerSafe(response.warnings.map((w) => w.message).join('; '));
  return headers;
}

/** A header value from upstream text: printable ASCII, no secret, bounded. */
function headerSafe(text: string): string {
  return redactSecrets(text)
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 1024);
}

export function sendJson(
  outgoing: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(outgoing, status, JSON.stringify(body), headers);
}

/**
 * An error in the caller's format. Every error body the gateway sends goes through here, and
 * through `redactSecrets`: no registered secret (a provider's key, a store password) leaves in it.
 */
export function sendError(
  outgoing: ServerResponse,
  codec: WireCodec,
  error: AiMateyError,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  const encoded = codec.encodeError(error);
  sendText(outgoing, encoded.status, redactSecrets(JSON.stringify(encoded.body)), {
    ...encoded.headers,
    ...headers,
    'x-request-id': requestId,
  });
}

function sendText(outgoing: ServerResponse, status: number, text: string, headers: Record<string, string>) {
  outgoing.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  outgoing.end(text);
}

function headerValue(incoming: IncomingMessage, name: string): string | undefined {
  const value = incoming.headers[name];
  return typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value) ? value : undefined;
}
