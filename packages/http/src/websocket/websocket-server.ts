import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type AiMateyError,
  type Bridge,
  InvalidRequestError,
  RateLimitError,
  type Router,
  StreamAccumulator,
  toAiMateyError,
} from 'ai.matey.core';
import { createRequestId } from 'ai.matey.core/internal';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { GatewayKey } from '../gateway-keys.ts';
import { GatewayPolicy } from '../gateway-policy.ts';
import { type ChatTurn, chatTurnOf } from './websocket-chat-turn.ts';
import { type ClientState, errorFrame, sendFrame } from './websocket-client.ts';
import { runEmbedTurn } from './websocket-embed-turn.ts';
import type { ClientMessage, ServerMessage } from './websocket-protocol.ts';
import { admitUpgrade } from './websocket-upgrade.ts';

export interface WebSocketGatewayOptions {
  /** Runs the chats when no `policy` is given. */
  bridge?: Bridge;
  /**
   * The policy point every chat passes, shared with the HTTP endpoints (`gateway.policy`): keys,
   * allowed models, per-key rate limits and budgets, request validation, browser origins.
   * Default: an open policy over `bridge` (no keys; any upgrade with an `Origin` is refused).
   */
  policy?: GatewayPolicy;
  /** Lets `switch_provider` check names and `welcome` list them. */
  router?: Router;
  /** Path to accept upgrades on. Default `/v1/ws`. */
  path?: string;
  /** Chats running at once on one socket. Default 4. */
  maxConcurrentChats?: number;
  /** History kept per client, in messages. Default 50. */
  maxHistoryMessages?: number;
  /** Heartbeat ping interval; a socket that misses one pong is closed. Default 30 s. */
  heartbeatMs?: number;
  /** Pause reading the upstream while the socket has more than this many bytes queued. Default 1 MiB. */
  highWaterBytes?: number;
  /** Largest accepted frame. Default 1 MiB. */
  maxPayloadBytes?: number;
}

export interface WebSocketGateway {
  readonly server: WebSocketServer;
  /** Connected clients. */
  readonly size: number;
  close(): Promise<void>;
}

/**
 * The seed's pattern 5, made robust: a WebSocket chat server on `ws` attached to an HTTP
 * server. Welcome with a client id; `chat` → `chunk`* → `done` (or `error`); `embed` →
 * `embeddings` through the same policy as `POST /v1/embeddings`; several chats per
 * socket by id; `cancel`; `switch_provider`; per-client history; heartbeat with dead-socket
 * cleanup; a per-socket limit on concurrent chats; back-pressure.
 *
 * Every upgrade is answered: one to another path (when no other upgrade listener is attached)
 * gets 404, a browser origin the policy does not allow 403, a missing or wrong key 401, a
 * malformed handshake 400, and its socket is closed. Chats pass the same policy point as the
 * HTTP endpoints and route as they do.
 */
