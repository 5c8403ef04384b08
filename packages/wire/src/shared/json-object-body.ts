import { InvalidRequestError } from 'ai.matey.core';

/**
 * Refuses an inbound body that is not a JSON object (an array, a string, `null`) before its
 * schema is asked, with the one message every protocol's decoder gives for it.
 */
export function requireJsonObject(body: unknown): asserts body is Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError({
      message: 'The request body must be a JSON object.',
      code: 'invalid_request',
    });
  }
}
