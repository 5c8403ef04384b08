import type { AttemptBudget } from '../attempt-budget.ts';
import type { AiMateyError } from '../errors/ai-matey-error.ts';
import { AllBackendsFailedError, type BackendAttempt } from '../errors/all-backends-failed-error.ts';
import { reviseError } from '../errors/revise-error.ts';
import { toAiMateyError } from '../errors/to-ai-matey-error.ts';

/**
 * One call through a Router: the candidates that failed or were refused, the backend it is at,
 * and the upstream calls made. It builds the error the call ends with, carrying that routing, so
 * a failed call reports its attempts as a successful one does.
 */
export class RouterCall {
  readonly failures: BackendAttempt[] = [];
  /** The backend the call is at: the one tried last, or the one the final error is about. */
  backend: string | undefined;
  /** Upstream calls this Router made for the call (used when no budget counts them). */
  calls = 0;
  readonly #attempts: AttemptBudget | undefined;

  constructor(attempts: AttemptBudget | undefined) {
    this.#attempts = attempts;
  }

  /** A candidate is about to be called. */
  calling(backend: string): void {
    this.backend = backend;
    this.calls++;
  }

  /**
   * The error when no candidate served. A candidate the caller's policy refused (a key that may
   * not use a fallback's model) did not fail: when one backend really failed and the rest were
   * refused, the caller gets that backend's own error (its status, kind and `retry-after`), with
   * a note naming what was not allowed, rather than the last refusal's 403.
   */
  exhausted(): AiMateyError {
    const real = this.failures.filter((failure) => !failure.refusedByPolicy);
    const refused = this.failures.filter((failure) => failure.refusedByPolicy);
    const only = real.length === 1 ? real[0] : undefined;
    if (this.failures.length <= 1) {
      const failure = this.failures[0];
      this.backend = failure?.backend;
      return failure?.error ?? new AllBackendsFailedError([]);
    }
    if (only) {
      this.backend = only.backend;
      const note = refused.map((failure) => `${failure.backend}: ${failure.error.message}`).join('; ');
      return reviseError(only.error, { message: `${only.error.message} (not tried, not allowed: ${note})` });
    }
    this.backend = (real.at(-1) ?? this.failures.at(-1))?.backend;
    return new AllBackendsFailedError([...this.failures]);
  }

  /** The error as the call throws it: with the upstream calls made (retries included) and the backend. */
  routed(thrown: unknown): AiMateyError {
    return reviseError(toAiMateyError(thrown), {
      routing: {
        attempts: this.#attempts?.used ?? this.calls,
        ...(this.backend === undefined ? {} : { backend: this.backend }),
      },
    });
  }
}