export function attachWebSocketGateway(
  httpServer: Server,
  options: WebSocketGatewayOptions,
): WebSocketGateway {
  const path = options.path ?? '/v1/ws';
  const maxChats = options.maxConcurrentChats ?? 4;
  const maxHistory = options.maxHistoryMessages ?? 50;
  const highWater = options.highWaterBytes ?? 1024 * 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 1024 * 1024 });
  const clients = new Set<ClientState>();

  const policy = policyOf(options);
  const bridge = options.bridge ?? policy.bridge;
  const onUpgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const admitted = await admitUpgrade(request, socket, { path, policy, server: httpServer });
    if (admitted) wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, admitted.key));
  };
  httpServer.on('upgrade', onUpgrade);

  const send = (client: ClientState, message: ServerMessage) => sendFrame(client, message, highWater);
  const sendError = (client: ClientState, error: AiMateyError, id?: string) =>
    send(client, errorFrame(error, id));

  function onConnection(socket: WebSocket, key: GatewayKey | undefined): void {
    const client: ClientState = {
      id: `client-${createRequestId('ws').slice(3)}`,
      socket,
      alive: true,
      provider: undefined,
      history: [],
      chats: new Map(),
      key,
    };
    clients.add(client);
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('message', (data: RawData, isBinary: boolean) => {
      void onMessage(client, data, isBinary);
    });
    socket.on('close', () => {
      for (const controller of client.chats.values()) controller.abort();
      clients.delete(client);
    });
    socket.on('error', () => socket.terminate());
    void send(client, {
      type: 'welcome',
      clientId: client.id,
      provider: options.router?.defaultBackend,
      providers: options.router?.backendNames ?? [bridge.backend.metadata.name],
    });
  }

  async function onMessage(client: ClientState, data: RawData, isBinary: boolean): Promise<void> {
    let message: ClientMessage;
    try {
      if (isBinary) throw new Error('binary frames are not accepted');
      message = JSON.parse(data.toString()) as ClientMessage;
      if (typeof message !== 'object' || message === null || typeof message.type !== 'string') {
        throw new Error('a frame must be a JSON object with a "type"');
      }
    } catch (error) {
      await sendError(
        client,
        new InvalidRequestError({ message: `Malformed frame: ${(error as Error).message}` }),
      );
      return;
    }
    switch (message.type) {
      case 'chat':
        return runChat(client, message);
      case 'embed':
        return runEmbedTurn(client, message, { policy, maxCalls: maxChats, send, sendError });
      case 'cancel': {
        const controller = client.chats.get(message.id);
        if (!controller) {
          await sendError(
            client,
            new InvalidRequestError({ message: `No chat '${message.id}' is running` }),
            message.id,
          );
          return;
        }
        controller.abort();
        return;
      }
      case 'switch_provider': {
        const known = options.router?.backendNames;
        if (known && !known.includes(message.provider)) {
          await sendError(
            client,
            new InvalidRequestError({ message: `Unknown provider '${message.provider}'`, param: 'provider' }),
          );
          return;
        }
        client.provider = message.provider;
        return send(client, { type: 'provider_switched', provider: message.provider });
      }
      case 'clear_history':
        client.history = [];
        return send(client, { type: 'history_cleared' });
      case 'ping':
        return send(client, { type: 'pong', ts: message.ts, serverTime: Date.now() });
      default:
        await sendError(
          client,
          new InvalidRequestError({
            message: `Unknown message type '${(message as { type: string }).type}'`,
          }),
        );
    }
  }

  async function runChat(
    client: ClientState,
    message: Extract<ClientMessage, { type: 'chat' }>,
  ): Promise<void> {
    const id = typeof message.id === 'string' && message.id !== '' ? message.id : createRequestId('chat');
    if (client.chats.has(id)) {
      await sendError(client, new InvalidRequestError({ message: `Chat '${id}' is already running` }), id);
      return;
    }
    if (client.chats.size >= maxChats) {
      await sendError(
        client,
        new RateLimitError({
          message: `At most ${maxChats} chats may run at once on one socket`,
          code: 'too_many_streams',
        }),
        id,
      );
      return;
    }
    let turn: ChatTurn;
    try {
      turn = chatTurnOf(client, message);
    } catch (error) {
      await sendError(client, toAiMateyError(error), id);
      return;
    }
    const { request, userTurn } = turn;
    const controller = new AbortController();
    client.chats.set(id, controller);
    const started = performance.now();
    const accumulator = new StreamAccumulator();
    try {
      for await (const event of policy.stream(client.key, request, {
        signal: controller.signal,
        requestId: id,
      })) {
        accumulator.push(event);
        const backedUp = send(client, { type: 'chunk', id, data: event });
        if (backedUp) await backedUp;
      }
      const response = accumulator.response();
      if (userTurn && message.messages === undefined) {
        client.history.push(userTurn, { role: 'assistant', content: response.content });
        if (client.history.length > maxHistory) client.history.splice(0, client.history.length - maxHistory);
      }
      await send(client, {
        type: 'done',
        id,
        text: accumulator.text(),
        provider: response.provider,
        model: response.model,
        usage: response.usage,
        finishReason: response.finishReason,
        durationMs: performance.now() - started,
      });
    } catch (error) {
      const typed = toAiMateyError(error);
      if (controller.signal.aborted && typed.kind === 'cancelled')
        await send(client, { type: 'cancelled', id });
      else await sendError(client, typed, id);
    } finally {
      client.chats.delete(id);
    }
  }

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) {
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    server: wss,
    get size() {
      return clients.size;
    },
    async close() {
      clearInterval(heartbeat);
      httpServer.off('upgrade', onUpgrade);
      for (const client of clients) client.socket.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function policyOf(options: WebSocketGatewayOptions): GatewayPolicy {
  if (options.policy) return options.policy;
  if (!options.bridge) throw new TypeError('attachWebSocketGateway needs a bridge or a policy');
  return new GatewayPolicy({ bridge: options.bridge });
}
