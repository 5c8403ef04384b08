import type { HeaderLookup } from './codec.ts';

/** Reads a header from a fetch-style `Headers` or a plain record, case-insensitively. */
export function readHeader(headers: HeaderLookup | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null | undefined }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[name] ?? record[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The retry delay a provider asked for, in ms: `retry-after-ms`, then `retry-after` (seconds or
 * an HTTP date), then the earliest `x-ratelimit-reset-requests`/`-tokens` (`1s`, `6m0s`, `20ms`).
 */
export function retryAfterFromHeaders(
  headers: HeaderLookup | undefined,
  now = Date.now(),
): number | undefined {
  const ms = Number(readHeader(headers, 'retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && readHeader(headers, 'retry-after-ms') !== undefined) return ms;
  const retryAfter = readHeader(headers, 'retry-after');
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const resets = ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']
    .map((name) => parseDuration(readHeader(headers, name)))
    .filter((value): value is number => value !== undefined);
  return resets.length > 0 ? Math.min(...resets) : undefined;
}

/** Parses Go-style durations as OpenAI sends them (`1s`, `6m0s`, `20ms`, `1h2m3.5s`) or bare seconds. */
export function parseDuration(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const bare = Number(value);
  if (Number.isFinite(bare)) return bare * 1000;
  let total = 0;
  let matched = false;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    matched = true;
    const n = Number(amount);
    total += unit === 'h' ? n * 3_600_000 : unit === 'm' ? n * 60_000 : unit === 's' ? n * 1000 : n;
  }
  return matched ? total : undefined;
}
