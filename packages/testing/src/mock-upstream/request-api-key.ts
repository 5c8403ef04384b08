import type { IncomingHttpHeaders } from 'node:http';

/**
 * The API key a request carries, wherever its provider puts it: `Authorization: Bearer` (OpenAI),
 * `x-api-key` (Anthropic), `x-goog-api-key` or `?key=` (Gemini), `api-key` (Azure).
 */
export function requestApiKey(headers: IncomingHttpHeaders, query: string): string | undefined {
  const authorization = headers.authorization;
  if (authorization?.toLowerCase().startsWith('bearer ')) return authorization.slice(7).trim();
  for (const name of ['x-api-key', 'x-goog-api-key', 'api-key']) {
    const value = headers[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  if (query.includes('key=')) return new URLSearchParams(query).get('key') ?? undefined;
  return undefined;
}
