import type { BackendCallOptions } from '../backend.ts';
import type { AiMateyError } from '../errors/ai-matey-error.ts';
import type { BackendAttempt } from '../errors/all-backends-failed-error.ts';
import { CircuitOpenError } from '../errors/circuit-open-error.ts';
import { UnsupportedFeatureError } from '../errors/unsupported-feature-error.ts';
import type { Candidate } from './fallback-candidates.ts';
import { missingCapabilities } from './request-needs.ts';
import type { Selection } from './selection.ts';

/**
 * Checks that a candidate may take the call: the caller's policy, the backend's capabilities,
 * its circuit. Returns the error that stops it, noted in `failures` (a policy refusal marked
 * `refusedByPolicy`), or undefined after observing the selection (and the failover to it).
 */
export function admitAttempt(
  { registration, request }: Candidate,
  selection: Selection,
  failures: BackendAttempt[],
  attempt: number,
  options: BackendCallOptions,
): AiMateyError | undefined {
  const { provider, capabilities, defaultModel } = registration.backend.metadata;
  // The caller's policy (a key's allowed models) first, so a refused attempt takes no breaker permit.
  const refused = options.checkAttempt?.({
    backend: registration.name,
    provider,
    model: request.model ?? defaultModel,
    request,
  });
  if (refused) {
    failures.push({ backend: registration.name, error: refused, refusedByPolicy: true });
    return refused;
  }
  const missing = missingCapabilities(request, capabilities);
  if (capabilities.chat === false && !selection.embedding) missing.unshift('chat');
  let error: AiMateyError | undefined;
  if (missing.length > 0) {
    error = new UnsupportedFeatureError({
      message: `Backend '${registration.name}' does not support ${missing.join(', ')}`,
      provider,
    });
  } else if (registration.breaker && !registration.breaker.tryAcquire()) {
    const { retryAt } = registration.breaker.snapshot();
    error = new CircuitOpenError({
      message: `Backend '${registration.name}' is failing: its circuit is open`,
      provider,
      retryAfterMs: retryAt === undefined ? undefined : Math.max(0, retryAt - Date.now()),
    });
  }
  if (error) {
    failures.push({ backend: registration.name, error });
    return error;
  }
  const previous = failures.at(-1);
  if (previous && attempt > 1) {
    options.observe?.({
      type: 'backend:failover',
      from: previous.backend,
      to: registration.name,
      error: previous.error,
      attempt,
    });
  }
  options.observe?.({
    type: 'backend:selected',
    backend: registration.name,
    reason: attempt === 1 ? selection.reason : 'fallback chain',
    attempt,
  });
  return undefined;
}
