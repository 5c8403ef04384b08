import { AiMateyError } from './ai-matey-error.ts';

export interface BackendAttempt {
  backend: string;
  error: AiMateyError;
  durationMs?: number;
  /** Refused by the caller's policy (`checkAttempt`) before any call: not a failure of the backend. */
  refusedByPolicy?: boolean;
}

/**
 * Every backend that was tried failed; `attempts` holds each one's error, in order. Status,
 * provider and code are the last real failure's: a candidate the caller's policy refused did
 * not fail, so a 403 for a skipped fallback does not hide the primary's 503.
 */
export class AllBackendsFailedError extends AiMateyError {
  override readonly kind = 'all-backends-failed' as const;
  readonly attempts: BackendAttempt[];

  constructor(attempts: BackendAttempt[], message?: string) {
    const last = (attempts.findLast((a) => !a.refusedByPolicy) ?? attempts.at(-1))?.error;
    super({
      message:
        message ??
        `All backends failed (${attempts.map((a) => `${a.backend}: ${a.error.message}`).join('; ') || 'none available'})`,
      status: last?.status ?? 503,
      provider: last?.provider,
      code: last?.code,
      isRetryable: attempts.some((a) => a.error.isRetryable),
      retryAfterMs: minRetryAfter(attempts),
      cause: last,
    });
    this.name = 'AllBackendsFailedError';
    this.attempts = attempts;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      attempts: this.attempts.map((a) => ({ backend: a.backend, ...a.error.toJSON() })),
    };
  }
}

function minRetryAfter(attempts: BackendAttempt[]): number | undefined {
  const hints = attempts.map((a) => a.error.retryAfterMs).filter((ms): ms is number => ms !== undefined);
  return hints.length > 0 ? Math.min(...hints) : undefined;
}
