/**
 * Test support for the security suite (not exported): a WebSocket client that queues frames,
 * and a raw-socket upgrade that reports what the server answered and whether it closed.
 */
import { connect } from 'node:net';
import WebSocket from 'ws';
import type { ServerMessage } from '../websocket/websocket-protocol.ts';

export interface ChatSocket {
  socket: WebSocket;
  inbox: ServerMessage[];
  send(message: unknown): void;
  next(predicate: (message: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  /** Sends one chat and resolves with its `done` or `error` frame. */
  chat(chat: Record<string, unknown>): Promise<ServerMessage>;
  close(): void;
}

let chatCount = 0;

/** Opens a WebSocket and waits for the welcome; rejects with the status of a refused upgrade. */
export async function openChatSocket(
  url: string,
  options: WebSocket.ClientOptions = {},
): Promise<ChatSocket> {
  const socket = new WebSocket(url, options);
  const inbox: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    inbox.push(JSON.parse(data.toString()) as ServerMessage);
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`upgrade refused: ${response.statusCode}`)),
    );
    socket.once('error', reject);
  });
  const next = async (predicate: (message: ServerMessage) => boolean, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = inbox.findIndex(predicate);
      if (index >= 0) return inbox.splice(index, 1)[0] as ServerMessage;
      if (Date.now() > deadline)
        throw new Error(`no such frame; inbox: ${JSON.stringify(inbox).slice(0, 400)}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 50);
        waiters.add(wake);
      });
    }
  };
  const send = (message: unknown) => socket.send(JSON.stringify(message));
  await next((message) => message.type === 'welcome');
  return {
    socket,
    inbox,
    send,
    next,
    chat(chat) {
      const id = `chat-${++chatCount}`;
      send({ type: 'chat', id, ...chat });
      return next((message) => (message.type === 'done' || message.type === 'error') && message.id === id);
    },
    close: () => socket.terminate(),
  };
}

export interface UpgradeAnswer {
  status: number;
  body: string;
}

/**
 * Sends an upgrade request on a raw socket and resolves once the server has answered and closed
 * the connection (the client never closes first); rejects when the server leaves it hanging.
 */
export function rawUpgrade(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  timeoutMs = 3_000,
): Promise<UpgradeAnswer> {
  const lines = {
    host: `127.0.0.1:${port}`,
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-version': '13',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    ...headers,
  };
  const head = Object.entries(lines)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server left an upgrade to ${path} unanswered or open for ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(`GET ${path} HTTP/1.1\r\n${head}\r\n`);
  });
}
