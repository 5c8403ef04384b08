/**
 * The `retry-after` header a provider sends with an error whose delay is known: whole seconds,
 * rounded up so a client never retries early. No header when no delay is known.
 */
export function retryAfterHeaders(retryAfterMs: number | undefined): Record<string, string> {
  return retryAfterMs === undefined ? {} : { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) };
}

/**
 * An error body as a value: JSON text parsed, anything else as it came. `undefined` for text
 * that is not JSON (a proxy's HTML page, a bare message), which each codec reads its own way.
 */
export function parseErrorBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * The entry a provider's error type or status word names in a table, or undefined. Only the
 * table's own keys count: a type such as `constructor` from an untrusted body must not match.
 */
export function tableEntry<T>(table: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}
