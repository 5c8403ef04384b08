import type { ChatRequest } from '../spec/request.ts';
import { parseModelRef } from '../util/parse-model-ref.ts';
import type { Registration } from './registration.ts';
import type { Selection } from './selection.ts';

export interface Candidate {
  registration: Registration;
  request: ChatRequest;
  /** The model is the provider's own id already (see `BackendCallOptions.modelResolved`). */
  modelResolved: boolean;
}

/**
 * The backends a call may try, in order: the selected one, then (when it may fall back) each
 * registered entry of the fallback chain. An entry `backend/model` swaps the model for its
 * attempt, since model ids differ between providers; a plain entry equal to the primary is skipped.
 */
export function* fallbackCandidates(
  selection: Selection,
  fallbackChain: readonly string[] | undefined,
  registrations: ReadonlyMap<string, Registration>,
): Generator<Candidate> {
  yield {
    registration: selection.primary,
    request: selection.request,
    modelResolved: selection.modelResolved,
  };
  if (!selection.allowFallback) return;
  for (const entry of fallbackChain ?? []) {
    // A registered name wins over a split, so a backend may be named `a/b`.
    const ref = registrations.has(entry) ? { model: entry } : parseModelRef(entry);
    const registration = registrations.get(ref.provider ?? entry);
    if (!registration) continue;
    if (ref.provider === undefined) {
      if (registration !== selection.primary) {
        yield { registration, request: selection.request, modelResolved: selection.modelResolved };
      }
    } else {
      yield { registration, request: { ...selection.request, model: ref.model }, modelResolved: true };
    }
  }
}
