import {
  type EmbedContext,
  type EmbedOutcome,
  type EmbedRequest,
  redactSecrets,
  toAiMateyError,
} from 'ai.matey.core';
import { CACHE_STATUS_STATE } from '../cache/index.ts';
import { COST_STATE } from '../cost-tracking/index.ts';
import { RETRY_STATE } from '../retry/index.ts';
import type { CallLogLine, ReplyPricer } from './log-line.ts';

/**
 * The one line of a finished embedding call, with the fields of a chat call's line that apply
 * (`mode: 'embed'`, the batch size in `inputs`, no finish reason, no bodies: vectors say nothing
 * useful in a log). Every string in it has secrets redacted.
 */
export function buildEmbedLogLine(
  request: EmbedRequest,
  context: EmbedContext,
  outcome: EmbedOutcome,
  costOf?: ReplyPricer,
): CallLogLine {
  const response = outcome.status === 'ok' ? outcome.response : undefined;
  const cost =
    (response?.metadata?.cost as { actualUsd?: unknown } | undefined) ?? COST_STATE.get(context.state);
  const cache = CACHE_STATUS_STATE.get(context.state);
  const line: CallLogLine = {
    requestId: context.requestId,
    mode: 'embed',
    outcome: 'ok',
    backend: response?.routing?.backend ?? context.backend.name,
    latencyMs: Math.round(outcome.latencyMs * 10) / 10,
    attempts:
      context.attempts.used || (RETRY_STATE.get(context.state)?.attempts ?? response?.routing?.attempts ?? 1),
    inputs: request.inputs.length,
  };
  const provider =
    response?.provider || (context.backend.provider !== 'router' ? context.backend.provider : '');
  if (provider) line.provider = redactSecrets(provider);
  if (response?.model) line.model = redactSecrets(response.model);
  if (request.model) line.requestedModel = redactSecrets(request.model);
  if (response && response.usage.inputTokens > 0) {
    line.inputTokens = response.usage.inputTokens;
    line.outputTokens = 0;
  }
  const costUsd = typeof cost?.actualUsd === 'number' ? cost.actualUsd : response && costOf?.(response);
  if (costUsd !== undefined) line.costUsd = costUsd;
  if (typeof cache === 'string') line.cache = cache;
  if (outcome.status === 'failed') {
    const error = toAiMateyError(outcome.error);
    line.outcome = error.kind === 'unknown' ? 'error' : error.kind;
    line.error = {
      kind: error.kind,
      message: redactSecrets(error.message),
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(error.code !== undefined ? { code: redactSecrets(error.code) } : {}),
      ...(error.provider !== undefined ? { provider: redactSecrets(error.provider) } : {}),
    };
  }
  line.backend = redactSecrets(line.backend);
  return line;
}
