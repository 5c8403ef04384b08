import type { KeyValueStore } from 'ai.matey.middleware';

/** The windows a gateway key's or team's budget is counted in: a UTC day, or 30 days. */
export type BudgetWindow = 'day' | 'month';

/** Window lengths; windows are aligned to the epoch (a day starts at 00:00 UTC). */
export const BUDGET_WINDOW_MS: Readonly<Record<BudgetWindow, number>> = {
  day: 86_400_000,
  month: 30 * 86_400_000,
};

/** What a key (`<key id>`) or team (`team:<id>`) has spent in a window, by a record (the spend log). */
export interface LoggedSpend {
  subject: string;
  window: BudgetWindow;
  usd: number;
}

/** The cost tracker's budget name for a subject's window (`budget-<subject>`, `budget-month-<subject>`). */
export function budgetName(subject: string, window: BudgetWindow): string {
  return window === 'day' ? `budget-${subject}` : `budget-month-${subject}`;
}

/** Where the window holding `now` starts. */
export function budgetWindowStart(window: BudgetWindow, now: number): number {
  const length = BUDGET_WINDOW_MS[window];
  return Math.floor(now / length) * length;
}

/** The store key of a subject's counter in the window holding `now`, as the cost tracker keeps it. */
export function budgetCounterKey(subject: string, window: BudgetWindow, now: number): string {
  return `cost:${budgetName(subject, window)}:${subject}:${budgetWindowStart(window, now)}`;
}

/**
 * Raises each budget counter of the current windows to what the record says was spent, never
 * lowers one: a counter is `max(counter, logged)`. The counters stay the fast path (an atomic
 * increment per call, in Redis for replicas); the record (the spend log) restores what they lost
 * (a restart of an in-memory store, a Redis flushed or failed over). A counter may hold more
 * than the record (calls in flight, rows not yet written), so it is never lowered. Resolves with
 * how many counters were raised. Read and raise are two steps: a call settling in between moves
 * the result by its own amount at most.
 *
 * @example
 * await reconcileBudgetCounters(store, await keyStore.loggedBudgetSpend(Date.now()));
 */
export async function reconcileBudgetCounters(
  store: KeyValueStore,
  logged: readonly LoggedSpend[],
  now: number = Date.now(),
): Promise<number> {
  let raised = 0;
  for (const { subject, window, usd } of logged) {
    const key = budgetCounterKey(subject, window, now);
    const counted = (await store.get<number>(key)) ?? 0;
    if (!(usd > counted + 1e-9)) continue;
    const windowEnd = budgetWindowStart(window, now) + BUDGET_WINDOW_MS[window];
    await store.increment(key, usd - counted, windowEnd - now);
    raised += 1;
  }
  return raised;
}
