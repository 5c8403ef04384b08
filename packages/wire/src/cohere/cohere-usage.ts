import { emptyUsage, type ProviderMetadata, type Usage } from 'ai.matey.core';

interface CohereTokens {
  input_tokens?: unknown;
  output_tokens?: unknown;
}

/**
 * Spec usage from Cohere's `usage`: `tokens` (what the model read and wrote, the prompt template
 * included) and `cached_tokens`. What Cohere bills (`billed_units`, only the caller's own
 * tokens) is `usage.billed`, which cost is priced on, and stays in `cohereUsageMetadata` as sent.
 */
export function usageFromCohere(usage: unknown): Usage {
  if (typeof usage !== 'object' || usage === null) return emptyUsage();
  const record = usage as { tokens?: CohereTokens; billed_units?: CohereTokens; cached_tokens?: unknown };
  const tokens = record.tokens ?? record.billed_units ?? {};
  const inputTokens = count(tokens.input_tokens);
  const outputTokens = count(tokens.output_tokens);
  const result: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  const cached = count(record.cached_tokens);
  if (cached > 0) result.cachedInputTokens = cached;
  const billed = record.billed_units;
  if (typeof billed === 'object' && billed !== null)
    result.billed = { inputTokens: count(billed.input_tokens), outputTokens: count(billed.output_tokens) };
  return result;
}

/** `{ cohere: { billedUnits } }` when the reply says what was billed; undefined otherwise. */
export function cohereUsageMetadata(usage: unknown): ProviderMetadata | undefined {
  const billed = (usage as { billed_units?: unknown } | null | undefined)?.billed_units;
  if (typeof billed !== 'object' || billed === null) return undefined;
  return { cohere: { billedUnits: billed } };
}

/** Cohere's `usage` for spec usage (billed units from the metadata when known, else the tokens). */
export function usageToCohere(usage: Usage, metadata?: ProviderMetadata): Record<string, unknown> {
  const tokens = { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens };
  const billed = usage.billed && {
    input_tokens: usage.billed.inputTokens,
    output_tokens: usage.billed.outputTokens,
  };
  return {
    billed_units: metadata?.cohere?.billedUnits ?? billed ?? tokens,
    tokens,
    ...(usage.cachedInputTokens !== undefined ? { cached_tokens: usage.cachedInputTokens } : {}),
  };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
