/** An error body with every copy of the API key replaced by `[redacted]` (a short key is left alone). */
export function scrubKey(body: unknown, key: string | undefined): unknown {
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
