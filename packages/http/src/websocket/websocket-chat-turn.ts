import { type ChatRequest, InvalidRequestError, type Message } from 'ai.matey.core';
import type { ClientState } from './websocket-client.ts';
import type { ClientMessage } from './websocket-protocol.ts';

export interface ChatTurn {
  request: ChatRequest;
  /** The user's message when the client sent `content` (kept in its history once answered). */
  userTurn: Message | undefined;
}

/**
 * The request a `chat` frame asks for: `messages` as sent, or the client's history plus its
 * `content`; the provider it named or switched to. Throws an `InvalidRequestError` for a frame
 * that asks for nothing or names a provider that is not a string.
 */
export function chatTurnOf(client: ClientState, message: Extract<ClientMessage, { type: 'chat' }>): ChatTurn {
  const userTurn: Message | undefined =
    typeof message.content === 'string' ? { role: 'user', content: message.content } : undefined;
  // Whatever the client sent as `messages` goes to the policy's validation, as an HTTP body would.
  const messages =
    message.messages !== undefined ? message.messages : userTurn ? [...client.history, userTurn] : [];
  if (Array.isArray(messages) && messages.length === 0) {
    throw new InvalidRequestError({ message: 'A chat needs "content" or "messages"', param: 'content' });
  }
  if (message.provider !== undefined && typeof message.provider !== 'string') {
    throw new InvalidRequestError({ message: '"provider" must be a string', param: 'provider' });
  }
  // Named only when the client chose one; otherwise the router decides, as for HTTP.
  const provider = message.provider ?? client.provider;
  const request: ChatRequest = {
    messages,
    ...(message.model !== undefined ? { model: message.model } : {}),
    metadata: {
      ...(provider !== undefined ? { provider } : {}),
      userId: client.key?.id ?? client.id,
      sessionId: client.id,
    },
  };
  return { request, userTurn };
}
