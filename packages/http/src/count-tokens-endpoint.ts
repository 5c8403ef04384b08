import { type TokenCount, toAiMateyError } from 'ai.matey.core';
import type { ChatPathInfo, TokenCountCodec, WireCodec } from 'ai.matey.wire';
import { CallControl } from './call-control.ts';
import type { ChatEndpointDeps } from './chat-endpoint.ts';
import { errorReply } from './error-reply.ts';
import type { GatewayContext } from './gateway-env.ts';
import { jsonReply } from './json-reply.ts';
import { readJsonBody } from './read-json-body.ts';
import { headerSafe } from './reply-headers.ts';
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
  c: GatewayContext,
  path?: ChatPathInfo,
): Promise<Response> {
  const { incoming } = c.env;
  const requestId = c.get('requestId');
  const call = new CallControl(deps, c.env.outgoing);
  const endpoint = codec.inbound?.endpoint ?? codec.protocol;
  try {
    const key = await deps.authenticate(incoming, codec.inbound?.apiKey);
    const body = await readJsonBody(incoming, deps.limits, call.signal);
    const request = codec.tokenCount.decodeRequest(body, path);
    const count = await untilAborted(
      deps.policy.countTokens(key, request, { signal: call.signal, requestId }),
      call.signal,
    );
    const reply = jsonReply(c, codec.tokenCount.encodeResponse(count), 200, countHeaders(requestId, count));
    deps.metrics?.recordTokenCount(endpoint, count.provider ?? 'unknown', count.exact ? 'exact' : 'estimate');
    return reply;
  } catch (error) {
    const typed = toAiMateyError(error);
    deps.metrics?.recordTokenCount(endpoint, typed.provider ?? 'none', 'error');
    return errorReply(c, codec, typed, incoming.complete ? {} : { connection: 'close' });
  } finally {
    call.end();
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
