import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';
import { AuthenticationError } from './authentication-error.ts';
import { CancelledError } from './cancelled-error.ts';
import { InvalidRequestError } from './invalid-request-error.ts';
import { ModelNotFoundError } from './model-not-found-error.ts';
import { NetworkError } from './network-error.ts';
import { OverloadedError } from './overloaded-error.ts';
import { PermissionDeniedError } from './permission-denied-error.ts';
import { RateLimitError } from './rate-limit-error.ts';
import { TimeoutError } from './timeout-error.ts';
import { UpstreamServerError } from './upstream-server-error.ts';

/**
 * The typed error for an HTTP status, when nothing more precise is known from the body.
 * Codecs refine this with the provider's own error codes.
 */
export function errorFromStatus(status: number, options: Omit<AiMateyErrorOptions, 'status'>): AiMateyError {
  const withStatus = { ...options, status };
  if (status === 401) return new AuthenticationError(withStatus);
  if (status === 403) return new PermissionDeniedError(withStatus);
  if (status === 404) return new ModelNotFoundError(withStatus);
  if (status === 408 || status === 504) return new TimeoutError(withStatus);
  if (status === 429) return new RateLimitError(withStatus);
  if (status === 499) return new CancelledError(withStatus);
  if (status === 503 || status === 529) return new OverloadedError(withStatus);
  if (status >= 500) return new UpstreamServerError(withStatus);
  if (status >= 400) return new InvalidRequestError(withStatus);
  return new AiMateyError({ ...withStatus, isRetryable: false });
}

/** Wraps anything thrown into an `AiMateyError`, keeping the original as `cause`. */
export function toAiMateyError(error: unknown, provider?: string): AiMateyError {
  if (AiMateyError.isInstance(error)) return error;
  if (error instanceof Error) {
    if (error.name === 'AbortError') {
      const reason = (error as Error & { cause?: unknown }).cause;
      if (AiMateyError.isInstance(reason)) return reason;
      return new CancelledError({ message: 'The call was cancelled', provider, cause: error });
    }
    if (error.name === 'TimeoutError')
      return new TimeoutError({ message: error.message, provider, cause: error });
    const code = (error as Error & { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      /^(ECONN|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR|ETIMEDOUT|EHOSTUNREACH)/.test(code)
    ) {
      return new NetworkError({ message: `${code}: ${error.message}`, provider, code, cause: error });
    }
    return new AiMateyError({ message: error.message, provider, cause: error });
  }
  return new AiMateyError({ message: String(error), provider, cause: error });
}
