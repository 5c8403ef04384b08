import type { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import {
  checkOptions,
  createRequestId,
  type ModelInfo,
  ModelNotFoundError,
  type OptionShape,
  toAiMateyError,
} from 'ai.matey.core';
import { anthropicMessages, openaiChat, type WireCodec } from 'ai.matey.wire';
import { type Context, Hono } from 'hono';
import { type ChatEndpointDeps, sendError, sendJson, serveChat } from './chat-endpoint.ts';
import { gatewayCors } from './gateway-cors.ts';
import { GatewayKeyring, keyAllowsModel, presentedKey } from './gateway-keys.ts';
import { GatewayMetrics } from './gateway-metrics.ts';
import type { GatewayOptions } from './gateway-options.ts';
import { defaultBodyLimits } from './read-json-body.ts';

export interface Gateway {
  /** The Hono app (mount it, or serve it with `serveGateway`). */
  app: Hono<{ Bindings: HttpBindings }>;
  metrics: GatewayMetrics | undefined;
  keyring: GatewayKeyring;
  options: GatewayOptions;
}

const gatewayOptions: OptionShape<GatewayOptions> = {
  bridge: true,
  router: true,
  keys: true,
  corsOrigins: true,
  trustProxy: true,
  costOf: true,
  readinessChecks: true,
  metrics: true,
  limits: { maxBodyBytes: true, maxJsonDepth: true, maxMessages: true },
};

/**
 * The OpenAI- and Anthropic-compatible gateway as a Hono app:
 * `POST /v1/chat/completions`, `POST /v1/messages`, `GET /v1/models`, `GET /health/live`,
 * `GET /health/ready`, `GET /metrics`.
 *
 * @example
 * const gateway = createGateway({ bridge: new Bridge({ backend: router }), router });
 * const server = await serveGateway(gateway, { port: 8787 });
 */
export function createGateway(options: GatewayOptions): Gateway {
  checkOptions('createGateway', options, gatewayOptions);
  const keyring = new GatewayKeyring(options.keys ?? []);
  const metrics =
    options.metrics === false ? undefined : new GatewayMetrics(() => options.router?.circuitStates() ?? {});
  const limits = {
    ...defaultBodyLimits,
    ...options.limits,
    maxMessages: options.limits?.maxMessages ?? 1_000,
  };
  const deps: ChatEndpointDeps = {
    bridge: options.bridge,
    limits,
    metrics,
    costOf: options.costOf,
    authenticate: (incoming) =>
      keyring.enabled ? keyring.authenticate(presentedKey(incoming.headers)) : undefined,
    clientAddress: (incoming) => clientAddress(incoming, options.trustProxy ?? false),
  };
  const app = new Hono<{ Bindings: HttpBindings }>();
  if (options.corsOrigins && options.corsOrigins.length > 0) app.use('*', gatewayCors(options.corsOrigins));

  const chat = (endpoint: string, codec: WireCodec) => async (c: GatewayContext) => {
    await serveChat(endpoint, codec, deps, c.env.incoming, c.env.outgoing);
    return RESPONSE_ALREADY_SENT;
  };
  app.post('/v1/chat/completions', chat('openai', openaiChat));
  app.post('/chat/completions', chat('openai', openaiChat));
  app.post('/v1/messages', chat('anthropic', anthropicMessages));

  app.get('/v1/models', async (c) => {
    const wantsAnthropic = c.req.header('anthropic-version') !== undefined;
    try {
      const key = keyring.enabled ? keyring.authenticate(presentedKey(c.env.incoming.headers)) : undefined;
      // A key sees only the models it may use, under either name it may ask for them by.
      const models = (await listModels(options)).filter((model) =>
        keyAllowsModel(key, model.id, `${model.provider}/${model.id}`),
      );
      return c.json(wantsAnthropic ? anthropicModelList(models) : openaiModelList(models));
    } catch (error) {
      const codec = wantsAnthropic ? anthropicMessages : openaiChat;
      sendError(c.env.outgoing, codec, toAiMateyError(error), createRequestId());
      return RESPONSE_ALREADY_SENT;
    }
  });

  app.get('/health/live', (c) => c.json({ status: 'ok' }));
  app.get('/health/ready', async (c) => {
    const backends = options.router ? options.router.backendNames.length : 1;
    const checks = await Promise.all(
      (options.readinessChecks ?? []).map((check) => check().catch(() => false)),
    );
    const ready = backends > 0 && checks.every(Boolean);
    return c.json(
      { status: ready ? 'ready' : 'not-ready', backends, circuits: options.router?.circuitStates() ?? {} },
      ready ? 200 : 503,
    );
  });
  if (metrics) {
    app.get('/metrics', async (c) =>
      c.body(await metrics.text(), 200, { 'content-type': metrics.registry.contentType }),
    );
  }

  app.notFound((c) => {
    const codec = codecForPath(c.req.path);
    const error = new ModelNotFoundError({
      message: `No route for ${c.req.method} ${c.req.path}`,
      code: 'route_not_found',
    });
    const encoded = codec.encodeError(error);
    sendJson(c.env.outgoing, 404, encoded.body);
    return RESPONSE_ALREADY_SENT;
  });
  app.onError((error, c) => {
    const typed = toAiMateyError(error);
    if (!c.env.outgoing.headersSent)
      sendError(c.env.outgoing, codecForPath(c.req.path), typed, createRequestId());
    return RESPONSE_ALREADY_SENT;
  });
  return { app, metrics, keyring, options };
}

type GatewayContext = Context<{ Bindings: HttpBindings }>;

/** The wire format a caller of this path speaks, for errors outside the chat endpoints. */
function codecForPath(path: string): WireCodec {
  return path.startsWith('/v1/messages') ? anthropicMessages : openaiChat;
}

async function listModels(options: GatewayOptions): Promise<ModelInfo[]> {
  const backend = options.router ?? options.bridge.backend;
  const models = (await backend.listModels?.()) ?? [];
  const seen = new Set<string>();
  return models.filter((model) => {
    const key = `${model.provider}/${model.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function openaiModelList(models: ModelInfo[]) {
  return {
    object: 'list',
    data: models.map((model) => ({
      id: `${model.provider}/${model.id}`,
      object: 'model',
      created: 0,
      owned_by: model.provider,
    })),
  };
}

function anthropicModelList(models: ModelInfo[]) {
  const data = models.map((model) => ({
    type: 'model',
    id: `${model.provider}/${model.id}`,
    display_name: model.id,
    created_at: '1970-01-01T00:00:00Z',
  }));
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

/**
 * The caller's address. Behind our own proxy it is the last `X-Forwarded-For` hop, the one that
 * proxy appended: earlier hops are whatever the client wrote, so trusting the first would let any
 * caller pick its own address (and so its rate limits).
 */
function clientAddress(incoming: IncomingMessage, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = incoming.headers['x-forwarded-for'];
    const text = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
    const last = text?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return incoming.socket.remoteAddress;
}
