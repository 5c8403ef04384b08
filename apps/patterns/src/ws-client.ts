import type { ServerMessage } from 'ai.matey.http/websocket';
import WebSocket from 'ws';

/** A received frame and when it arrived (`performance.now()`). */
export interface Received {
  message: ServerMessage;
  at: number;
}

/**
 * A small WebSocket client for the gateway's protocol: it keeps every frame with its arrival
 * time and lets the caller wait for the next frame that matches.
 */
export class GatewayClient {
  readonly socket: WebSocket;
  readonly received: Received[] = [];
  #waiters: Array<{ match: (m: ServerMessage) => boolean; resolve: (r: Received) => void }> = [];

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      const entry = { message: JSON.parse(data.toString()) as ServerMessage, at: performance.now() };
      this.received.push(entry);
      this.#waiters = this.#waiters.filter((waiter) => {
        if (!waiter.match(entry.message)) return true;
        waiter.resolve(entry);
        return false;
      });
    });
  }

  /** Connects and resolves once the server's `welcome` frame is in. */
  static async connect(url: string): Promise<{ client: GatewayClient; welcome: ServerMessage }> {
    const socket = new WebSocket(url);
    const client = new GatewayClient(socket);
    const welcome = client.next((m) => m.type === 'welcome', 5000);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return { client, welcome: (await welcome).message };
  }

  send(message: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(message));
  }

  /** The next frame to arrive from now on that matches (ask before sending what it answers). */
  next(match: (message: ServerMessage) => boolean, timeoutMs = 10_000): Promise<Received> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`No matching frame within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#waiters.push({
        match,
        resolve: (entry) => {
          clearTimeout(timer);
          resolve(entry);
        },
      });
    });
  }

  /** Sends a frame and resolves with the first answer that matches. */
  request(message: Record<string, unknown>, match: (message: ServerMessage) => boolean): Promise<Received> {
    const answer = this.next(match);
    this.send(message);
    return answer;
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close(1000);
    });
  }
}
