import type { AiMateyError, Message } from 'ai.matey.core';
import { redactSecrets } from 'ai.matey.core';
import type { WebSocket } from 'ws';
import type { GatewayKey } from '../gateway-keys.ts';
import type { ServerMessage } from './websocket-protocol.ts';

/** One connected socket: its chats, history and chosen provider. */
export interface ClientState {
  id: string;
  socket: WebSocket;
  alive: boolean;
  /** The provider the client chose with `switch_provider` (none: routed as HTTP routes). */
  provider: string | undefined;
  history: Message[];
  chats: Map<string, AbortController>;
  key: GatewayKey | undefined;
}

/**
 * Sends a frame; returns a promise only when the socket has more than `highWaterBytes` queued
 * (await it before reading on), so a slow client holds back the upstream instead of buffering it.
 */
export function sendFrame(
  client: ClientState,
  message: ServerMessage,
  highWaterBytes: number,
): Promise<void> | undefined {
  if (client.socket.readyState !== client.socket.OPEN) return undefined;
  const data = JSON.stringify(message);
  if (client.socket.bufferedAmount < highWaterBytes) {
    client.socket.send(data);
    return undefined;
  }
  // The socket is backed up: wait for this frame to be written before reading more upstream.
  return new Promise<void>((resolve) => client.socket.send(data, () => resolve()));
}

/** The `error` frame for a failure: the error's kind, status and routing, with no secret in it. */
export function errorFrame(error: AiMateyError, id?: string): ServerMessage {
  return {
    type: 'error',
    ...(id ? { id } : {}),
    error: {
      kind: error.kind,
      message: redactSecrets(error.message),
      status: error.status,
      code: error.code === undefined ? undefined : redactSecrets(error.code),
      ...(error.param ? { param: error.param } : {}),
      ...(error.routing ? { attempts: error.routing.attempts } : {}),
      ...(error.routing?.backend ? { backend: error.routing.backend } : {}),
      ...(error.provider ? { provider: error.provider } : {}),
    },
  };
}
