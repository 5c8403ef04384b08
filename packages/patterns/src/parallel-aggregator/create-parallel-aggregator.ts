import {
  type AiMateyError,
  AllBackendsFailedError,
  type Backend,
  CancelledError,
  type ChatRequest,
  type ChatResponse,
  ChatStream,
  checkOptions,
  type OptionShape,
  type StreamEvent,
  toAiMateyError,
} from 'ai.matey.core';
import { TypedEmitter } from 'ai.matey.core/internal';
import { type CallSlot, openCallSlots, raceFirstEvent } from './race-streams.ts';

/** One provider's outcome. `cancelled` marks a call stopped because another one won. */
export type ProviderResult =
  | { provider: string; success: true; response: ChatResponse; durationMs: number }
  | { provider: string; success: false; error: AiMateyError; durationMs: number; cancelled?: boolean };

export type AggregationStrategy = 'all' | 'first-success' | 'fastest-stream' | 'custom';

export interface ParallelAggregatorOptions {
  /** The providers to ask, as backends (named by `metadata.name`) or by name. */
  backends: Backend[] | Record<string, Backend>;
  /** Default `all`. */
  strategy?: AggregationStrategy;
  /** For `custom`: picks the answer from every settled result (see `majorityVote`, `longestResponse`). */
  select?: (results: readonly ProviderResult[]) => ProviderResult | undefined;
  /** A time limit per provider, in ms; a provider that takes longer fails with `TimeoutError`. */
  timeoutMs?: number;
}

/** What `execute` resolves with: the chosen answer (if any) and every provider's result. */
export interface AggregateResult {
  strategy: AggregationStrategy;
  /** `all`: the first success in backend order; the others: the winner or the selected one. */
  response?: ChatResponse;
  provider?: string;
  /** One per backend, in backend order. */
  results: ProviderResult[];
}

export interface ParallelAggregatorEvents {
  response: { provider: string; response: ChatResponse; durationMs: number; success: true };
  error: { provider: string; error: AiMateyError; durationMs: number; success: false };
  /** A stream event from one provider (emitted when anyone listens: calls then stream). */
  chunk: { provider: string; event: StreamEvent };
  /** A call stopped because another provider won. */
  cancelled: { provider: string };
}

/**
 * Asks several providers the same thing at once (the seed's pattern 2), as an event emitter:
 * `response`, `error` and `chunk` per provider, as the seed's class emits them.
 *
 * Strategies: `all` settles every call (failures included, like `Promise.allSettled`);
 * `first-success` answers with the first success and aborts the others; `fastest-stream`
 * streams from the first provider to send an event and aborts the others; `custom` hands every
 * settled result to `select`. `stream()` always races for the first event.
 *
 * @example
 * const aggregator = createParallelAggregator({ backends: [openai, anthropic, groq], strategy: 'all' });
 * aggregator.on('response', ({ provider, durationMs }) => console.log(provider, durationMs));
 * const { results } = await aggregator.execute({ messages: [{ role: 'user', content: 'What is AI?' }] });
 */
export function createParallelAggregator(options: ParallelAggregatorOptions): ParallelAggregator {
  return new ParallelAggregator(options);
}

const parallelAggregatorOptions: OptionShape<ParallelAggregatorOptions> = {
  backends: true,
  strategy: true,
  select: true,
  timeoutMs: true,
};

/** See `createParallelAggregator`. */
export class ParallelAggregator extends TypedEmitter<ParallelAggregatorEvents> {
  readonly strategy: AggregationStrategy;
  readonly #backends: Array<[string, Backend]>;
  readonly #select: ParallelAggregatorOptions['select'];
  readonly #timeoutMs: number | undefined;

