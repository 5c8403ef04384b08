import type { IncomingMessage, ServerResponse } from 'node:http';
import { TimeoutError, type TokenCount, toAiMateyError } from 'ai.matey.core';
import { createRequestId } from 'ai.matey.core/internal';
import type { ChatPathInfo, TokenCountCodec, WireCodec } from 'ai.matey.wire';
import type { ChatEndpointDeps } from './chat-endpoint.ts';
import { readJsonBody } from './read-json-body.ts';
import { headerSafe } from './reply-headers.ts';
import { sendError, sendJson } from './send-json.ts';
import { untilAborted } from './until-aborted.ts';

/** The header that says how a count was made: `exact` (the provider counted) or `estimate`. */
export const TOKEN_COUNT_HEADER = 'x-matey-token-count';

/**
 * One token-count endpoint for one wire format (Anthropic's `count_tokens`, Gemini's
 * `:countTokens`): decode with the caller's codec, count through the policy point (the same key
 * and model checks as a chat call, no chat budget spent), answer in the caller's format with the
 * count's origin in `x-matey-token-count`.
 */
export async function serveCountTokens(
  codec: WireCodec & { tokenCount: TokenCountCodec },
  deps: ChatEndpointDeps,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  path?: ChatPathInfo,
): Promise<void> {
  const requestId = requestIdOf(incoming);
  const endpoint = codec.inbound?.endpoint ?? codec.protocol;
  const controller = new AbortController();
  const onClose = () => {
    if (!outgoing.writableFinished) controller.abort();
  };
  outgoing.once('close', onClose);
  const deadline = setTimeout(
    () =>
      controller.abort(
        new TimeoutError({
          message: `The count took longer than the gateway's limit of ${deps.requestTimeoutMs} ms`,
          code: 'request_timeout',
          isRetryable: true,
        }),
      ),
    deps.requestTimeoutMs,
  );
  try {
    const key = deps.authenticate(incoming, codec.inbound?.apiKey);
    const body = await readJsonBody(incoming, deps.limits, controller.signal);
    const request = codec.tokenCount.decodeRequest(body, path);
    const count = await untilAborted(
      deps.policy.countTokens(key, request, { signal: controller.signal, requestId }),
      controller.signal,
    );
    sendJson(outgoing, 200, codec.tokenCount.encodeResponse(count), countHeaders(requestId, count));
    deps.metrics?.recordTokenCount(endpoint, count.provider ?? 'unknown', count.exact ? 'exact' : 'estimate');
  } catch (error) {
    const typed = toAiMateyError(error);
    deps.metrics?.recordTokenCount(endpoint, typed.provider ?? 'none', 'error');
    if (outgoing.headersSent || outgoing.destroyed) return;
    sendError(outgoing, codec, typed, requestId, incoming.complete ? {} : { connection: 'close' });
  } finally {
    clearTimeout(deadline);
    outgoing.off('close', onClose);
  }
}

function countHeaders(requestId: string, count: TokenCount): Record<string, string> {
  return {
    'x-request-id': requestId,
    [TOKEN_COUNT_HEADER]: count.exact ? 'exact' : 'estimate',
    ...(count.provider ? { 'x-matey-provider': headerSafe(count.provider) } : {}),
    ...(count.model ? { 'x-matey-model': headerSafe(count.model) } : {}),
  };
}

function requestIdOf(incoming: IncomingMessage): string {
  const value = incoming.headers['x-request-id'];
  return typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value) ? value : createRequestId();
}
