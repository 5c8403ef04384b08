import type { ChatRequest, EmbedRequest } from 'ai.matey.core';

/**
 * The request fields that decide the answer, and so the cache key. `metadata` (caller data that
 * never goes upstream) and `user` (an abuse-monitoring id) are left out, so two callers asking
 * the same thing share an entry.
 */
const keyFields = [
  'model',
  'messages',
  'tools',
  'toolChoice',
  'parallelToolCalls',
  'responseFormat',
  'temperature',
  'topP',
  'topK',
  'frequencyPenalty',
  'presencePenalty',
  'maxOutputTokens',
  'stopSequences',
  'seed',
  'reasoning',
  'providerOptions',
] as const satisfies ReadonlyArray<keyof ChatRequest>;

/**
 * A stable cache key for a request: SHA-256 (hex) over the canonical JSON (keys sorted at every
 * depth, undefined fields dropped) of the fields that decide the answer. `scope` separates
 * entries that must not mix, such as two backends answering the same request.
 *
 * @example
 * await cacheKey({ model: 'gpt-4o-mini', messages }) === await cacheKey({ messages, model: 'gpt-4o-mini' });
 */
export async function cacheKey(request: ChatRequest, scope = ''): Promise<string> {
  const picked: Record<string, unknown> = { scope };
  for (const field of keyFields) if (request[field] !== undefined) picked[field] = request[field];
  const bytes = new TextEncoder().encode(canonicalJson(picked));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const embedKeyFields = [
  'model',
  'inputs',
  'dimensions',
  'inputType',
  'providerOptions',
] as const satisfies ReadonlyArray<keyof EmbedRequest>;

/**
 * The cache key of an embedding request: as `cacheKey`, over the fields that decide the vectors
 * (model, inputs, dimensions, input type, provider options), in a space of its own.
 *
 * @example
 * await embedCacheKey({ model: 'text-embedding-3-small', inputs: ['hello'] });
 */
export async function embedCacheKey(request: EmbedRequest, scope = ''): Promise<string> {
  const picked: Record<string, unknown> = { scope, kind: 'embed' };
  for (const field of embedKeyFields) if (request[field] !== undefined) picked[field] = request[field];
  const bytes = new TextEncoder().encode(canonicalJson(picked));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** JSON with object keys sorted at every depth, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const entry = (value as Record<string, unknown>)[key];
    if (entry !== undefined) sorted[key] = sortKeys(entry);
  }
  return sorted;
}
