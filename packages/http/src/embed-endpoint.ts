import { type EmbedResponse, toAiMateyError } from 'ai.matey.core';
import type { EmbedPathInfo, WireCodec, WireEmbeddings } from 'ai.matey.wire';
import { CallControl } from './call-control.ts';
import type { ChatEndpointDeps } from './chat-endpoint.ts';
import { errorReply } from './error-reply.ts';
import type { GatewayContext } from './gateway-env.ts';
import { jsonReply } from './json-reply.ts';
import { readJsonBody } from './read-json-body.ts';
import { replyHeaders } from './reply-headers.ts';
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
  c: GatewayContext,
  path?: EmbedPathInfo,
): Promise<Response> {
  const { incoming } = c.env;
  const requestId = c.get('requestId');
  const started = performance.now();
  const call = new CallControl(deps, c.env.outgoing);
  let admitted = false;
  try {
    const key = await deps.authenticate(incoming, codec.inbound?.apiKey);
    const body = await readJsonBody(incoming, deps.limits, call.signal);
    const { request, options } = embeddings.decodeCall(body, path);
    request.metadata = {
      ...request.metadata,
      userId: request.user ?? key?.id ?? deps.clientAddress(incoming) ?? 'anonymous',
    };
    admitted = true;
    const embedding = deps.policy.embed(key, request, { signal: call.signal, requestId });
    const response = await untilAborted(embedding, call.signal);
    const cost = deps.costOf?.(response);
    const reply = jsonReply(
      c,
      embeddings.encodeResponse(response, options),
      200,
      replyHeaders(requestId, response, cost),
    );
    deps.metrics?.recordSuccess(endpoint, labelled(response, deps), performance.now() - started, false, cost);
    return reply;
  } catch (error) {
    const typed = toAiMateyError(error);
    if (!admitted) deps.onRefused?.(requestId, typed.kind, performance.now() - started);
    deps.metrics?.recordError(endpoint, typed.kind, codec.encodeError(typed).status, typed.provider);
    // Refused before its body was read (too large, no key): close rather than drain the rest.
    return errorReply(c, codec, typed, incoming.complete ? {} : { connection: 'close' });
  } finally {
    call.end();
  }
}

/** The reply's figures for metrics, its model as a bounded label (a known id or `other`). */
function labelled(response: EmbedResponse, deps: ChatEndpointDeps) {
  const provider = response.provider || 'unknown';
  return { provider, model: deps.modelLabel(provider, response.model || 'unknown'), usage: response.usage };
}
