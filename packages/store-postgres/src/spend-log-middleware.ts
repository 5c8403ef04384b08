import {
  type CallOutcome,
  type ChatResponse,
  type EmbedOutcome,
  type EmbedResponse,
  type Middleware,
  observeCall,
  observeEmbed,
  toAiMateyError,
} from 'ai.matey.core';
import type { SpendLogWriter, SpendRow } from './spend-log-writer.ts';

export interface SpendLogMiddlewareOptions {
  writer: SpendLogWriter;
  /** The USD cost of a reply (the gateway's catalog), when known. */
  costOf?: (response: ChatResponse) => number | undefined;
  /** The USD cost of an embedding reply; embeddings are logged unpriced without it. */
  embedCostOf?: (response: EmbedResponse) => number | undefined;
}

/**
 * Appends a row to the spend log for every chat call, plain or streamed, ended, failed or
 * cancelled: its request id, gateway key, provider, model, tokens, cost, latency, time to first
 * event, status, error kind and attempts. Embedding calls get a row too (input tokens only, not
 * streamed), those the gateway makes on a key's behalf included (the semantic cache's, under the
 * chat call's request id). The write is queued, never awaited by the call.
 *
 * @example
 * createGateway({ bridge, outerMiddleware: [createSpendLogMiddleware({ writer: keyStore.spendLog, costOf })] });
 */
export function createSpendLogMiddleware(options: SpendLogMiddlewareOptions): Middleware {
  return {
    name: 'spend-log',
    execute: (request, next) =>
      observeCall(next, request, {
        onEnd: (outcome) => {
          const metadata = request.metadata ?? {};
          options.writer.append(spendRow(outcome, metadata, options.costOf));
        },
      }),
    embed: (request, next) =>
      observeEmbed(next, request, {
        onEnd: (outcome) => {
          options.writer.append(embedSpendRow(outcome, request.metadata ?? {}, options.embedCostOf));
        },
      }),
  };
}

function embedSpendRow(
  outcome: EmbedOutcome,
  metadata: Record<string, unknown>,
  costOf: SpendLogMiddlewareOptions['embedCostOf'],
): SpendRow {
  const response = outcome.status === 'ok' ? outcome.response : undefined;
  const error = outcome.status === 'failed' ? toAiMateyError(outcome.error) : undefined;
  // As for chat: a cancelled call is a status of its own, not an error kind.
  const cancelled = error?.kind === 'cancelled';
  return {
    at: new Date(),
    request_id: typeof metadata.requestId === 'string' ? metadata.requestId : null,
    key_id: typeof metadata.apiKeyId === 'string' ? metadata.apiKeyId : null,
    provider: response?.provider ?? error?.provider ?? null,
    model: response?.model ?? null,
    input_tokens: response?.usage.inputTokens ?? null,
    output_tokens: response ? 0 : null,
    cached_tokens: null,
    reasoning_tokens: null,
    cost_usd: response ? (safeCost(costOf, response) ?? null) : null,
    latency_ms: outcome.latencyMs,
    first_event_ms: null,
    status: cancelled ? 'cancelled' : outcome.status === 'ok' ? 'ok' : 'failed',
    error_kind: cancelled ? null : (error?.kind ?? null),
    attempts: response?.routing?.attempts ?? error?.routing?.attempts ?? null,
    streamed: false,
  };
}

function spendRow(
  outcome: CallOutcome,
  metadata: Record<string, unknown>,
  costOf: SpendLogMiddlewareOptions['costOf'],
): SpendRow {
  const response = outcome.status === 'ok' ? outcome.response : outcome.partial;
  const error = outcome.status === 'failed' ? toAiMateyError(outcome.error) : undefined;
  const usage = outcome.usage;
  return {
    at: new Date(),
    request_id: typeof metadata.requestId === 'string' ? metadata.requestId : null,
    key_id: typeof metadata.apiKeyId === 'string' ? metadata.apiKeyId : null,
    provider: response?.provider ?? error?.provider ?? null,
    model: response?.model ?? null,
    input_tokens: usage?.inputTokens ?? null,
    output_tokens: usage?.outputTokens ?? null,
    cached_tokens: usage?.cachedInputTokens ?? null,
    reasoning_tokens: usage?.reasoningTokens ?? null,
    cost_usd: response && usage ? (safeCost(costOf, response) ?? null) : null,
    latency_ms: outcome.latencyMs,
    first_event_ms: outcome.timeToFirstEventMs ?? null,
    status: outcome.status,
    error_kind: error?.kind ?? null,
    attempts: response?.routing?.attempts ?? error?.routing?.attempts ?? null,
    streamed: outcome.streamed,
  };
}

function safeCost<Reply>(
  costOf: ((response: Reply) => number | undefined) | undefined,
  response: Reply,
): number | undefined {
  try {
    return costOf?.(response);
  } catch {
    return undefined;
  }
}
