// Child process: the gateway as a user would run it (createGateway + serveGateway, a Router
// with an OpenAI and an Anthropic adapter pointed at the mock upstream), with the WebSocket
// server attached to the same HTTP server.
import { AnthropicBackendAdapter, HttpTransport, OpenAIBackendAdapter } from 'ai.matey.backend';
import { Bridge, Router } from 'ai.matey.core';
import { createGateway, serveGateway } from 'ai.matey.http';
import { attachWebSocketGateway } from 'ai.matey.http/websocket';
import { argValue, serveChildIpc } from './child-ipc.ts';

const upstream = argValue('upstream') ?? 'http://127.0.0.1:1';
// The transport's default pool (1,024 sockets per origin) would cap concurrent upstream streams at
// 1,024 and queue the rest; the 1,000-stream scenarios need one socket per stream, with headroom.
const transport = new HttpTransport({ connections: Number(argValue('upstream-connections') ?? 2048) });
const router = new Router({ defaultBackend: 'openai' });
router.register(
  'openai',
  new OpenAIBackendAdapter({ apiKey: 'bench', baseURL: `${upstream}/v1`, transport }),
);
router.register('anthropic', new AnthropicBackendAdapter({ apiKey: 'bench', baseURL: upstream, transport }));
const bridge = new Bridge({ backend: router });
const gateway = createGateway({ bridge, router });
const running = await serveGateway(gateway, { port: 0, shutdownGraceMs: 500 });
const websocket = attachWebSocketGateway(running.server, { bridge, router });

serveChildIpc(running.url, {}, async () => {
  await websocket.close();
  running.server.closeAllConnections();
  await running.close();
});
