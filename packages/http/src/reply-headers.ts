import { type AiMateyError, type ChatResponse, redactSecrets } from 'ai.matey.core';

/** The `x-request-id` and `x-matey-*` headers of a plain (not streamed) reply, chat or embeddings. */
export function replyHeaders(
  requestId: string,
  response: Pick<ChatResponse, 'provider' | 'model' | 'routing' | 'warnings' | 'metadata'>,
  cost: number | undefined,
): Record<string, string> {
  // Names come from the upstream's reply: a character a header cannot carry must not turn a paid
  // call into a 500.
  const headers: Record<string, string> = {
    'x-request-id': requestId,
    'x-matey-provider': headerSafe(response.provider),
    'x-matey-model': headerSafe(response.model),
  };
  if (response.routing) {
    headers['x-matey-backend'] = headerSafe(response.routing.backend);
    headers['x-matey-attempts'] = String(response.routing.attempts);
  }
  if (cost !== undefined) headers['x-matey-cost-usd'] = cost.toFixed(8);
  Object.assign(
    headers,
    warningHeaders(response.warnings.map((w) => ({ type: w.type, message: w.message }))),
  );
  return Object.assign(headers, cacheHeaders(response.metadata));
}

/**
 * `x-matey-warnings` for the reply's warnings, and `x-matey-guardrail` for those a guardrail's
 * flag made (type `guardrail`): `name: reason`, `; `-separated.
 */
export function warningHeaders(
  warnings: ReadonlyArray<{ type: string; message: string }>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const flags = warnings.filter((w) => w.type === 'guardrail').map((w) => w.message);
  const others = warnings.filter((w) => w.type !== 'guardrail').map((w) => w.message);
  if (others.length > 0) headers['x-matey-warnings'] = headerSafe(others.join('; '));
  if (flags.length > 0) headers['x-matey-guardrail'] = headerSafe(flags.join('; '));
  return headers;
}

const CACHE_STATUSES = new Set(['hit', 'miss', 'bypass', 'semantic-hit']);

/**
 * `x-matey-cache` (`hit`, `miss`, `bypass`, `semantic-hit`) from a reply's `metadata.cache`, as
 * the cache middleware put it, and for a semantic hit `x-matey-cache-similarity` (`0.934`).
 */
export function cacheHeaders(metadata: Record<string, unknown> | undefined): Record<string, string> {
  const cache = metadata?.cache;
  if (typeof cache !== 'object' || cache === null || !('status' in cache)) return {};
  const { status } = cache;
  if (typeof status !== 'string' || !CACHE_STATUSES.has(status)) return {};
  const headers: Record<string, string> = { 'x-matey-cache': status };
  if ('similarity' in cache && typeof cache.similarity === 'number' && Number.isFinite(cache.similarity))
    headers['x-matey-cache-similarity'] = cache.similarity.toFixed(3);
  return headers;
}

/** A header value from upstream text: printable ASCII (anything else becomes `?`), no secret, at most 1 KiB. */
export function headerSafe(text: string): string {
  return redactSecrets(text)
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 1024);
}

/**
 * What a failed call went through, as a successful one reports it: the upstream calls made
 * (retries and fallbacks, 0 when refused before any), and the backend and provider at fault.
 */
export function errorRoutingHeaders(error: AiMateyError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (error.provider) headers['x-matey-provider'] = headerSafe(error.provider);
  if (error.routing) {
    headers['x-matey-attempts'] = String(error.routing.attempts);
    if (error.routing.backend) headers['x-matey-backend'] = headerSafe(error.routing.backend);
  }
  return headers;
}
