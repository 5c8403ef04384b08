import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type AiMateyError,
  type Bridge,
  type ChatRequest,
  createRequestId,
  InvalidRequestError,
  type Message,
  RateLimitError,
  type Router,
  redactSecrets,
  StreamAccumulator,
  toAiMateyError,
} from 'ai.matey.core';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { GatewayKeyring } from '../gateway-keys.ts';
import type { ClientMessage, ServerMessage } from './websocket-protocol.ts';

export interface WebSocketGatewayOptions {
  bridge: Bridge;
  /** Lets `switch_provider` check names and `welcome` list them. */
  router?: Router;
  /** Path to accept upgrades on. Default `/v1/ws`. */
  path?: string;
  /** Authenticate upgrades (header `Authorization`/`x-api-key`, or `?api_key=` for browsers). */
  keyring?: GatewayKeyring;
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

interface ClientState {
  id: string;
  socket: WebSocket;
  alive: boolean;
  provider: string | undefined;
  history: Message[];
  chats: Map<string, AbortController>;
  keyId: string | undefined;
}

export interface WebSocketGateway {
  readonly server: WebSocketServer;
  /** Connected clients. */
  readonly size: number;
  close(): Promise<void>;
}

/**
 * The seed's pattern 5, made robust: a WebSocket chat server on `ws` attached to an HTTP
 * server. Welcome with a client id; `chat` → `chunk`* → `done` (or `error`); several chats per
 * socket by id; `cancel`; `switch_provider`; per-client history; heartbeat with dead-socket
 * cleanup; authentication on upgrade; a per-socket limit on concurrent chats; back-pressure.
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

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== path) return;
    let keyId: string | undefined;
    if (options.keyring?.enabled) {
      try {
        keyId = options.keyring.authenticate(upgradeKey(request, url)).id;
      } catch {
        socket.end(
          'HTTP/1.1 401 Unauthorized\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nInvalid or missing API key\n',
        );
        return;
      }
    }
    wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, keyId));
  };
  httpServer.on('upgrade', onUpgrade);

  /** Sends a frame; returns a promise only when the socket is backed up (await it before reading on). */
  const send = (client: ClientState, message: ServerMessage): Promise<void> | undefined => {
    if (client.socket.readyState !== client.socket.OPEN) return undefined;
    const data = JSON.stringify(message);
    if (client.socket.bufferedAmount < highWater) {
      client.socket.send(data);
      return undefined;
    }
    // The socket is backed up: wait for this frame to be written before reading more upstream.
    return new Promise<void>((resolve) => client.socket.send(data, () => resolve()));
  };

  const sendError = (client: ClientState, error: AiMateyError, id?: string) =>
    send(client, {
      type: 'error',
      ...(id ? { id } : {}),
      error: {
        kind: error.kind,
        message: redactSecrets(error.message),
        status: error.status,
        code: error.code === undefined ? undefined : redactSecrets(error.code),
      },
    });

  function onConnection(socket: WebSocket, keyId: string | undefined): void {
    const client: ClientState = {
      id: `client-${createRequestId('ws').slice(3)}`,
      socket,
      alive: true,
      provider: options.router?.defaultBackend,
      history: [],
      chats: new Map(),
      keyId,
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
      provider: client.provider,
      providers: options.router?.backendNames ?? [options.bridge.backend.metadata.name],
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
    const userTurn: Message | undefined =
      typeof message.content === 'string' ? { role: 'user', content: message.content } : undefined;
    const messages = Array.isArray(message.messages)
      ? message.messages
      : userTurn
        ? [...client.history, userTurn]
        : [];
    if (messages.length === 0) {
      await sendError(
        client,
        new InvalidRequestError({ message: 'A chat needs "content" or "messages"', param: 'content' }),
        id,
      );
      return;
    }
    const provider = message.provider ?? client.provider;
    const request: ChatRequest = {
      messages,
      ...(message.model ? { model: message.model } : {}),
      metadata: {
        ...(provider ? { provider } : {}),
        userId: client.keyId ?? client.id,
        sessionId: client.id,
      },
    };
    const controller = new AbortController();
    client.chats.set(id, controller);
    const started = performance.now();
    const accumulator = new StreamAccumulator();
    try {
      for await (const event of options.bridge.stream(request, {
        signal: controller.signal,
        requestId: id,
      })) {
        accumulator.push(event);
        const backedUp = send(client, { type: 'chunk', id, data: event });
        if (backedUp) await backedUp;
      }
      const response = accumulator.response();
      if (userTurn && !message.messages) {
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

function upgradeKey(request: IncomingMessage, url: URL): string | undefined {
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return apiKey;
  const authorization = request.headers.authorization;
  if (authorization && /^bearer\s+/i.test(authorization)) return authorization.replace(/^bearer\s+/i, '');
  return url.searchParams.get('api_key') ?? undefined;
}
