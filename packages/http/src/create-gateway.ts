import { setMaxListeners } from 'node:events';
import type { IncomingMessage } from 'node:http';
import {
  checkOptions,
  InvalidRequestError,
  ModelNotFoundError,
  type OptionShape,
  OverloadedError,
  toAiMateyError,
} from 'ai.matey.core';
import { registerSecret } from 'ai.matey.core/internal';
import type { ChatPathInfo, WireCodec } from 'ai.matey.wire';
import { Hono } from 'hono';
import { adminApp } from './admin/admin-routes.ts';
import { type ChatEndpointDeps, serveChat } from './chat-endpoint.ts';
import { serveCountTokens } from './count-tokens-endpoint.ts';
import { DashboardRecorder } from './dashboard/dashboard-recorder.ts';
import { dashboardApp } from './dashboard/dashboard-routes.ts';
import { serveEmbeddings } from './embed-endpoint.ts';
import { errorReply } from './error-reply.ts';
import { gatewayCors } from './gateway-cors.ts';
import type { GatewayContext, GatewayEnv } from './gateway-env.ts';
import { type GatewayKeyring, presentedKey } from './gateway-keys.ts';
import { GatewayMetrics } from './gateway-metrics.ts';
import type { GatewayOptions } from './gateway-options.ts';
import { GatewayPolicy } from './gateway-policy.ts';
import { gatewayRequestId } from './gateway-request-id.ts';
import { healthRoutes } from './health-routes.ts';
import { inboundRouteTable } from './inbound-routes.ts';
import { KnownModels } from './known-models.ts';
import { modelsEndpoints } from './models-endpoint.ts';
import { defaultBodyLimits } from './read-json-body.ts';
import { sseWriter } from './sse-writer.ts';
import { onStoreDownOf, StoreHealth } from './store-health.ts';
import { serveStoredResponse, serveStoredResponseInputs } from './stored-response-endpoint.ts';

/** Default longest wait for a reply (or a stream's first event), retries and fallbacks included. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 600_000;
/** Default longest silence inside a stream. */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 120_000;

export interface Gateway {
  /** The Hono app (mount it, or serve it with `serveGateway`). */
  app: Hono<GatewayEnv>;
  metrics: GatewayMetrics | undefined;
  /** The policy point every call passes, here and on the WebSocket (`attachWebSocketGateway`). */
  policy: GatewayPolicy;
  keyring: GatewayKeyring;
  options: GatewayOptions;
  /** Whether `store` answers (limits and budgets follow `onStoreDown` while it does not). */
  storeHealth: StoreHealth | undefined;
  /**
   * Ends every call in flight now: open streams get an error event (`server_shutting_down`) in
   * their own format, waiting calls a 503, and their upstream calls are cancelled. `serveGateway`
   * calls it when the shutdown grace period runs out.
   */
  stopCalls(): void;
  /**
   * Ends the streams that only watch the gateway (the dashboard's live stream) at once, so they
   * do not hold a shutdown for its grace period; calls in flight go on. `serveGateway` calls it
   * as it starts to close.
   */
  stopWatchers(): void;
}

