import { redactSecrets } from '../util/redact-secrets.ts';
import type { AiMateyError, ErrorRouting } from './ai-matey-error.ts';

export interface ErrorRevision {
  /** What the call's routing knows: the upstream calls made and the backend at fault. */
  routing?: ErrorRouting;
  /** Another message (a note added to the original, say). */
  message?: string;
}

/**
 * A copy of the error (same class, kind, status, provider, cause) with what the Router or the
 * Bridge adds on the way out. A copy, never the error itself: one instance may reach several
 * calls (a shared abort reason at shutdown), and each must report its own attempts.
 *
 * @example
 * throw reviseError(error, { routing: { attempts: budget.used, backend: 'anthropic' } });
 */
export function reviseError<E extends AiMateyError>(error: E, revision: ErrorRevision): E {
  const copy = Object.create(
    Object.getPrototypeOf(error) as object,
    Object.getOwnPropertyDescriptors(error),
  ) as E;
  if (revision.routing) {
    Object.defineProperty(copy, 'routing', {
      value: revision.routing,
      enumerable: true,
      writable: false,
      configurable: true,
    });
  }
  if (revision.message !== undefined) {
    Object.defineProperty(copy, 'message', {
      value: redactSecrets(revision.message),
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
