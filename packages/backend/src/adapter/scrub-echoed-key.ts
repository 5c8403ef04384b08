/**
 * An error body with the API key taken out, where the provider echoed the key it rejected (it
 * must not reach an error message); the body unchanged otherwise.
 */
export function scrubEchoedKey(body: unknown, key: string | undefined): unknown {
  if (key === undefined || key.length < 4) return body;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (!text.includes(key)) return body;
  const scrubbed = text.replaceAll(key, '[redacted]');
  try {
    return typeof body === 'string' ? scrubbed : JSON.parse(scrubbed);
  } catch {
    return scrubbed;
  }
}
