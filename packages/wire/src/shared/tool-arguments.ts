/**
 * Canonical JSON text for a tool call's arguments: valid JSON is re-serialised compactly (so a
 * streamed call, assembled from fragments, equals the same call sent whole); anything else is
 * kept as it came, never dropped. An empty string means "no arguments" and becomes `{}`.
 */
export function canonicalArguments(text: string): string {
  if (text.trim() === '') return '{}';
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** Parses tool-call arguments into an object for protocols that send objects (Anthropic, Gemini). */
export function parseArguments(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return { _raw: text };
  }
}
