import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from 'ai.matey.core';
import type { Hono } from 'hono';
import type { GatewayContext, GatewayEnv } from './gateway-env.ts';
import { type GatewayKeyring, presentedKey } from './gateway-keys.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import type { GatewayOptions } from './gateway-options.ts';
import { jsonReply, textReply } from './json-reply.ts';
import type { OnStoreDown, StoreHealth } from './store-health.ts';

export interface HealthRoutesDeps {
  options: GatewayOptions;
  keyring: GatewayKeyring;
  metrics: GatewayMetrics | undefined;
  storeHealth: StoreHealth | undefined;
  onStoreDown: OnStoreDown;
}

/**
 * `GET /health/live` (open, for probes), `GET /health/ready` (backends, circuits, the state
 * store: `store: up|down`) and `GET /metrics` (the gateway's own and Node's process metrics).
 * With keys configured, readiness and metrics are for key holders only: what the gateway runs
 * and how busy it is are not for everyone. With `metricsKey`, `/metrics` is for its holder only
 * (a scraper's secret, never a gateway key).
 */
export function healthRoutes(app: Hono<GatewayEnv>, deps: HealthRoutesDeps): void {
  const { options, keyring, metrics, storeHealth, onStoreDown } = deps;
  const requireKey = async (c: GatewayContext) => {
    if (keyring.enabled) await keyring.authenticate(presentedKey(c.env.incoming.headers));
  };
  // With both on fail-open, a store that is down does not stop calls: the gateway stays ready.
  const needsStore = onStoreDown.rateLimits === 'fail-closed' || onStoreDown.budgets === 'fail-closed';

  app.get('/health/live', (c) => jsonReply(c, { status: 'ok' }));
  app.get('/health/ready', async (c) => {
    await requireKey(c);
    const backends = options.router ? options.router.backendNames.length : 1;
    const [storeUp, ...checks] = await Promise.all([
      storeHealth ? storeHealth.check() : true,
      ...(options.readinessChecks ?? []).map((check) => check().catch(() => false)),
    ]);
    const ready = backends > 0 && checks.every(Boolean) && (storeUp || !needsStore);
    return jsonReply(
      c,
      {
        status: ready ? 'ready' : 'not-ready',
        backends,
        ...(storeHealth ? { store: storeUp ? 'up' : 'down' } : {}),
        circuits: options.router?.circuitStates() ?? {},
      },
      ready ? 200 : 503,
    );
  });
  if (!metrics) return;
  if (storeHealth)
    metrics.addGauge(
      'matey_store_up',
      'Whether the state store (rate limits, budgets) answers: 1 or 0',
      () => (storeHealth.up ? 1 : 0),
    );
  const requireMetricsKey = options.metricsKey ? bearerOf(options.metricsKey) : requireKey;
  app.get('/metrics', async (c) => {
    await requireMetricsKey(c);
    return textReply(c, await metrics.text(), 200, { 'content-type': metrics.registry.contentType });
  });
}

/** Admits only the holder of `secret` (`Authorization: Bearer` or `x-api-key`), compared in constant time. */
function bearerOf(secret: string): (c: GatewayContext) => Promise<void> {
  const expected = createHash('sha256').update(secret).digest();
  return async (c) => {
    const presented = presentedKey(c.env.incoming.headers);
    if (!presented)
      throw new AuthenticationError({
        message: 'Missing metrics key: send Authorization: Bearer <metricsKey>',
      });
    if (!timingSafeEqual(createHash('sha256').update(presented).digest(), expected))
      throw new AuthenticationError({ message: 'Invalid metrics key', code: 'invalid_api_key' });
  };
}