  constructor(options: ParallelAggregatorOptions) {
    super();
    checkOptions('ParallelAggregator', options, parallelAggregatorOptions);
    this.#backends = Array.isArray(options.backends)
      ? options.backends.map((backend) => [backend.metadata.name, backend])
      : Object.entries(options.backends);
    if (this.#backends.length === 0) throw new TypeError('createParallelAggregator needs backends');
    this.strategy = options.strategy ?? 'all';
    this.#select = options.select;
    this.#timeoutMs = options.timeoutMs;
    if (this.strategy === 'custom' && !this.#select) {
      throw new TypeError("strategy 'custom' needs a select function");
    }
  }

  /** Provider names, in the order results are reported. */
  get providers(): string[] {
    return this.#backends.map(([name]) => name);
  }

  async execute(request: ChatRequest, options: { signal?: AbortSignal } = {}): Promise<AggregateResult> {
    if (this.strategy === 'fastest-stream') {
      const results: ProviderResult[] = [];
      const response = await new ChatStream(this.#race(request, options.signal, results)).collect();
      return { strategy: this.strategy, response, provider: winnerOf(results), results };
    }
    const slots = openCallSlots(this.#backends, options.signal, this.#timeoutMs);
    const results: Array<ProviderResult | undefined> = new Array(slots.length);
    let won: ProviderResult | undefined;
    try {
      const settled = slots.map(async (slot, i) => {
        const result = await this.#call(slot, request);
        if (won) return;
        results[i] = result;
        if (result.success) this.emit('response', { ...result });
        else this.emit('error', { ...result, success: false });
        if (this.strategy === 'first-success' && result.success) {
          won = result;
          this.#cancelOthers(slots, results, slot);
        }
      });
      if (this.strategy === 'first-success') await firstWinOrAll(settled, () => won !== undefined);
      else await Promise.all(settled);
    } finally {
      for (const slot of slots) slot.dispose();
    }
    if (options.signal?.aborted) throw toAiMateyError(options.signal.reason);
    const all = results.filter((r): r is ProviderResult => r !== undefined);
    const successes = all.filter((r) => r.success);
    if (successes.length === 0 && this.strategy !== 'all') {
      const failures = all.filter((r): r is ProviderResult & { success: false } => !r.success);
      throw new AllBackendsFailedError(failures.map((r) => ({ backend: r.provider, error: r.error })));
    }
    const chosen =
      this.strategy === 'custom'
        ? this.#select?.(all)
        : this.strategy === 'first-success'
          ? won
          : successes[0];
    return {
      strategy: this.strategy,
      results: all,
      ...(chosen?.success ? { response: chosen.response, provider: chosen.provider } : {}),
    };
  }

  /** Streams from whichever provider sends its first event first; the others are aborted. */
  stream(request: ChatRequest, options: { signal?: AbortSignal } = {}): ChatStream {
    return new ChatStream(this.#race(request, options.signal, []));
  }

  async *#race(
    request: ChatRequest,
    signal: AbortSignal | undefined,
    results: ProviderResult[],
  ): AsyncGenerator<StreamEvent> {
    const slots = openCallSlots(this.#backends, signal, this.#timeoutMs);
    try {
      const race = await raceFirstEvent(slots, request, (slot, error) => {
        const result = failed(slot, error);
        results.push(result);
        this.emit('error', result);
      }).catch((error: unknown) => {
        throw signal?.aborted ? toAiMateyError(signal.reason) : error;
      });
      for (const slot of slots) {
        if (slot === race.slot || results.some((r) => r.provider === slot.name)) continue;
        results.push({ ...failed(slot, cancelledBy(race.slot.name)), cancelled: true });
        this.emit('cancelled', { provider: slot.name });
      }
      const winner = race.slot;
      let response: ChatResponse | undefined;
      try {
        for await (const event of race.stream
          .tap((event) => this.emit('chunk', { provider: winner.name, event }))
          .onFinish((outcome) => {
            if (outcome.status === 'completed') response = outcome.response;
          })) {
          yield event;
        }
      } catch (error) {
        const result = failed(winner, error);
        results.push(result);
        this.emit('error', result);
        throw result.error;
      }
      if (response) {
        const result = {
          provider: winner.name,
          success: true as const,
          response,
          durationMs: winner.elapsed(),
        };
        results.push(result);
        this.emit('response', result);
      }
    } finally {
      for (const slot of slots) slot.dispose();
    }
  }

  async #call(slot: CallSlot, request: ChatRequest): Promise<ProviderResult> {
    const options = { signal: slot.controller.signal };
    try {
      const response = this.hasListeners('chunk')
        ? await ChatStream.from(slot.backend.stream(request, options))
            .tap((event) => this.emit('chunk', { provider: slot.name, event }))
            .collect()
        : await slot.backend.execute(request, options);
      return { provider: slot.name, success: true, response, durationMs: slot.elapsed() };
    } catch (error) {
      return failed(slot, error);
    }
  }

  #cancelOthers(slots: CallSlot[], results: Array<ProviderResult | undefined>, winner: CallSlot): void {
    slots.forEach((slot, i) => {
      if (slot === winner || results[i]) return;
      const error = cancelledBy(winner.name);
      slot.controller.abort(error);
      results[i] = { ...failed(slot, error), cancelled: true };
      this.emit('cancelled', { provider: slot.name });
    });
  }
}

function failed(slot: CallSlot, error: unknown): ProviderResult & { success: false } {
  const typed = slot.controller.signal.aborted
    ? toAiMateyError(slot.controller.signal.reason ?? error, slot.backend.metadata.provider)
    : toAiMateyError(error, slot.backend.metadata.provider);
  return { provider: slot.name, success: false, error: typed, durationMs: slot.elapsed() };
}

function cancelledBy(winner: string): CancelledError {
  return new CancelledError({ message: `Cancelled: '${winner}' answered first` });
}

function winnerOf(results: ProviderResult[]): string | undefined {
  return results.find((r) => r.success)?.provider;
}

/** Resolves when `isWon()` turns true after a call settles, or when every call has settled. */
function firstWinOrAll(calls: Promise<void>[], isWon: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let pending = calls.length;
    for (const call of calls) {
      call.then(() => {
        pending--;
        if (isWon() || pending === 0) resolve();
      }, reject);
    }
  });
}
