import {
  BudgetExceededError,
  type ChatRequest,
  checkOptions,
  type EmbedRequest,
  type OptionShape,
} from 'ai.matey.core';
import { MemoryStore } from '../store/memory-store.ts';
import type { KeyValueStore } from '../store/store.ts';
import { roundUsd } from './pricing.ts';

/** A spending limit per key over a fixed time window. */
export interface BudgetOptions {
  limitUsd: number;
  /** Length of the window in ms; windows are aligned to the epoch (a day starts at 00:00 UTC). */
  windowMs: number;
  /** Whose budget a request (chat or embedding) spends. Default: `metadata.userId`, else `'global'`. */
  key?(request: ChatRequest | EmbedRequest): string;
  /** Tells several budgets apart in the store (default `budget`). */
  name?: string;
}

/** One priced call, as given to `onCost` and summed by `totals()`. */
export interface CostRecord {
  requestId: string;
  /** The call's kind: a chat call (`execute`, `stream`) or an embedding call (`embed`). */
  mode: 'execute' | 'stream' | 'embed';
  provider: string;
  model: string;
  /** The budget key the call was charged to (of the first budget, or the default key). */
  key: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  estimatedUsd: number;
  actualUsd: number;
  /** False when no price was known for the model: its cost counts as 0. */
  priced: boolean;
  outcome: 'completed' | 'failed' | 'cancelled';
}

export interface CostTotals {
  usd: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
}

export interface CostSummary {
  total: CostTotals;
  byProvider: Record<string, CostTotals>;
  /** Keyed by `provider/model`. */
  byModel: Record<string, CostTotals>;
  byKey: Record<string, CostTotals>;
}

/** What was set aside for one call, to settle when its real cost is known. */
export interface Reservation {
  readonly entries: ReadonlyArray<{ storeKey: string }>;
  readonly amountUsd: number;
}

export interface CostTrackerOptions {
  store?: KeyValueStore;
  budgets?: BudgetOptions[];
  /** Prefix of the store keys (default `cost`). */
  keyPrefix?: string;
  now?: () => number;
}

/** The default budget key: the caller's user id, else one global budget. */
export function defaultBudgetKey(request: ChatRequest | EmbedRequest): string {
  const userId = request.metadata?.userId;
  return typeof userId === 'string' && userId ? userId : 'global';
}

function emptyTotals(): CostTotals {
  return { usd: 0, calls: 0, inputTokens: 0, outputTokens: 0 };
}

