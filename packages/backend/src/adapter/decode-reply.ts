import { AiMateyError, UpstreamServerError } from 'ai.matey.core';

/**
 * Runs a codec's decoder over a provider's reply: its own typed errors go through, anything
 * else it throws becomes an `UpstreamServerError` (`malformed_response`) naming the provider.
 */
export function decodeReply<T>(provider: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (AiMateyError.isInstance(error)) throw error;
    throw new UpstreamServerError({
      message: `The provider sent a reply this adapter could not read: ${error instanceof Error ? error.message : String(error)}`,
      provider,
      code: 'malformed_response',
      cause: error,
    });
  }
}
