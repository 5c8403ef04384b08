import {
  type CallOutcome,
  type ChatRequest,
  type ChatResponse,
  type EmbedRequest,
  type EmbedResponse,
  type Middleware,
  observeCall,
  redactSecrets,
  toAiMateyError,
} from 'ai.matey.core';
import { COST_GROUPS, type CostGroup, type RecordedCall } from './dashboard-options.ts';

/** What the gateway did in one second: the charts' raw data. */
export interface SecondBucket {
  /** Unix time in seconds. */
  second: number;
  requests: number;
  errors: number;
  latencies: number[];
  firstEvents: number[];
  errorsByKind: Map<string, number>;
  cost: Record<CostGroup, Map<string, number>>;
}

export interface DashboardRecorderOptions {
  /** Calls kept for the latest-requests table. Default 200. */
  recentCalls?: number;
  /** Keep the start of each call's last user message. Default false. */
  contentLogging?: boolean;
  /** The team of a key, by the key's id. */
  teamOf?: (keyId: string) => string | undefined;
  /** The USD cost of a reply (the gateway's `costOf`). */
  costOf?: ((reply: Pick<ChatResponse, 'model' | 'provider' | 'usage'>) => number | undefined) | undefined;
  /** The clock, ms since the epoch (tests). */
  now?: () => number;
}

/** Seconds of per-second buckets kept: the longest window the dashboard draws. */
export const KEPT_SECONDS = 900;
/** Latency samples kept per second, for its percentiles; past it a second's percentiles are of its first ones. */
const SAMPLES_PER_SECOND = 2_000;
const PROMPT_CHARS = 200;

/**
 * The dashboard's memory of the gateway's own calls, in the process (no database needed): the
 * latest calls, and per-second requests, errors by kind, latencies, times to first event and
 * cost by key, team, model and provider, for the last 15 minutes. It hears every call through
 * `middleware()`, at the policy point, and calls refused before it through `refused()`.
 *
 * @example
 * const recorder = new DashboardRecorder({ teamOf: (id) => policy.keyById(id)?.team?.id });
 * new GatewayPolicy({ bridge, outerMiddleware: [recorder.middleware()] });
 */
export class DashboardRecorder {
  readonly #recent: RecordedCall[] = [];
  readonly #capacity: number;
  readonly #buckets = new Map<number, SecondBucket>();
  readonly #errorTotals = new Map<string, number>();
  readonly #options: DashboardRecorderOptions;
  readonly #now: () => number;
  #requestsTotal = 0;

  constructor(options: DashboardRecorderOptions = {}) {
    this.#options = options;
    this.#capacity = options.recentCalls ?? 200;
    this.#now = options.now ?? Date.now;
  }

  /** Calls seen since the start. */
  get requestsTotal(): number {
    return this.#requestsTotal;
  }

  /** Failed calls since the start, by error kind. */
  get errorTotals(): ReadonlyMap<string, number> {
    return this.#errorTotals;
  }

  /** The clock the buckets are kept by. */
  now(): number {
    return this.#now();
  }

