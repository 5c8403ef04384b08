import { UpstreamServerError } from 'ai.matey.core';

/**
 * The error for a provider's reply a decoder cannot read: an `UpstreamServerError`
 * (`malformed_response`) naming the provider, what kind of reply it was and what is wrong.
 *
 * @example
 * throw malformedReply('openai', 'chat completion', 'no choices');
 */
export function malformedReply(provider: string, kind: string, why: string): UpstreamServerError {
  return new UpstreamServerError({
    message: `Malformed ${kind} from ${provider}: ${why}.`,
    provider,
    code: 'malformed_response',
  });
}

/** A JSON value as a record to read fields from (`{}` for anything that is not an object). */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
