import {
  type CallOutcome,
  type ChatRequest,
  type ChatResponse,
  checkOptions,
  costOfUsage,
  type Middleware,
  type MiddlewareContext,
  type ModelCatalog,
  type OptionShape,
  observeCall,
  responseText,
  StateKey,
  type Usage,
} from 'ai.matey.core';
import type { KeyValueStore } from '../store/store.ts';
import { type BudgetOptions, type CostRecord, CostTracker } from './cost-tracker.ts';
import { trackEmbedCost } from './embed-cost.ts';
import { approximateTokens, estimateInputTokens } from './estimate-tokens.ts';
import { costOfTokens, findPrice, type ModelPrice, roundUsd, splitModelId } from './pricing.ts';

export { estimateEmbedTokens } from '../shared/embed-tokens.ts';
export {
  type BudgetOptions,
  type CostRecord,
  type CostSummary,
  type CostTotals,
  CostTracker,
  type CostTrackerOptions,
} from './cost-tracker.ts';
export { approximateTokens, estimateInputTokens, type TokenEstimate } from './estimate-tokens.ts';
export type { ModelPrice } from './pricing.ts';

/** The cost put in `response.metadata.cost` (execute) and `COST_STATE` of `context.state` (both). */
export interface CallCost {
  /** The call's worst case, reserved in its budgets before it started: its cost cap. */
  estimatedUsd: number;
  /** The cost of the usage the provider reported. */
  actualUsd: number;
  /**
   * What the budgets were charged: `actualUsd`, but never more than `estimatedUsd` when the call
   * was priced up front (a report beyond the reservation is not charged; see the README's bound).
   */
  chargedUsd: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  /** False when no price was known for the model. */
  priced: boolean;
}

export interface CostTrackingOptions {
  /** Model prices, e.g. the backend package's catalog (`find(model, provider)`). */
  catalog?: ModelCatalog;
  /** Prices of your own, keyed by `provider/model` or model id; they win over the catalog. */
  prices?: Record<string, ModelPrice>;
  /** One budget or several; a call whose worst case does not fit is refused. */
  budget?: BudgetOptions | BudgetOptions[];
  /** Where budgets are kept (default: an in-memory store). */
  store?: KeyValueStore;
  /**
   * Output tokens of the worst case when the request sets no `maxOutputTokens` and the catalog
   * knows no output limit for the model (default 500). Under a budget the request is sent with
   * this many `maxOutputTokens`, so the provider cannot go past what was reserved.
   */
  defaultOutputTokens?: number;
  /** Called once per call with its cost (errors thrown here are ignored). */
  onCost?: (record: CostRecord) => void;
  /** Use this tracker (to share totals and budgets between chains). */
  tracker?: CostTracker;
  now?: () => number;
}

/** The cost-tracking middleware, with its tracker for totals and budget state. */
export interface CostTrackingMiddleware extends Middleware {
  readonly tracker: CostTracker;
}

/** Where cost tracking leaves the call's `CallCost` in `context.state` (`'cost'`). */
export const COST_STATE = new StateKey<CallCost>('cost');

const costTrackingOptions: OptionShape<CostTrackingOptions> = {
  catalog: true,
  prices: true,
  budget: { limitUsd: true, windowMs: true, key: true, name: true },
  store: true,
  defaultOutputTokens: true,
  onCost: true,
  tracker: true,
  now: true,
};

/**
 * Prices every call from its real usage and enforces hard spending budgets.
 *
 * Before the call it works out the call's worst case: input tokens counted with a real
 * tokenizer for OpenAI-family models, approximated elsewhere (see `estimateInputTokens`), plus
 * the request's `maxOutputTokens`, else the model's output limit from the catalog, else
 * `defaultOutputTokens`, of output. It reserves that amount in every budget, atomically in the
 * store, and refuses the call with `BudgetExceededError` (not retryable) when it does not fit
 * what is left; under a budget the request goes on with that `maxOutputTokens`, so the provider
 * cannot go past it. After the call the reservation is settled down to the real cost (the
 * response's usage, or a stream's final usage; cached input at the cached rate), never up past
 * the reservation. So a budget's recorded spend never exceeds its limit, however many calls run
 * at once and whatever usage an upstream reports. A stream cut before its usage arrived is
 * charged the estimated input plus the text received so far. Unknown models cost 0 and are
 * marked `priced: false`; a call that could not be priced before it started is charged its
 * real cost after, uncapped. Embedding calls are priced by their input tokens the same way.
 *
 * @example
 * const costs = createCostTrackingMiddleware({
 *   catalog,                                            // from ai.matey.backend
 *   budget: { limitUsd: 5, windowMs: 86_400_000 },      // $5 a day per metadata.userId
 *   onCost: (cost) => console.log(cost.model, cost.actualUsd),
 * });
 * const bridge = new Bridge({ backend, middleware: [costs] });
 * await bridge.execute({ model: 'gpt-4o-mini', messages, metadata: { userId: 'alice' } });
 * costs.tracker.totals().byKey.alice.usd;
 */