  /** A middleware that records every call it passes on, as it ends. */
  middleware(): Middleware {
    return {
      name: 'dashboard-recorder',
      execute: (request, next) =>
        observeCall(next, request, { onEnd: (outcome) => this.#record(request, outcome) }),
      embed: async (request, next) => {
        const started = performance.now();
        try {
          const response = await next(request);
          this.#recordEmbed(request, performance.now() - started, response);
          return response;
        } catch (error) {
          this.#recordEmbed(request, performance.now() - started, undefined, error);
          throw error;
        }
      },
    };
  }

  /** A call refused before the policy point saw it (no key, a wrong one, a bad body). */
  refused(requestId: string | undefined, errorKind: string, latencyMs: number): void {
    this.record({
      ...emptyCall(this.#now()),
      requestId: requestId ?? null,
      status: 'failed',
      errorKind,
      latencyMs,
    });
  }

  /** Adds one ended call. */
  record(call: RecordedCall): void {
    this.#requestsTotal++;
    this.#recent.push(call);
    if (this.#recent.length > this.#capacity) this.#recent.shift();
    const bucket = this.#bucket(Math.floor(call.at / 1000));
    bucket.requests++;
    if (bucket.latencies.length < SAMPLES_PER_SECOND) bucket.latencies.push(call.latencyMs);
    if (call.firstEventMs !== null && bucket.firstEvents.length < SAMPLES_PER_SECOND)
      bucket.firstEvents.push(call.firstEventMs);
    if (call.status === 'failed') {
      const kind = call.errorKind ?? 'unknown';
      bucket.errors++;
      bucket.errorsByKind.set(kind, (bucket.errorsByKind.get(kind) ?? 0) + 1);
      this.#errorTotals.set(kind, (this.#errorTotals.get(kind) ?? 0) + 1);
    }
    if (call.costUsd) {
      const names: Record<CostGroup, string | null> = {
        key: call.keyId,
        team: call.teamId,
        model: call.model,
        provider: call.provider,
      };
      for (const group of COST_GROUPS) {
        const name = names[group] ?? 'none';
        bucket.cost[group].set(name, (bucket.cost[group].get(name) ?? 0) + call.costUsd);
      }
    }
  }

  /** The latest calls, newest first. */
  recent(limit: number): RecordedCall[] {
    return this.#recent.slice(-limit).reverse();
  }

  /** The bucket of one second, if anything happened in it. */
  bucketAt(second: number): SecondBucket | undefined {
    return this.#buckets.get(second);
  }

  #bucket(second: number): SecondBucket {
    let bucket = this.#buckets.get(second);
    if (bucket) return bucket;
    bucket = {
      second,
      requests: 0,
      errors: 0,
      latencies: [],
      firstEvents: [],
      errorsByKind: new Map(),
      cost: { key: new Map(), team: new Map(), model: new Map(), provider: new Map() },
    };
    this.#buckets.set(second, bucket);
    // Insertion order is time order (calls end in order, give or take a second): drop the oldest.
    const oldest = Math.floor(this.#now() / 1000) - KEPT_SECONDS;
    for (const kept of this.#buckets.keys()) {
      if (kept >= oldest) break;
      this.#buckets.delete(kept);
    }
    return bucket;
  }

  #cost(response: Pick<ChatResponse, 'model' | 'provider' | 'usage'>): number | null {
    try {
      const cost = this.#options.costOf?.(response);
      return typeof cost === 'number' && Number.isFinite(cost) ? cost : null;
    } catch {
      return null;
    }
  }

  /** The call's id, key and the key's team, from what the policy put on it. */
  #caller(metadata: Record<string, unknown> = {}): Pick<RecordedCall, 'requestId' | 'keyId' | 'teamId'> {
    const keyId = typeof metadata.apiKeyId === 'string' ? metadata.apiKeyId : null;
    return {
      requestId: typeof metadata.requestId === 'string' ? metadata.requestId : null,
      keyId,
      teamId: (keyId && this.#options.teamOf?.(keyId)) || null,
    };
  }

  #recordEmbed(request: EmbedRequest, latencyMs: number, response?: EmbedResponse, error?: unknown): void {
    const failure = error === undefined ? undefined : toAiMateyError(error);
    this.record({
      ...emptyCall(this.#now()),
      ...this.#caller(request.metadata),
      provider: response?.provider || failure?.provider || null,
      model: response?.model || request.model || null,
      status: failure ? 'failed' : 'ok',
      errorKind: failure?.kind ?? null,
      latencyMs,
      inputTokens: response?.usage.inputTokens ?? null,
      costUsd: response ? this.#cost(response) : null,
      embedding: true,
    });
  }

  #record(request: ChatRequest, outcome: CallOutcome): void {
    const response = outcome.status === 'ok' ? outcome.response : outcome.partial;
    const error = outcome.status === 'failed' ? toAiMateyError(outcome.error) : undefined;
    const usage = outcome.usage;
    const prompt = this.#options.contentLogging ? promptOf(request) : undefined;
    this.record({
      at: this.#now(),
      ...this.#caller(request.metadata),
      provider: response?.provider || error?.provider || null,
      model: response?.model || request.model || null,
      status: outcome.status,
      errorKind: error?.kind ?? null,
      latencyMs: outcome.latencyMs,
      firstEventMs: outcome.timeToFirstEventMs ?? null,
      inputTokens: usage?.inputTokens ?? null,
      outputTokens: usage?.outputTokens ?? null,
      costUsd: response && usage ? this.#cost(response) : null,
      streamed: outcome.streamed,
      ...(prompt === undefined ? {} : { prompt }),
    });
  }
}

function emptyCall(at: number): RecordedCall {
  return {
    at,
    requestId: null,
    keyId: null,
    teamId: null,
    provider: null,
    model: null,
    status: 'ok',
    errorKind: null,
    latencyMs: 0,
    firstEventMs: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    streamed: false,
  };
}

/** The start of the last user message's text, scrubbed of registered secrets. */
function promptOf(request: ChatRequest): string | undefined {
  const last = request.messages.findLast((message) => message.role === 'user');
  if (!last) return undefined;
  const text =
    typeof last.content === 'string'
      ? last.content
      : last.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join(' ');
  return redactSecrets(text.slice(0, PROMPT_CHARS));
}
