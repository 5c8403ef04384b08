import { setMaxListeners } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import {
  checkOptions,
  InvalidRequestError,
  type ModelInfo,
  ModelNotFoundError,
  type OptionShape,
  OverloadedError,
  toAiMateyError,
} from 'ai.matey.core';
import { createRequestId, registerSecret } from 'ai.matey.core/internal';
import type { ListedModel, WireCodec } from 'ai.matey.wire';
import { type Context, Hono } from 'hono';
import { type ChatEndpointDeps, serveChat } from './chat-endpoint.ts';
import { gatewayCors } from './gateway-cors.ts';
import { type GatewayKeyring, presentedKey } from './gateway-keys.ts';
import { GatewayMetrics } from './gateway-metrics.ts';
import type { GatewayOptions } from './gateway-options.ts';
import { GatewayPolicy } from './gateway-policy.ts';
import { inboundRouteTable, type ModelsRoute } from './inbound-routes.ts';
import { KnownModels } from './known-models.ts';
import { defaultBodyLimits } from './read-json-body.ts';
import { sendError, sendJson } from './send-json.ts';

/** Default longest wait for a reply (or a stream's first event), retries and fallbacks included. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 600_000;
/** Default longest silence inside a stream. */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 120_000;

export interface Gateway {
  /** The Hono app (mount it, or serve it with `serveGateway`). */
  app: Hono<{ Bindings: HttpBindings }>;
  metrics: GatewayMetrics | undefined;
  /** The policy point every call passes, here and on the WebSocket (`attachWebSocketGateway`). */
  policy: GatewayPolicy;
  keyring: GatewayKeyring;
  options: GatewayOptions;
  /**
   * Ends every call in flight now: open streams get an error event (`server_shutting_down`) in
   * their own format, waiting calls a 503, and their upstream calls are cancelled. `serveGateway`
   * calls it when the shutdown grace period runs out.
   */
  stopCalls(): void;
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
  limits: { maxBodyBytes: true, maxJsonDepth: true, maxMessages: true, bodyTimeoutMs: true },
  store: true,
  responseTtlMs: true,
  catalog: true,
  modelAliases: true,
  passThroughProviders: true,
  use: true,
  secrets: true,
  requestTimeoutMs: true,
  streamIdleTimeoutMs: true,
  knownModels: true,
};

/**
 * The OpenAI- and Anthropic-compatible gateway as a Hono app:
 * `POST /v1/chat/completions`, `POST /v1/messages`, `GET /v1/models`, `GET /health/live`,
 * `GET /health/ready`, `GET /metrics`, and the routes of any wire protocol registered (with
 * `registerWireProtocol`) before it is created.
 *
 * @example
 * const gateway = createGateway({ bridge: new Bridge({ backend: router }), router });
 * const server = await serveGateway(gateway, { port: 8787 });
 */