export function createCostTrackingMiddleware(options: CostTrackingOptions = {}): CostTrackingMiddleware {
  checkOptions('createCostTrackingMiddleware', options, costTrackingOptions);
  const budgets = options.budget === undefined ? [] : [options.budget].flat();
  const tracker =
    options.tracker ??
    new CostTracker({
      budgets,
      ...(options.store ? { store: options.store } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  const defaultOutputTokens = options.defaultOutputTokens ?? 500;

  const notify = (record: CostRecord) => {
    tracker.record(record);
    try {
      options.onCost?.(record);
    } catch {
      // A failing observer must not fail a call that has already been paid for.
    }
  };

  return {
    name: 'cost-tracking',
    tracker,
    embed: (request, next, context) =>
      trackEmbedCost(request, next, context, {
        prices: options,
        tracker,
        notify,
        remember: (call, cost) => COST_STATE.set(call.state, cost),
      }),
    async execute(request, next, context) {
      const model = request.model ?? context.backend.defaultModel ?? '';
      const provider = context.backend.provider === 'router' ? undefined : context.backend.provider;
      const id = splitModelId(model, provider);
      const estimatedInput = (await estimateInputTokens({ ...request, model }, id.provider)).tokens;
      const estimatePrice = findPrice(options, model, provider);
      const outputLimit = options.catalog?.find(id.model, id.provider)?.maxOutputTokens;
      const asked = request.maxOutputTokens ?? outputLimit ?? defaultOutputTokens;
      // The model cannot write past its own limit, whatever the request asks for.
      const maxOutputTokens = outputLimit === undefined ? asked : Math.min(asked, outputLimit);
      const estimatedUsd = estimatePrice ? costOfTokens(estimatedInput, maxOutputTokens, estimatePrice) : 0;
      const reservation = await tracker.reserve(request, estimatedUsd);
      // The reservation is the call's cap: the provider must not be free to generate past it.
      const capped =
        budgets.length > 0 && estimatePrice && request.maxOutputTokens === undefined
          ? { ...request, maxOutputTokens }
          : request;
      COST_STATE.set(context.state, {
        estimatedUsd,
        actualUsd: 0,
        chargedUsd: 0,
        inputTokens: 0,
        outputTokens: 0,
        priced: estimatePrice !== undefined,
      } satisfies CallCost);

      const settle = (
        response: ChatResponse,
        outcome: CostRecord['outcome'],
        usage: Usage,
      ): { cost: CallCost; settled: Promise<void> } => {
        const price =
          findPrice(options, response.model, response.provider || provider) ??
          findPrice(options, model, response.provider || provider) ??
          estimatePrice;
        const actualUsd = price ? roundUsd(costOfUsage(price, usage)) : 0;
        const chargedUsd = estimatePrice ? Math.min(actualUsd, estimatedUsd) : actualUsd;
        const cost: CallCost = {
          estimatedUsd,
          actualUsd,
          chargedUsd,
          inputTokens: usage.inputTokens,
          outputTokens: usage.outputTokens,
          ...(usage.cachedInputTokens ? { cachedInputTokens: usage.cachedInputTokens } : {}),
          priced: price !== undefined,
        };
        COST_STATE.set(context.state, cost);
        // A store that fails now must not fail a call that has been served and paid for.
        const settled = tracker.settle(reservation, chargedUsd).catch(() => {});
        notify(toRecord(cost, request, response, context, outcome, tracker.keyOf(request), id));
        return { cost, settled };
      };

      let cost: CallCost | undefined;
      return observeCall(next, capped, {
        onEnd(outcome) {
          const response = outcome.status === 'ok' ? outcome.response : outcome.partial;
          // Failed before any reply: nothing was used, the reservation is given back.
          if (!response) return tracker.release(reservation).catch(() => {});
          const status = outcome.status === 'ok' ? 'completed' : outcome.status;
          const settled = settle(response, status, usageOf(outcome.status, response, estimatedInput));
          cost = settled.cost;
          return settled.settled;
        },
        stampResponse: (response) =>
          cost ? { ...response, metadata: { ...response.metadata, cost } } : response,
      });
    },
  };
}

/** A call's usage; a stream cut before its usage arrived is charged what it is known to have used. */
function usageOf(status: CallOutcome['status'], response: ChatResponse, estimatedInput: number): Usage {
  const usage = response.usage;
  if (status === 'ok' || usage.inputTokens > 0 || usage.outputTokens > 0) return usage;
  const outputTokens = approximateTokens(responseText(response));
  return { inputTokens: estimatedInput, outputTokens, totalTokens: estimatedInput + outputTokens };
}

function toRecord(
  cost: CallCost,
  request: ChatRequest,
  response: ChatResponse,
  context: MiddlewareContext,
  outcome: CostRecord['outcome'],
  key: string,
  requested: { model: string; provider?: string },
): CostRecord {
  return {
    requestId: context.requestId,
    mode: context.mode,
    provider: response.provider || requested.provider || context.backend.provider,
    model: response.model || requested.model || request.model || '',
    key,
    inputTokens: cost.inputTokens,
    outputTokens: cost.outputTokens,
    cachedInputTokens: cost.cachedInputTokens ?? 0,
    estimatedUsd: cost.estimatedUsd,
    actualUsd: cost.actualUsd,
    priced: cost.priced,
    outcome,
  };
}
