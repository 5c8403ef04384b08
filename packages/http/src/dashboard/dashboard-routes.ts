import type { Router } from 'ai.matey.core';
import { Hono } from 'hono';
import { adminAuth } from '../admin/admin-auth.ts';
import { AdminApiError, adminErrorHandler } from '../admin/admin-error.ts';
import type { GatewayContext, GatewayEnv } from '../gateway-env.ts';
import { type SseSource, sseResponse } from '../sse-response.ts';
import { dashboardAsset } from './dashboard-assets.ts';
import type { DashboardRecorder } from './dashboard-recorder.ts';
import { dashboardSnapshot } from './dashboard-snapshot.ts';

export interface DashboardAppOptions {
  /** The admin master key: every data route asks for it (`Authorization: Bearer`). */
  key: string;
  recorder: DashboardRecorder;
  /** The router whose backends and circuits the page shows. */
  router: Router | undefined;
  contentLogging: boolean;
  /** Whether the admin API (`/admin/keys`) is there for the page's key management. */
  keyManagement: boolean;
  /** Ends the live streams (the gateway's shutdown). */
  signal?: AbortSignal;
  /** Time between two live snapshots, ms. Default 1,000. */
  intervalMs?: number;
}

const DEFAULT_WINDOW_SECONDS = 120;
const MAX_WINDOW_SECONDS = 900;
const SHARED_FOR_MS = 500;

// The page loads only its own files and talks only to this origin: no inline script or style.
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * The dashboard as a Hono app, mounted by `createGateway` at `/dashboard` when the admin master
 * key is set: the page and its files (no data in them), the current snapshot
 * (`/dashboard/api/snapshot`) and a live stream of snapshots, one a second
 * (`/dashboard/events`, server-sent events); both for holders of the master key only.
 *
 * @example
 * app.route('/dashboard', dashboardApp({ key, recorder, router, contentLogging: false, keyManagement: true }));
 */
export function dashboardApp(options: DashboardAppOptions): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>({ strict: false });
  const { router, recorder } = options;
  // Every open page asks each second: pages on the same window share one snapshot per half second.
  const made = new Map<number, { at: number; text: string }>();
  const snapshot = (c: GatewayContext): string => {
    const windowSeconds = windowOf(c.req.query('window'));
    const now = recorder.now();
    const last = made.get(windowSeconds);
    if (last && now - last.at < SHARED_FOR_MS && now >= last.at) return last.text;
    const text = JSON.stringify(
      dashboardSnapshot({
        ...options,
        backends: () => router?.backendNames ?? [],
        circuits: () => router?.circuitStates() ?? {},
        windowSeconds,
      }),
    );
    made.set(windowSeconds, { at: now, text });
    return text;
  };

  app.get('/', (c) => file(c, 'index.html'));
  app.get('/assets/:name', (c) => file(c, c.req.param('name')));
  app.use('/api/*', adminAuth(options.key));
  app.use('/events', adminAuth(options.key));
  app.get('/api/snapshot', (c) =>
    c.body(snapshot(c), 200, { 'content-type': 'application/json', 'cache-control': 'no-store' }),
  );
  app.get('/events', (c) =>
    sseResponse(
      c,
      { 'cache-control': 'no-store' },
      snapshotStream(() => snapshot(c), options.intervalMs ?? 1_000, options.signal),
    ),
  );
  app.notFound((c) =>
    c.json(new AdminApiError({ status: 404, message: `No dashboard route ${c.req.path}` }).toBody(), 404),
  );
  app.onError(adminErrorHandler('The dashboard'));
  return app;
}

async function file(c: GatewayContext, name: string): Promise<Response> {
  const asset = await dashboardAsset(name);
  if (!asset) throw new AdminApiError({ status: 404, message: `No dashboard file '${name}'` });
  return c.body(asset.body, 200, { 'content-type': asset.type, ...PAGE_HEADERS });
}

function windowOf(text: string | undefined): number {
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds <= 0) return DEFAULT_WINDOW_SECONDS;
  return Math.min(seconds, MAX_WINDOW_SECONDS);
}

/** A snapshot now, then one every `intervalMs` until the client goes or the gateway stops. */
function snapshotStream(read: () => string, intervalMs: number, signal?: AbortSignal): SseSource {
  let first = true;
  let ended = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const end = () => {
    ended = true;
    clearTimeout(timer);
    wake?.();
  };
  signal?.addEventListener('abort', end, { once: true });
  return {
    async next() {
      if (!first && !ended) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, intervalMs);
        });
      }
      first = false;
      if (ended) {
        signal?.removeEventListener('abort', end);
        return undefined;
      }
      return `event: snapshot\ndata: ${read()}\n\n`;
    },
    cancel: end,
  };
}