export function createGateway(options: GatewayOptions): Gateway {
  checkOptions('createGateway', options, gatewayOptions);
  // Before anything can fail: every error and log line from here on is scrubbed of these.
  for (const secret of options.secrets ?? []) registerSecret(secret);
  for (const key of options.keys ?? []) registerSecret(key.key);
  const policy = new GatewayPolicy({
    bridge: options.bridge,
    ...(options.keys ? { keys: options.keys } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.limits?.maxMessages ? { maxMessages: options.limits.maxMessages } : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(options.responseTtlMs ? { responseTtlMs: options.responseTtlMs } : {}),
    ...(options.catalog ? { catalog: options.catalog } : {}),
    ...(options.modelAliases ? { modelAliases: options.modelAliases } : {}),
    ...(options.passThroughProviders ? { passThroughProviders: options.passThroughProviders } : {}),
  });
  const keyring = policy.keyring;
  const metrics =
    options.metrics === false ? undefined : new GatewayMetrics(() => options.router?.circuitStates() ?? {});
  const shutdown = new AbortController();
  // Every call in flight listens to it: no "possible memory leak" warning past 10 of them.
  setMaxListeners(0, shutdown.signal);
  const knownModels = new KnownModels(options.knownModels);
  const deps: ChatEndpointDeps = {
    policy,
    limits: { ...defaultBodyLimits, ...options.limits },
    metrics,
    costOf: options.costOf,
    authenticate: (incoming) => policy.authenticate(presentedKey(incoming.headers)),
    clientAddress: (incoming) => clientAddress(incoming, options.trustProxy ?? false),
    shutdownSignal: shutdown.signal,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    streamIdleTimeoutMs: options.streamIdleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS,
    modelLabel: (provider, model) => knownModels.label(provider, model),
  };
  // Not strict: `/v1/models/` is `/v1/models`, as clients that join a base URL and a path send it.
  const app = new Hono<{ Bindings: HttpBindings }>({ strict: false });
  for (const handler of options.use ?? []) app.use('*', handler);
  if (options.corsOrigins && options.corsOrigins.length > 0) app.use('*', gatewayCors(options.corsOrigins));

  const routes = inboundRouteTable();
  const chat = (endpoint: string, codec: WireCodec) => {
    // Decided here, once: only a protocol that puts the call in its path has it read per request.
    const readPath = codec.inbound?.pathCarriesCall ? codec.endpoints.parseChatPath : undefined;
    return async (c: GatewayContext) => {
      await serveChat(endpoint, codec, deps, c.env.incoming, c.env.outgoing, readPath?.(c.req.path));
      return RESPONSE_ALREADY_SENT;
    };
  };
  for (const { path, codec } of routes.chat)
    app.post(path, chat(codec.inbound?.endpoint ?? codec.protocol, codec));

  const listModelsRoute = (route: ModelsRoute) => async (c: GatewayContext) => {
    const codec = route.codecFor(c.env.incoming.headers);
    try {
      const key = policy.authenticate(presentedKey(c.env.incoming.headers));
      // A key sees only the models it may use, under either name it may ask for them by.
      const models = (await listModels(options)).filter((model) =>
        policy.allowsModel(key, model.id, `${model.provider}/${model.id}`),
      );
      return c.json(codec.encodeModelList(models.map(listedModel)));
    } catch (error) {
      sendError(c.env.outgoing, codec, toAiMateyError(error), createRequestId());
      return RESPONSE_ALREADY_SENT;
    }
  };
  for (const route of routes.models) app.get(route.path, listModelsRoute(route));

  app.get('/health/live', (c) => c.json({ status: 'ok' }));
  // With keys configured, what the gateway runs and how busy it is (backends, circuits, models,
  // traffic) is for key holders only; `/health/live` stays open for probes.
  const requireKey = (c: GatewayContext) => {
    if (keyring.enabled) keyring.authenticate(presentedKey(c.env.incoming.headers));
  };
  app.get('/health/ready', async (c) => {
    requireKey(c);
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
    app.get('/metrics', async (c) => {
      requireKey(c);
      return c.body(await metrics.text(), 200, { 'content-type': metrics.registry.contentType });
    });
  }

  app.notFound((c) => {
    const codec = routes.codecForPath(c.req.path);
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length > 0) {
      const error = new InvalidRequestError({
        message: `${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(' or ')}`,
        status: 405,
        code: 'method_not_allowed',
      });
      const encoded = codec.encodeError(error);
      sendJson(c.env.outgoing, encoded.status, encoded.body, { allow: allowed.join(', ') });
      return RESPONSE_ALREADY_SENT;
    }
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
      sendError(c.env.outgoing, routes.codecForPath(c.req.path), typed, createRequestId());
    return RESPONSE_ALREADY_SENT;
  });
  const stopCalls = () =>
    shutdown.abort(
      new OverloadedError({
        message: 'The gateway is shutting down; retry the request',
        status: 503,
        code: 'server_shutting_down',
      }),
    );
  return { app, metrics, policy, keyring, options, stopCalls };
}

/** The methods the app serves on a path (trailing slash ignored), `HEAD` with `GET`. */
function allowedMethods(app: Hono<{ Bindings: HttpBindings }>, path: string): string[] {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const methods = new Set<string>();
  for (const route of app.routes) {
    if (route.path !== trimmed || route.method === 'ALL') continue;
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
  }
  return [...methods];
}

type GatewayContext = Context<{ Bindings: HttpBindings }>;

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

/** A model as the gateway lists it: by its `provider/model` name, the id as its display name. */
function listedModel(model: ModelInfo): ListedModel {
  return { id: `${model.provider}/${model.id}`, ownedBy: model.provider, displayName: model.id, created: 0 };
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
