import type { IncomingHttpHeaders } from 'node:http';
import type { RateLimitInfo } from 'ai.matey.core';
import { parseDuration } from 'ai.matey.wire';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function count(headers: IncomingHttpHeaders, name: string): number | undefined {
  const value = header(headers, name);
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** A reset as ms from now: an RFC 3339 time (Anthropic) or a duration (`6m0s`, `1.5s`, `20ms`). */
function resetMs(headers: IncomingHttpHeaders, name: string, now: number): number | undefined {
  const value = header(headers, name);
  if (value === undefined || value === '') return undefined;
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const at = Date.parse(value);
    return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
  }
  return parseDuration(value);
}

/**
 * The provider's rate-limit headroom from its response headers: OpenAI-style
 * `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` (OpenAI, Groq, DeepSeek, xAI, …) or
 * Anthropic's `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}`. `undefined` when
 * the reply carries none, so responses stay small for providers that send nothing.
 */
export function rateLimitFromHeaders(
  headers: IncomingHttpHeaders,
  now = Date.now(),
): RateLimitInfo | undefined {
  let info: RateLimitInfo | undefined;
  const set = <K extends keyof RateLimitInfo>(key: K, value: number | undefined) => {
    if (value === undefined) return;
    info ??= {};
    info[key] = value;
  };
  const anthropic =
    header(headers, 'anthropic-ratelimit-requests-limit') !== undefined ||
    header(headers, 'anthropic-ratelimit-tokens-limit') !== undefined;
  // The same three headers per limit; only the naming differs between the two families.
  const name = (limit: 'requests' | 'tokens', field: 'limit' | 'remaining' | 'reset') =>
    anthropic ? `anthropic-ratelimit-${limit}-${field}` : `x-ratelimit-${field}-${limit}`;
  set('limitRequests', count(headers, name('requests', 'limit')));
  set('remainingRequests', count(headers, name('requests', 'remaining')));
  set('resetRequestsMs', resetMs(headers, name('requests', 'reset'), now));
  set('limitTokens', count(headers, name('tokens', 'limit')));
  set('remainingTokens', count(headers, name('tokens', 'remaining')));
  set('resetTokensMs', resetMs(headers, name('tokens', 'reset'), now));
  return info;
}
