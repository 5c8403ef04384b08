import { type ChatResponse, type CircuitSnapshot, redactSecrets } from 'ai.matey.core';
import type { BulkheadStats } from 'ai.matey.middleware';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What a gauge of `addGauge` reads: one value, or one per label value. */
export type GaugeReading = number | Partial<Record<string, number>>;

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Prometheus metrics of one gateway, in its own registry (several gateways can share a process),
 * with Node's process metrics (`process_*`, `nodejs_*`: CPU, memory, event-loop lag, GC, handles)
 * beside them.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'endpoint' | 'provider' | 'model' | 'status'>;
  readonly #duration: Histogram<'endpoint' | 'provider' | 'model' | 'stream'>;
  readonly #firstByte: Histogram<'endpoint' | 'provider' | 'model'>;
  readonly #tokens: Counter<'provider' | 'model' | 'type'>;
  readonly #cost: Counter<'provider' | 'model'>;
  readonly #errors: Counter<'endpoint' | 'kind' | 'provider'>;
  readonly #tokenCounts: Counter<'endpoint' | 'provider' | 'outcome'>;
  readonly #guardrailVerdicts: Counter<'guardrail' | 'phase' | 'verdict'>;

  constructor(circuitStates?: () => Record<string, CircuitSnapshot | undefined>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#requests = new Counter({
      name: 'matey_requests_total',
      help: 'Chat requests served, by endpoint, provider, model and HTTP status',
      labelNames: ['endpoint', 'provider', 'model', 'status'],
      registers,
    });
    this.#duration = new Histogram({
      name: 'matey_request_duration_seconds',
      help: 'Whole request latency',
      labelNames: ['endpoint', 'provider', 'model', 'stream'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#firstByte = new Histogram({
      name: 'matey_time_to_first_event_seconds',
      help: 'Time from request to the first streamed event',
      labelNames: ['endpoint', 'provider', 'model'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#tokens = new Counter({
      name: 'matey_tokens_total',
      help: 'Tokens used, by provider, model and type (input, output, cached_input, reasoning)',
      labelNames: ['provider', 'model', 'type'],
      registers,
    });
    this.#cost = new Counter({
      name: 'matey_cost_usd_total',
      help: 'Cost in USD from real usage and catalog prices',
      labelNames: ['provider', 'model'],
      registers,
    });
    this.#errors = new Counter({
      name: 'matey_errors_total',
      help: 'Failed requests by error kind',
      labelNames: ['endpoint', 'kind', 'provider'],
      registers,
    });
    this.#tokenCounts = new Counter({
      name: 'matey_token_counts_total',
      help: 'Token-count calls, by endpoint, provider and outcome (exact, estimate, error)',
      labelNames: ['endpoint', 'provider', 'outcome'],
      registers,
    });
    this.#guardrailVerdicts = new Counter({
      name: 'matey_guardrail_verdicts_total',
      help: 'Guardrail verdicts, once per call, guardrail, phase (input, output) and verdict',
      labelNames: ['guardrail', 'phase', 'verdict'],
      registers,
    });
    const states = { closed: 0, 'half-open': 1, open: 2 } as const;
    new Gauge({
      name: 'matey_circuit_state',
      help: 'Circuit state per backend: 0 closed, 1 half-open, 2 open',
      labelNames: ['backend'],
      registers,
      collect() {
        this.reset();
        for (const [backend, snapshot] of Object.entries(circuitStates?.() ?? {})) {
          if (snapshot) this.set({ backend }, states[snapshot.state]);
        }
      },
    });
  }

  recordSuccess(
    endpoint: string,
    response: Pick<ChatResponse, 'provider' | 'model' | 'usage'>,
    durationMs: number,
    stream: boolean,
    costUsd?: number,
  ): void {
    const provider = label(response.provider || 'unknown');
    const model = label(response.model || 'unknown');
    this.#requests.inc({ endpoint, provider, model, status: '200' });
    this.#duration.observe({ endpoint, provider, model, stream: String(stream) }, durationMs / 1000);
    const { usage } = response;
    if (usage.inputTokens) this.#tokens.inc({ provider, model, type: 'input' }, usage.inputTokens);
    if (usage.outputTokens) this.#tokens.inc({ provider, model, type: 'output' }, usage.outputTokens);
    if (usage.cachedInputTokens)
      this.#tokens.inc({ provider, model, type: 'cached_input' }, usage.cachedInputTokens);
    if (usage.reasoningTokens)
      this.#tokens.inc({ provider, model, type: 'reasoning' }, usage.reasoningTokens);
    if (costUsd) this.#cost.inc({ provider, model }, costUsd);
  }

  recordFirstEvent(endpoint: string, provider: string, model: string, ms: number): void {
    this.#firstByte.observe({ endpoint, provider: label(provider), model: label(model) }, ms / 1000);
  }

  recordError(endpoint: string, kind: string, status: number, provider = 'none'): void {
    const safeProvider = label(provider);
    this.#requests.inc({ endpoint, provider: safeProvider, model: 'none', status: String(status) });
    this.#errors.inc({ endpoint, kind, provider: safeProvider });
  }

  /** A token-count call: counted by the upstream (`exact`), estimated, or failed. */
  recordTokenCount(endpoint: string, provider: string, outcome: 'exact' | 'estimate' | 'error'): void {
    this.#tokenCounts.inc({ endpoint, provider: label(provider), outcome });
  }

  /** A guardrail's verdict on a call: `pass`, `flag`, `block` or `rewrite`, on its `input` or `output`. */
  recordGuardrailVerdict(guardrail: string, phase: string, verdict: string): void {
    this.#guardrailVerdicts.inc({ guardrail: label(guardrail), phase, verdict });
  }

  /**
   * A gauge read when `/metrics` is scraped (a queue's backlog, say), in this gateway's registry:
   * one value, or with `labelName` one value per label value (`{ memory: 3, redis: 0 }`).
   */
  addGauge(
    name: string,
    help: string,
    read: () => GaugeReading | Promise<GaugeReading>,
    labelName?: string,
  ): void {
    new Gauge({
      name,
      help,
      labelNames: labelName ? [labelName] : [],
      registers: [this.registry],
      async collect() {
        const value = await read();
        if (typeof value === 'number' || !labelName) return this.set(Number(value));
        this.reset();
        for (const [label, count] of Object.entries(value))
          if (count !== undefined) this.set({ [labelName]: label }, count);
      },
    });
  }

  /**
   * A counter read when `/metrics` is scraped, one series per label value, from totals kept
   * elsewhere (a middleware's stats), in this gateway's registry.
   */
  addCounter(name: string, help: string, labelName: string, read: () => Record<string, number>): void {
    new Counter({
      name,
      help,
      labelNames: [labelName],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [value, total] of Object.entries(read())) this.inc({ [labelName]: value }, total);
      },
    });
  }

  /**
   * Each provider's bulkhead, read when `/metrics` is scraped: calls in flight, calls waiting for
   * a slot, and calls refused (by reason: `queue_full`, `queue_timeout`).
   */
  watchBulkheads(read: () => Record<string, BulkheadStats>): void {
    const registers = [this.registry];
    const gauge = (name: string, help: string, value: (stats: BulkheadStats) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['provider'],
        registers,
        collect() {
          this.reset();
          for (const [provider, stats] of Object.entries(read()))
            this.set({ provider: label(provider) }, value(stats));
        },
      });
    gauge(
      'matey_bulkhead_in_flight',
      'Upstream calls in flight per provider (its bulkhead slots taken)',
      (s) => s.inFlight,
    );
    gauge('matey_bulkhead_queued', 'Calls waiting for a slot of the provider', (s) => s.queued);
    new Counter({
      name: 'matey_bulkhead_rejected_total',
      help: 'Calls a full bulkhead refused (then fallen back or failed), by provider and reason',
      labelNames: ['provider', 'reason'],
      registers,
      collect() {
        this.reset();
        for (const [name, stats] of Object.entries(read())) {
          const provider = label(name);
          this.inc({ provider, reason: 'queue_full' }, stats.rejectedQueueFull);
          this.inc({ provider, reason: 'queue_timeout' }, stats.rejectedQueueTimeout);
        }
      },
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** A label value from upstream text: never a registered secret. */
function label(value: string): string {
  return redactSecrets(value);
}
