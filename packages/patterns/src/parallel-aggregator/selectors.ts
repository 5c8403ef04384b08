import { responseText } from 'ai.matey.core';
import type { ProviderResult } from './create-parallel-aggregator.ts';

/** Ready-made choosers for the `custom` strategy. */

/** The answer most providers agree on (text compared trimmed and case-folded); ties go to the first. */
export function majorityVote(results: readonly ProviderResult[]): ProviderResult | undefined {
  const votes = new Map<string, ProviderResult[]>();
  for (const result of results) {
    if (!result.success) continue;
    const key = responseText(result.response).trim().toLowerCase();
    votes.set(key, [...(votes.get(key) ?? []), result]);
  }
  let best: ProviderResult[] = [];
  for (const group of votes.values()) if (group.length > best.length) best = group;
  return best[0];
}

/** The longest successful answer. */
export function longestResponse(results: readonly ProviderResult[]): ProviderResult | undefined {
  let best: ProviderResult | undefined;
  let bestLength = -1;
  for (const result of results) {
    if (!result.success) continue;
    const length = responseText(result.response).length;
    if (length > bestLength) {
      best = result;
      bestLength = length;
    }
  }
  return best;
}
