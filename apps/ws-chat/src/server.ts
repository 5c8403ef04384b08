import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bridge, type Router } from 'ai.matey.core';
import { GatewayPolicy } from 'ai.matey.http';
import { attachWebSocketGateway, type WebSocketGateway } from 'ai.matey.http/websocket';
import { chatPageHtml } from './chat-page.ts';
import { createDemoFleet } from './demo-fleet.ts';

export interface ChatAppOptions {
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Answers the chats. Default: a Bridge over `router`. */
  bridge?: Bridge;
  /** Lists and switches providers. Default: the offline demo fleet (`openai`, `anthropic`). */
  router?: Router;
  /** Browser origins allowed besides the page's own (when it is reached under another name). */
  origins?: string[];
}

export interface ChatApp {
  /** The page's address, e.g. `http://127.0.0.1:8788/`. */
  url: string;
  /** The WebSocket gateway, for inspecting or dropping connected clients. */
  gateway: WebSocketGateway;
  close(): Promise<void>;
}

const WS_PATH = '/v1/ws';

/**
 * Serves the chat page at `/` and `/chat` and the WebSocket gateway at `/v1/ws` on one
 * node:http server. With no bridge or router it chats with the offline demo fleet.
 *
 * @example
 * const app = await startChatApp({ port: 8788 });
 * console.log(app.url);
 * await app.close();
 */
export async function startChatApp(options: ChatAppOptions = {}): Promise<ChatApp> {
  let { bridge, router } = options;
  if (!bridge) {
    router ??= createDemoFleet().router;
    bridge = new Bridge({ backend: router });
  }
  const page = chatPageHtml({ wsPath: WS_PATH });

  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname !== '/' && pathname !== '/chat') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' })
        .end('Method not allowed\n');
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The page is self-contained: it may only talk back to its own origin.
      'content-security-policy':
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'",
    });
    response.end(request.method === 'HEAD' ? undefined : page);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // Browsers must be allowed by origin: only this page's own, so no other site can drive the chat.
  const loopback = host === '127.0.0.1' || host === 'localhost';
  const own = loopback ? [`http://127.0.0.1:${port}`, `http://localhost:${port}`] : [origin];
  const policy = new GatewayPolicy({ bridge, corsOrigins: [...own, ...(options.origins ?? [])] });
  const gateway = attachWebSocketGateway(server, { policy, ...(router ? { router } : {}), path: WS_PATH });

  return {
    url: `${origin}/`,
    gateway,
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
