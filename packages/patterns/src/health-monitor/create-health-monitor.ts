import {
  type Backend,
  type CircuitSnapshot,
  checkOptions,
  type Middleware,
  type OptionShape,
  TimeoutError,
  toAiMateyError,
} from 'ai.matey.core';
import { TypedEmitter } from 'ai.matey.core/internal';
import { defaultProbe } from './default-probe.ts';
import { healthMiddleware } from './health-middleware.ts';
import {
  type HealthAlert,
  type HealthReport,
  type HealthStatus,
  type HealthThresholds,
  healthStatus,
  type ProviderHealthReport,
} from './health-report.ts';
import { createProviderState, type ProviderState, providerReport } from './provider-state.ts';
import { type HealthSample, summariseLatency } from './sample-window.ts';

export interface HealthMonitorOptions {
  /** The backends to probe. More join with `runHealthCheck(name, backend)`. Default none. */
  backends?: Record<string, Backend> | Backend[];
  /** Time between active probes. Default 30 s. */
  intervalMs?: number;
  /** A probe; throwing means unhealthy. Default: `backend.healthCheck()`, else a one-token call. */
  probe?: (backend: Backend, context: { name: string; signal: AbortSignal }) => Promise<unknown>;
  /** Default 10 s. */
  probeTimeoutMs?: number;
  thresholds?: HealthThresholds;
  /** The sliding window: the last `samples` (default 60, as in the seed), no older than `ms`. */
  window?: { samples?: number; ms?: number };
  /** A Router (or anything with `circuitStates()`), for circuit state and `circuit-opened`. */
  router?: { circuitStates(): Record<string, CircuitSnapshot | undefined> };
  now?: () => number;
}

export interface HealthMonitorEvents {
  alert: HealthAlert;
  sample: { provider: string; sample: HealthSample };
}

/**
 * Watches providers (the seed's pattern 8): active probes on an interval (timers `unref()`'d, so
 * they never keep a process alive), passive signals from real traffic through `middleware()`,
 * and per provider a status, success rate and latency percentiles over a sliding window.
 * Raises `alert` events on changes: `failure` (became unhealthy), `recovered`, `high-latency`
 * (p95 over the threshold) and `circuit-opened` (from a Router's circuit states).
 *
 * @example
 * const monitor = createHealthMonitor({ backends: { openai, anthropic }, intervalMs: 5_000, router });
 * monitor.on('alert', (alert) => console.warn(alert.type, alert.provider, alert.message));
 * bridge.use(monitor.middleware());
 * monitor.start();
 * console.table(monitor.getHealthReport().providers);
 */
export function createHealthMonitor(options: HealthMonitorOptions = {}): HealthMonitor {
  return new HealthMonitor(options);
}

const healthMonitorOptions: OptionShape<HealthMonitorOptions> = {
  backends: true,
  intervalMs: true,
  probe: true,
  probeTimeoutMs: true,
  thresholds: {
    healthyAboveSuccessPct: true,
    unhealthyBelowSuccessPct: true,
    unhealthyAfterFailures: true,
    highLatencyMs: true,
    minSamples: true,
  },
  router: true,
  now: true,
  window: { samples: true, ms: true },
};

/** See `createHealthMonitor`. */
export class HealthMonitor extends TypedEmitter<HealthMonitorEvents> {
  readonly #options: HealthMonitorOptions;
  readonly #backends: Map<string, Backend>;
  readonly #states = new Map<string, ProviderState>();
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #probes = new AbortController();
  readonly #alerts: HealthAlert[] = [];

  constructor(options: HealthMonitorOptions = {}) {
    super();
    checkOptions('HealthMonitor', options, healthMonitorOptions);
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#backends = new Map(
      Array.isArray(options.backends)
        ? options.backends.map((b) => [b.metadata.name, b])
        : Object.entries(options.backends ?? {}),
    );
    for (const name of this.#backends.keys()) this.#state(name);
  }

