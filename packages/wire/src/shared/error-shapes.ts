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

const MARKUP = /^\s*<|<\/?(?:html|head|body|title|h1|center|hr)\b/i;

/**
 * The message for an error reply whose body is text, not the provider's JSON: a proxy's or load
 * balancer's page. Markup is never passed on (it names internal hosts, versions and paths), nor
 * is text past its first line; a short plain first line is kept, as some servers answer that way.
 */
export function textBodyMessage(
  text: string,
  status: number | undefined,
  provider: string | undefined,
): string {
  const who = provider ?? 'The provider';
  const firstLine = text.trim().split(/\r?\n/, 1)[0] ?? '';
  if (firstLine === '' || MARKUP.test(text) || firstLine.length > 200) {
    return status === undefined
      ? `${who} sent an error that is not JSON`
      : `${who} returned HTTP ${status} with a body that is not JSON (a proxy or gateway page?)`;
  }
  return firstLine;
}
