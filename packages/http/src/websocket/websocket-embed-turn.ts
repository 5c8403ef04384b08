import { type AiMateyError, InvalidRequestError, RateLimitError, toAiMateyError } from 'ai.matey.core';
import { createRequestId } from 'ai.matey.core/internal';
import { openaiChat, type WireEmbeddings } from 'ai.matey.wire';
import type { GatewayPolicy } from '../gateway-policy.ts';
import type { ClientState } from './websocket-client.ts';
import type { ClientMessage, ServerMessage } from './websocket-protocol.ts';

/** What an `embed` frame needs from its socket's server. */
export interface EmbedTurnDeps {
  policy: GatewayPolicy;
  /** Calls (chats and embeddings) running at once on one socket. */
  maxCalls: number;
  send(client: ClientState, message: ServerMessage): Promise<void> | undefined;
  sendError(client: ClientState, error: AiMateyError, id?: string): Promise<void> | undefined;
}

/**
 * One `embed` frame: read with the OpenAI embeddings codec (the fields and refusals of `POST
 * /v1/embeddings`), run through the same policy (key, allowed models, rate limit, budget) with
 * the socket's chosen provider, answered with an `embeddings` frame or an `error` frame. It
 * counts against the socket's concurrent calls and a `cancel` with its id stops it.
 */
export async function runEmbedTurn(
  client: ClientState,
  message: Extract<ClientMessage, { type: 'embed' }>,
  deps: EmbedTurnDeps,
): Promise<void> {
  const id = typeof message.id === 'string' && message.id !== '' ? message.id : createRequestId('embed');
  const refusal = client.chats.has(id)
    ? new InvalidRequestError({ message: `Call '${id}' is already running` })
    : client.chats.size >= deps.maxCalls
      ? new RateLimitError({
          message: `At most ${deps.maxCalls} calls may run at once on one socket`,
          code: 'too_many_streams',
        })
      : undefined;
  if (refusal) {
    await deps.sendError(client, refusal, id);
    return;
  }
  const controller = new AbortController();
  client.chats.set(id, controller);
  const started = performance.now();
  try {
    const { type: _type, id: _id, provider: named, ...body } = message;
    if (named !== undefined && typeof named !== 'string') {
      throw new InvalidRequestError({ message: '"provider" must be a string', param: 'provider' });
    }
    const { request } = (openaiChat.embeddings as WireEmbeddings).decodeCall(body);
    const provider = named ?? client.provider;
    request.metadata = {
      ...(provider !== undefined ? { provider } : {}),
      userId: client.key?.id ?? client.id,
      sessionId: client.id,
    };
    const response = await deps.policy.embed(client.key, request, {
      signal: controller.signal,
      requestId: id,
    });
    await deps.send(client, {
      type: 'embeddings',
      id,
      embeddings: response.embeddings,
      provider: response.provider,
      model: response.model,
      usage: response.usage,
      durationMs: performance.now() - started,
    });
  } catch (error) {
    const typed = toAiMateyError(error);
    if (controller.signal.aborted && typed.kind === 'cancelled')
      await deps.send(client, { type: 'cancelled', id });
    else await deps.sendError(client, typed, id);
  } finally {
    client.chats.delete(id);
  }
}