  /** Probes now and then every `intervalMs`, until `stop()`. */
  start(): this {
    if (this.#timer) return this;
    this.#probes = new AbortController();
    void this.checkNow();
    this.#timer = setInterval(() => void this.checkNow(), this.#options.intervalMs ?? 30_000);
    this.#timer.unref?.();
    return this;
  }

  /** Stops probing and aborts probes under way. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#probes.abort();
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  /** Probes every backend once (skipping one whose last probe is still running). */
  async checkNow(): Promise<HealthReport> {
    await Promise.all([...this.#backends].map(([name, backend]) => this.#probe(name, backend)));
    this.#checkCircuits();
    return this.getHealthReport();
  }

  /** Probes every backend once (the integration-patterns guide's name for `checkNow`). */
  runHealthChecks(): Promise<HealthReport> {
    return this.checkNow();
  }

  /**
   * Probes one backend now, adding it under `name` if the monitor does not know it yet (later
   * `runHealthChecks()` and `start()` probe it too), as the guide's `runHealthCheck(provider, backend)`.
   */
  async runHealthCheck(name: string, backend: Backend): Promise<ProviderHealthReport> {
    if (!this.#backends.has(name)) this.#backends.set(name, backend);
    await this.#probe(name, this.#backends.get(name) ?? backend);
    const report = this.getHealthReport().providers[name];
    if (!report) throw new Error(`No health report for '${name}'`);
    return report;
  }

  /** Records one observed call, from your own code or from the middleware. */
  record(observation: {
    provider: string;
    success: boolean;
    latencyMs?: number;
    error?: unknown;
    source?: 'probe' | 'traffic';
  }): void {
    const state = this.#state(observation.provider);
    const sample: HealthSample = {
      at: this.#now(),
      success: observation.success,
      source: observation.source ?? 'traffic',
      ...(observation.latencyMs === undefined ? {} : { latencyMs: observation.latencyMs }),
      ...(observation.error === undefined ? {} : { error: toAiMateyError(observation.error).message }),
    };
    state.window.push(sample);
    state.consecutiveFailures = sample.success ? 0 : state.consecutiveFailures + 1;
    if (sample.error) state.lastError = sample.error;
    this.emit('sample', { provider: observation.provider, sample });
    this.#evaluate(observation.provider, state);
  }

  /** A Middleware that records every call's outcome and latency per backend. */
  middleware(): Middleware {
    return healthMiddleware((observation) => this.record(observation));
  }

  /** Alerts raised so far (the last 1,000). */
  alerts(): HealthAlert[] {
    return [...this.#alerts];
  }

  getHealthReport(): HealthReport {
    this.#checkCircuits();
    const providers: Record<string, ProviderHealthReport> = {};
    for (const [name, state] of this.#states) {
      providers[name] = providerReport(state, state.window.current(this.#now()), this.#statusOf(state));
    }
    return {
      generatedAt: new Date(this.#now()).toISOString(),
      healthy: Object.values(providers).every((p) => p.status !== 'unhealthy'),
      providers,
    };
  }

  async #probe(name: string, backend: Backend): Promise<void> {
    const state = this.#state(name);
    if (state.probing) return;
    state.probing = true;
    const timeoutMs = this.#options.probeTimeoutMs ?? 10_000;
    const signal = AbortSignal.any([this.#probes.signal, AbortSignal.timeout(timeoutMs)]);
    const started = performance.now();
    try {
      if (this.#options.probe) await this.#options.probe(backend, { name, signal });
      else await defaultProbe(backend, signal);
      state.lastCheck = this.#now();
      this.record({ provider: name, success: true, latencyMs: performance.now() - started, source: 'probe' });
    } catch (error) {
      if (this.#probes.signal.aborted) return; // stopped: no verdict
      state.lastCheck = this.#now();
      const typed =
        signal.aborted && !this.#probes.signal.aborted
          ? new TimeoutError({ message: `Health probe of '${name}' took longer than ${timeoutMs} ms` })
          : error;
      this.record({ provider: name, success: false, error: typed, source: 'probe' });
    } finally {
      state.probing = false;
    }
  }

  #statusOf(state: ProviderState): HealthStatus {
    return healthStatus(
      state.window.current(this.#now()),
      state.consecutiveFailures,
      state.circuit,
      this.#options.thresholds,
    );
  }

  #evaluate(provider: string, state: ProviderState): void {
    const previous = state.status;
    const status = this.#statusOf(state);
    state.status = status;
    if (status === 'unhealthy' && previous !== 'unhealthy') {
      this.#alert('failure', provider, `Unhealthy: ${state.lastError ?? 'failing'}`, status);
    } else if (status === 'healthy' && (previous === 'unhealthy' || previous === 'degraded')) {
      this.#alert('recovered', provider, `Recovered (was ${previous})`, status);
    }
    const highLatencyMs = this.#options.thresholds?.highLatencyMs ?? 2_000;
    const p95 = summariseLatency(state.window.current(this.#now()))?.p95;
    if (p95 !== undefined && p95 > highLatencyMs && !state.latencyAlerted) {
      state.latencyAlerted = true;
      this.#alert('high-latency', provider, `p95 latency ${p95.toFixed(0)} ms > ${highLatencyMs} ms`, status);
    } else if (p95 !== undefined && p95 <= highLatencyMs) {
      state.latencyAlerted = false;
    }
  }

  #checkCircuits(): void {
    const circuits = this.#options.router?.circuitStates() ?? {};
    for (const [provider, snapshot] of Object.entries(circuits)) {
      if (!snapshot) continue;
      const state = this.#state(provider);
      const previous = state.circuit;
      state.circuit = snapshot.state;
      if (snapshot.state === 'open' && previous !== 'open') {
        state.status = 'unhealthy';
        this.#alert(
          'circuit-opened',
          provider,
          `Circuit opened after ${snapshot.consecutiveFailures} failures`,
          'unhealthy',
        );
      } else if (previous === 'open' && snapshot.state !== 'open') {
        this.#evaluate(provider, state);
      }
    }
  }

  #alert(type: HealthAlert['type'], provider: string, message: string, status: HealthStatus): void {
    const alert: HealthAlert = { type, provider, message, status, at: new Date(this.#now()).toISOString() };
    this.#alerts.push(alert);
    if (this.#alerts.length > 1000) this.#alerts.shift();
    this.emit('alert', alert);
  }

  #state(provider: string): ProviderState {
    let state = this.#states.get(provider);
    if (!state) {
      state = createProviderState(this.#options.window);
      this.#states.set(provider, state);
    }
    return state;
  }
}
