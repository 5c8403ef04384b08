import { type ChatResponse, InvalidRequestError, toAiMateyError } from 'ai.matey.core';
import type { WireCodec } from 'ai.matey.wire';
import type { ChatEndpointDeps } from './chat-endpoint.ts';
import { errorReply } from './error-reply.ts';
import type { GatewayContext } from './gateway-env.ts';
import type { GatewayKey } from './gateway-keys.ts';
import type { GatewayPolicy } from './gateway-policy.ts';
import { jsonReply } from './json-reply.ts';

/** A codec that serves stored replies (`inbound.storedResponses`). */
export type StoredResponseCodec = WireCodec & {
  encodeDeletedResponse: NonNullable<WireCodec['encodeDeletedResponse']>;
};

/**
 * Reads back (`GET`) or deletes (`DELETE`) a reply the caller's key stored (`/v1/responses/{id}`),
 * in the caller's format: the reply as it was sent, with the request fields it repeated. A reply
 * another key made, or none by that id (expired, deleted, never stored), is the same 404, so a key
 * learns nothing of another's replies.
 */
export async function serveStoredResponse(
  codec: StoredResponseCodec,
  deps: Pick<ChatEndpointDeps, 'authenticate' | 'policy'>,
  c: GatewayContext,
): Promise<Response> {
  try {
    const key = await deps.authenticate(c.env.incoming, codec.inbound?.apiKey);
    const id = c.req.param('id') ?? '';
    const headers = { 'x-request-id': c.get('requestId') };
    if (c.req.method === 'DELETE') {
      if (!(await deps.policy.responses.delete(id, key?.id))) throw notFound(id);
      return jsonReply(c, codec.encodeDeletedResponse(id), 200, headers);
    }
    const stored = await deps.policy.responses.get(id, key?.id);
    if (!stored?.response) throw notFound(id);
    const echo = stored.echo ? { echo: stored.echo } : {};
    return jsonReply(c, codec.encodeResponse(stored.response, echo), 200, headers);
  } catch (error) {
    return errorReply(c, codec, toAiMateyError(error));
  }
}

/**
 * Lists the conversation a stored reply answered (`/v1/responses/{id}/input_items`), for the key
 * that made it, one page as the query asks, in the caller's format; a 404 as for the reply itself.
 */
export async function serveStoredResponseInputs(
  codec: WireCodec & { encodeInputItemList: NonNullable<WireCodec['encodeInputItemList']> },
  deps: Pick<ChatEndpointDeps, 'authenticate' | 'policy'>,
  c: GatewayContext,
): Promise<Response> {
  try {
    const key = await deps.authenticate(c.env.incoming, codec.inbound?.apiKey);
    const id = c.req.param('id') ?? '';
    const stored = await deps.policy.responses.get(id, key?.id);
    if (!stored?.response) throw notFound(id);
    // The stored conversation ends with the reply itself: what it answered is what came before.
    const input = stored.messages.slice(0, -1);
    const query = new URL(c.env.incoming.url ?? '/', 'http://gateway').searchParams;
    const headers = { 'x-request-id': c.get('requestId') };
    return jsonReply(c, codec.encodeInputItemList(input, id, query), 200, headers);
  } catch (error) {
    return errorReply(c, codec, toAiMateyError(error));
  }
}

function notFound(id: string): InvalidRequestError {
  return new InvalidRequestError({
    message: `Response with id '${id}' not found.`,
    status: 404,
    code: 'response_not_found',
  });
}

/**
 * A chat call's body with its references to stored replies (`WireCodec.storedReferences`)
 * resolved from the replies this key may read; the body as it came when it has none.
 */
export async function resolveStoredReferences(
  codec: WireCodec,
  body: unknown,
  key: GatewayKey | undefined,
  policy: GatewayPolicy,
): Promise<unknown> {
  const references = codec.storedReferences;
  const ids = references?.responseIds(body) ?? [];
  if (!references || ids.length === 0) return body;
  const replies = new Map<string, ChatResponse>();
  for (const id of ids) {
    const stored = await policy.responses.get(id, key?.id);
    if (stored?.response) replies.set(id, stored.response);
  }
  return references.resolve(body, replies);
}