const gatewayOptions: OptionShape<GatewayOptions> = {
  bridge: true,
  router: true,
  keys: true,
  keySources: true,
  outerMiddleware: true,
  keyConcurrency: { limits: true, retryAfterMs: true },
  admin: true,
  dashboard: { key: true, contentLogging: true, recentCalls: true },
  corsOrigins: true,
  trustProxy: true,
  costOf: true,
  readinessChecks: true,
  metrics: true,
  metricsKey: true,
  limits: { maxBodyBytes: true, maxJsonDepth: true, maxMessages: true, bodyTimeoutMs: true },
  store: true,
  onStoreDown: true,
  onStoreChange: true,
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
 * The OpenAI-, Anthropic- and Gemini-compatible gateway as a Hono app:
 * `POST /v1/chat/completions`, `POST /v1/messages` (and `/count_tokens`), `POST /v1/embeddings`,
 * Gemini's `/v1beta/models/{model}:generateContent` (`:streamGenerateContent`, `:countTokens`),
 * `POST /v1/responses` (and `GET`/`DELETE /v1/responses/{id}` for a reply the key stored),
 * `GET /v1/models`, `GET /health/live`, `GET /health/ready`, `GET /metrics`, and the routes of
 * any wire protocol registered (with `registerWireProtocol`) before it is created.
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
  for (const secret of [options.admin?.key, options.metricsKey, options.dashboard?.key])
    if (secret) registerSecret(secret);
  const onStoreDown = onStoreDownOf(options.onStoreDown);
  const storeHealth =
    options.store &&
    new StoreHealth(options.store, options.onStoreChange ? { onChange: options.onStoreChange } : {});
  // Outermost at the policy point: it sees every call, refused ones included.
  const recorder = options.dashboard
    ? new DashboardRecorder({
        ...options.dashboard,
        costOf: options.costOf,
        teamOf: (keyId) => policy.keyById(keyId)?.team?.id,
      })
    : undefined;
  const outerMiddleware = [...(recorder ? [recorder.middleware()] : []), ...(options.outerMiddleware ?? [])];
  const policy = new GatewayPolicy({
    bridge: options.bridge,
    ...(options.keys ? { keys: options.keys } : {}),
    ...(options.keySources ? { keySources: options.keySources } : {}),
    ...(outerMiddleware.length > 0 ? { outerMiddleware } : {}),
    ...(options.keyConcurrency ? { keyConcurrency: options.keyConcurrency } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.limits?.maxMessages ? { maxMessages: options.limits.maxMessages } : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(storeHealth ? { storeHealth, onStoreDown } : {}),
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
    authenticate: (incoming, places) =>
      policy.authenticate(presentedKey(incoming.headers, incoming.url, places)),
    clientAddress: (incoming) => clientAddress(incoming, options.trustProxy ?? false),
    shutdownSignal: shutdown.signal,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    streamIdleTimeoutMs: options.streamIdleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS,
    modelLabel: (provider, model) => knownModels.label(provider, model),
    onRefused: recorder && ((requestId, kind, ms) => recorder.refused(requestId, kind, ms)),
  };
  // Not strict: `/v1/models/` is `/v1/models`, as clients that join a base URL and a path send it.
  const app = new Hono<GatewayEnv>({ strict: false });
  // First, so it runs last: an event stream is written once every middleware has seen its reply.
  app.use('*', sseWriter());
  app.use('*', gatewayRequestId());
  for (const handler of options.use ?? []) app.use('*', handler);
  const corsOrigins = options.corsOrigins ?? [];
  if (corsOrigins.length > 0) app.use('*', gatewayCors(policy, corsOrigins.includes('*')));

  // Each inbound protocol's routes (`WireCodec.inbound`). A route is a Hono handler that returns
  // a `Response`: `jsonReply(c, body)` for a reply, `errorReply(c, codec, error)` for a refusal in the
  // caller's format, `sseResponse(c, headers, source)` for an event stream; `c.get('requestId')`
  // is the call's id. Every middleware above (and in `use`) sees each reply.
  const routes = inboundRouteTable();
  const chat = (endpoint: string, codec: WireCodec) => {
    // Decided here, once: only a protocol that puts the call in its path has it read per request.
    const readPath = codec.inbound?.pathCarriesCall ? codec.endpoints.parseChatPath : undefined;
    return (c: GatewayContext) =>
      serveChat(
        endpoint,
        codec,
        deps,
        c,
        readPath ? withQuery(readPath(c.req.path), c.env.incoming.url) : undefined,
      );
  };
  for (const { path, codec } of routes.chat)
    app.post(path, chat(codec.inbound?.endpoint ?? codec.protocol, codec));
  for (const { path, codec } of routes.countTokens) {
    const { tokenCount } = codec;
    if (!tokenCount) continue;
    app.post(path, (c: GatewayContext) =>
      serveCountTokens({ ...codec, tokenCount }, deps, c, tokenCount.parsePath(c.req.path)),
    );
  }
  for (const { path, codec } of routes.storedResponses) {
    const { encodeDeletedResponse } = codec;
    if (!encodeDeletedResponse) continue;
    const served = { ...codec, encodeDeletedResponse };
    const serve = (c: GatewayContext) => serveStoredResponse(served, deps, c);
    app.get(path, serve);
    app.delete(path, serve);
  }
  for (const { path, codec } of routes.storedResponseInputs) {
    const { encodeInputItemList } = codec;
    if (!encodeInputItemList) continue;
    const served = { ...codec, encodeInputItemList };
    app.get(path, (c: GatewayContext) => serveStoredResponseInputs(served, deps, c));
  }
  for (const { path, codec, embeddings } of routes.embeddings) {
    const endpoint = `${codec.inbound?.endpoint ?? codec.protocol}-embeddings`;
    const readPath = codec.inbound?.pathCarriesCall ? codec.endpoints.parseEmbedPath : undefined;
    app.post(path, (c: GatewayContext) =>
      serveEmbeddings(endpoint, codec, embeddings, deps, c, readPath?.(c.req.path)),
    );
  }

  const modelsRoutes = modelsEndpoints(options, policy);
  for (const route of routes.models) app.get(route.path, modelsRoutes.list(route));
  for (const route of routes.modelItems) app.get(route.path, modelsRoutes.item(route));

  // The admin API answers in its own JSON error shape, never a gateway key's.
  if (options.admin) app.route('/admin', adminApp(options.admin));
  const watchers = new AbortController();
  if (options.dashboard && recorder) {
    const { key, contentLogging = false } = options.dashboard;
    const keyManagement = options.admin !== undefined;
    const signal = AbortSignal.any([watchers.signal, shutdown.signal]);
    app.route(
      '/dashboard',
      dashboardApp({ key, recorder, router: options.router, contentLogging, keyManagement, signal }),
    );
  }
  healthRoutes(app, { options, keyring, metrics, storeHealth, onStoreDown });

  app.notFound((c) => {
    const codec = routes.codecForPath(c.req.path);
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length > 0) {
      const error = new InvalidRequestError({
        message: `${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(' or ')}`,
        status: 405,
        code: 'method_not_allowed',
      });
      return errorReply(c, codec, error, { allow: allowed.join(', ') });
    }
    const error = new ModelNotFoundError({
      message: `No route for ${c.req.method} ${c.req.path}`,
      code: 'route_not_found',
    });
    return errorReply(c, codec, error);
  });
  app.onError((error, c) => errorReply(c, routes.codecForPath(c.req.path), toAiMateyError(error)));
  const stopCalls = () =>
    shutdown.abort(
      new OverloadedError({
        message: 'The gateway is shutting down; retry the request',
        status: 503,
        code: 'server_shutting_down',
      }),
    );
  const stopWatchers = () => watchers.abort();
  return { app, metrics, policy, keyring, options, storeHealth, stopCalls, stopWatchers };
}

/** What the path says, with the call's query (Gemini's `alt=sse`); nothing when the path says nothing. */
function withQuery(info: ChatPathInfo | undefined, url: string | undefined): ChatPathInfo | undefined {
  const queryAt = url?.indexOf('?') ?? -1;
  return info && { ...info, query: new URLSearchParams(queryAt === -1 ? '' : url?.slice(queryAt + 1)) };
}

/** The methods the app serves on a path (trailing slash ignored), `HEAD` with `GET`. */
function allowedMethods(app: Hono<GatewayEnv>, path: string): string[] {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const methods = new Set<string>();
  for (const route of app.routes) {
    if (route.path !== trimmed || route.method === 'ALL') continue;
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
  }
  return [...methods];
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
