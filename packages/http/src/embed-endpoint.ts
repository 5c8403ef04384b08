import type { IncomingMessage, ServerResponse } from 'node:http';
import { type EmbedResponse, TimeoutError, toAiMateyError } from 'ai.matey.core';
import { createRequestId } from 'ai.matey.core/internal';
import type { EmbedPathInfo, WireCodec, WireEmbeddings } from 'ai.matey.wire';
import type { ChatEndpointDeps } from './chat-endpoint.ts';
import { readJsonBody } from './read-json-body.ts';
import { replyHeaders } from './reply-headers.ts';
import { sendError, sendJson } from './send-json.ts';
import { untilAborted } from './until-aborted.ts';

/**
 * One embeddings endpoint for one wire format (`POST /v1/embeddings` for OpenAI's): decode with
 * the caller's codec, run through the policy (key, models, limits, budget) and the Bridge,
 * encode the vectors as the caller asked (floats or base64). Errors are the caller's format.
 */
export async function serveEmbeddings(
  endpoint: string,
  codec: WireCodec,
  embeddings: WireEmbeddings,
  deps: ChatEndpointDeps,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  path?: EmbedPathInfo,
): Promise<void> {
  const asked = incoming.headers['x-request-id'];
  const requestId = typeof asked === 'string' && /^[\w.:-]{1,128}$/.test(asked) ? asked : createRequestId();
  const started = performance.now();
  const controller = new AbortController();
  const onClose = () => {
    if (!outgoing.writableFinished) controller.abort();
  };
  outgoing.once('close', onClose);
  const onShutdown = () => controller.abort(deps.shutdownSignal.reason);
  if (deps.shutdownSignal.aborted) onShutdown();
  else deps.shutdownSignal.addEventListener('abort', onShutdown, { once: true });
  const deadline = setTimeout(() => controller.abort(timedOut(deps.requestTimeoutMs)), deps.requestTimeoutMs);
  try {
    const key = deps.authenticate(incoming);
    const body = await readJsonBody(incoming, deps.limits, controller.signal);
    const { request, options } = embeddings.decodeCall(body, path);
    request.metadata = {
      ...request.metadata,
      userId: request.user ?? key?.id ?? deps.clientAddress(incoming) ?? 'anonymous',
    };
    const call = deps.policy.embed(key, request, { signal: controller.signal, requestId });
    const response = await untilAborted(call, controller.signal);
    const cost = deps.costOf?.(response);
    sendJson(
      outgoing,
      200,
      embeddings.encodeResponse(response, options),
      replyHeaders(requestId, response, cost),
    );
    deps.metrics?.recordSuccess(endpoint, labelled(response, deps), performance.now() - started, false, cost);
  } catch (error) {
    const typed = toAiMateyError(error);
    deps.metrics?.recordError(endpoint, typed.kind, codec.encodeError(typed).status, typed.provider);
    if (!outgoing.headersSent && !outgoing.destroyed) {
      // Refused before its body was read (too large, no key): close rather than drain the rest.
      sendError(outgoing, codec, typed, requestId, incoming.complete ? {} : { connection: 'close' });
    }
  } finally {
    clearTimeout(deadline);
    outgoing.off('close', onClose);
    deps.shutdownSignal.removeEventListener('abort', onShutdown);
  }
}

function timedOut(ms: number): TimeoutError {
  return new TimeoutError({
    message: `The request took longer than the gateway's limit of ${ms} ms`,
    code: 'request_timeout',
    isRetryable: true,
  });
}

/** The reply's figures for metrics, its model as a bounded label (a known id or `other`). */
function labelled(response: EmbedResponse, deps: ChatEndpointDeps) {
  const provider = response.provider || 'unknown';
  return { provider, model: deps.modelLabel(provider, response.model || 'unknown'), usage: response.usage };
}
