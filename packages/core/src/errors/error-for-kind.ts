import type { AiMateyError, AiMateyErrorOptions, ErrorKind } from './ai-matey-error.ts';
import { AuthenticationError } from './authentication-error.ts';
import { BudgetExceededError } from './budget-exceeded-error.ts';
import { CancelledError } from './cancelled-error.ts';
import { ContentFilterError } from './content-filter-error.ts';
import { ContextLengthExceededError } from './context-length-exceeded-error.ts';
import { InvalidRequestError } from './invalid-request-error.ts';
import { ModelNotFoundError } from './model-not-found-error.ts';
import { NetworkError } from './network-error.ts';
import { OverloadedError } from './overloaded-error.ts';
import { PermissionDeniedError } from './permission-denied-error.ts';
import { RateLimitError } from './rate-limit-error.ts';
import { StoreUnavailableError } from './store-unavailable-error.ts';
import { TimeoutError } from './timeout-error.ts';
import { UnsupportedFeatureError } from './unsupported-feature-error.ts';
import { UpstreamServerError } from './upstream-server-error.ts';

/**
 * The kinds of error that are made from options alone: every kind but `all-backends-failed`
 * (which carries its attempts) and `unknown` (the base class).
 */
export type SimpleErrorKind = Exclude<ErrorKind, 'all-backends-failed' | 'unknown'>;

const ERROR_CLASSES: Record<SimpleErrorKind, new (options: AiMateyErrorOptions) => AiMateyError> = {
  authentication: AuthenticationError,
  permission: PermissionDeniedError,
  'model-not-found': ModelNotFoundError,
  'invalid-request': InvalidRequestError,
  'unsupported-feature': UnsupportedFeatureError,
  'context-length-exceeded': ContextLengthExceededError,
  'content-filter': ContentFilterError,
  'rate-limited': RateLimitError,
  'budget-exceeded': BudgetExceededError,
  overloaded: OverloadedError,
  'upstream-server': UpstreamServerError,
  timeout: TimeoutError,
  network: NetworkError,
  cancelled: CancelledError,
  'store-unavailable': StoreUnavailableError,
};

/**
 * The typed error of a kind, with that class's default status and retryability unless the
 * options say otherwise. Codecs map a provider's error type to a kind, then call this.
 *
 * @example
 * errorForKind('rate-limited', { message: 'Slow down', retryAfterMs: 2000 }); // a RateLimitError
 */
export function errorForKind(kind: SimpleErrorKind, options: AiMateyErrorOptions): AiMateyError {
  return new ERROR_CLASSES[kind](options);
}