function formatWindow(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms} ms`;
}

const costTrackerOptions: OptionShape<CostTrackerOptions> = {
  store: true,
  budgets: { limitUsd: true, windowMs: true, key: true, name: true },
  keyPrefix: true,
  now: true,
};

/**
 * Budgets (in a KeyValueStore, so replicas share them) and running totals (in this process).
 *
 * A call reserves its worst case in every budget before it goes upstream, atomically through
 * the store's `increment`, so concurrent calls cannot all slip under the same remaining amount:
 * the sum of reservations and settled costs never passes the limit. Once its real cost is known
 * the reservation is settled down to it.
 */
export class CostTracker {
  readonly #store: KeyValueStore;
  readonly #budgets: BudgetOptions[];
  readonly #prefix: string;
  readonly #now: () => number;
  #total = emptyTotals();
  #byProvider = new Map<string, CostTotals>();
  #byModel = new Map<string, CostTotals>();
  #byKey = new Map<string, CostTotals>();

  constructor(options: CostTrackerOptions = {}) {
    checkOptions('new CostTracker', options, costTrackerOptions);
    this.#store = options.store ?? new MemoryStore();
    this.#budgets = options.budgets ?? [];
    this.#prefix = options.keyPrefix ?? 'cost';
    this.#now = options.now ?? Date.now;
    for (const budget of this.#budgets) {
      if (!(budget.limitUsd >= 0) || !(budget.windowMs > 0))
        throw new TypeError('A budget needs limitUsd >= 0 and windowMs > 0');
    }
  }

  /** The key a request is charged to (of the first budget). */
  keyOf(request: ChatRequest | EmbedRequest): string {
    return (this.#budgets[0]?.key ?? defaultBudgetKey)(request);
  }

  /**
   * Sets the estimate aside in every budget, or throws `BudgetExceededError` (and sets nothing
   * aside) when one of them cannot cover it.
   */
  async reserve(request: ChatRequest | EmbedRequest, estimatedUsd: number): Promise<Reservation> {
    const entries: Array<{ storeKey: string }> = [];
    const now = this.#now();
    for (const budget of this.#budgets) {
      const key = (budget.key ?? defaultBudgetKey)(request);
      const windowStart = Math.floor(now / budget.windowMs) * budget.windowMs;
      const windowEnd = windowStart + budget.windowMs;
      const storeKey = `${this.#prefix}:${budget.name ?? 'budget'}:${key}:${windowStart}`;
      const spentWithThis = await this.#store.increment(storeKey, estimatedUsd, windowEnd - now);
      const spentBefore = spentWithThis - estimatedUsd;
      // An already exhausted budget refuses even calls whose price is unknown (estimate 0).
      if (spentWithThis > budget.limitUsd + 1e-12 || spentBefore >= budget.limitUsd) {
        await this.#store.increment(storeKey, -estimatedUsd);
        await this.release({ entries, amountUsd: estimatedUsd });
        throw new BudgetExceededError({
          message:
            `The budget of $${budget.limitUsd} per ${formatWindow(budget.windowMs)} for "${key}" ` +
            `would be exceeded: $${roundUsd(spentBefore)} spent or reserved, and this call may ` +
            `cost up to $${estimatedUsd}`,
          code: 'budget_exceeded',
          retryAfterMs: windowEnd - now,
        });
      }
      entries.push({ storeKey });
    }
    return { entries, amountUsd: estimatedUsd };
  }

  /** Replaces a reservation by the real cost. */
  async settle(reservation: Reservation, actualUsd: number): Promise<void> {
    const delta = actualUsd - reservation.amountUsd;
    if (delta === 0) return;
    for (const { storeKey } of reservation.entries) await this.#store.increment(storeKey, delta);
  }

  /** Gives a reservation back (the call failed before costing anything). */
  async release(reservation: Reservation): Promise<void> {
    await this.settle(reservation, 0);
  }

  /** What a key has spent in the current window of a budget (the first by default). */
  async spent(key: string, budgetIndex = 0): Promise<number> {
    const budget = this.#budgets[budgetIndex];
    if (!budget) return 0;
    const windowStart = Math.floor(this.#now() / budget.windowMs) * budget.windowMs;
    const value = await this.#store.get<number>(
      `${this.#prefix}:${budget.name ?? 'budget'}:${key}:${windowStart}`,
    );
    return roundUsd(value ?? 0);
  }

  /** Adds a call to the running totals. */
  record(record: CostRecord): void {
    const add = (map: Map<string, CostTotals> | undefined, name: string) => {
      let totals = this.#total;
      if (map) {
        totals = map.get(name) ?? emptyTotals();
        map.set(name, totals);
      }
      totals.usd = roundUsd(totals.usd + record.actualUsd);
      totals.calls += 1;
      totals.inputTokens += record.inputTokens;
      totals.outputTokens += record.outputTokens;
    };
    add(undefined, '');
    add(this.#byProvider, record.provider);
    add(this.#byModel, `${record.provider}/${record.model}`);
    add(this.#byKey, record.key);
  }

  /** Costs so far in this process, in total and by provider, model and budget key. */
  totals(): CostSummary {
    const copy = (map: Map<string, CostTotals>) =>
      Object.fromEntries([...map].map(([name, totals]) => [name, { ...totals }]));
    return {
      total: { ...this.#total },
      byProvider: copy(this.#byProvider),
      byModel: copy(this.#byModel),
      byKey: copy(this.#byKey),
    };
  }

  /** Clears the running totals (not the budgets). */
  resetTotals(): void {
    this.#total = emptyTotals();
    this.#byProvider = new Map();
    this.#byModel = new Map();
    this.#byKey = new Map();
  }
}
