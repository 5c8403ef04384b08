import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { attachWebSocketGateway, type WebSocketGateway } from 'ai.matey.http/websocket';
import { type BuildOptions, type BuiltGateway, buildGateway } from './build-gateway.ts';
import type { GatewayConfig } from './config-schema.ts';

export interface StartedGateway extends BuiltGateway {
  server: RunningGateway;
  websocket: WebSocketGateway;
  url: string;
  /** Stops accepting, finishes in-flight streams up to the grace period, then closes everything. */
  shutdown(): Promise<void>;
}

/** Builds the gateway from its config and serves HTTP/SSE and the WebSocket on one port. */
export async function startGateway(
  config: GatewayConfig,
  options: BuildOptions = {},
): Promise<StartedGateway> {
  const built = await buildGateway(config, options);
  const server = await serveGateway(built.gateway, {
    host: config.server.host,
    port: config.server.port,
    shutdownGraceMs: config.server.shutdownGraceMs,
    maxConnections: config.server.maxConnections,
    headersTimeoutMs: config.server.headersTimeoutMs,
  });
  const websocket = attachWebSocketGateway(server.server, {
    policy: built.gateway.policy,
    router: built.router,
    path: config.server.websocketPath,
  });
  let stopping: Promise<void> | undefined;
  return {
    ...built,
    server,
    websocket,
    url: server.url,
    shutdown() {
      stopping ??= (async () => {
        await Promise.all([server.close(), websocket.close()]);
        await built.close();
      })();
      return stopping;
    },
  };
}

/** What `start` prints: the URL, the providers and ready-to-paste examples. */
export function banner(started: StartedGateway, config: GatewayConfig): string {
  const { url, providers } = started;
  const simulated = providers.some((p) => p.simulated);
  const model = providers[0] ? `${providers[0].name}/${providers[0].models[0] ?? ''}` : 'openai/gpt-4o-mini';
  const auth = config.keys.length > 0 ? ' -H "Authorization: Bearer $MATEY_KEY"' : '';
  const lines = [
    `ai.matey gateway listening on ${url}`,
    simulated
      ? 'No provider API keys found: serving a SIMULATED fleet (local mock upstreams with realistic latency and prices).'
      : `Providers: ${providers.map((p) => p.name).join(', ')}`,
    ...providers.map(
      (p) =>
        `  - ${p.name}${p.simulated ? ' (simulated)' : ''}: ${p.models.slice(0, 4).join(', ')}${p.models.length > 4 ? ', …' : ''}`,
    ),
    '',
    'Try it:',
    `  curl -N ${url}/v1/chat/completions${auth} -H 'content-type: application/json' \\`,
    `    -d '{"model":"${model}","stream":true,"messages":[{"role":"user","content":"Hello!"}]}'`,
    '',
    '  // OpenAI SDK',
    `  const client = new OpenAI({ baseURL: '${url}/v1', apiKey: process.env.MATEY_KEY ?? 'unused' });`,
    '  // Anthropic SDK',
    `  const client = new Anthropic({ baseURL: '${url}', apiKey: process.env.MATEY_KEY ?? 'unused' });`,
    '',
    `WebSocket: ws${url.slice(4)}${config.server.websocketPath}   Models: ${url}/v1/models   Metrics: ${url}/metrics`,
  ];
  return lines.join('\n');
}
