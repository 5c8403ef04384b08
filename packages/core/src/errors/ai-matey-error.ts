import { redactSecrets } from '../util/redact-secrets.ts';

const marker = Symbol.for('ai.matey.error');

/** What went wrong, in one word a program can switch on. */
export type ErrorKind =
  | 'authentication'
  | 'permission'
  | 'model-not-found'
  | 'invalid-request'
  | 'unsupported-feature'
  | 'context-length-exceeded'
  | 'content-filter'
  | 'rate-limited'
  | 'budget-exceeded'
  | 'overloaded'
  | 'upstream-server'
  | 'timeout'
  | 'network'
  | 'cancelled'
  | 'all-backends-failed'
  | 'store-unavailable'
  | 'unknown';

/** Kinds that are the request's own fault whoever serves it (see `AiMateyError.isRequestFault`). */
const REQUEST_FAULT_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'invalid-request',
  'cancelled',
  'content-filter',
  'context-length-exceeded',
]);

export interface AiMateyErrorOptions {
  message: string;
  provider?: string;
  status?: number;
  /** Provider's or our own machine code (`invalid_api_key`, `context_length_exceeded`, …). */
  code?: string;
  /** The request field at fault, where known. */
  param?: string;
  isRetryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

/** Where a failed call went before it failed, as far as the Router and the Bridge know. */
export interface ErrorRouting {
  /** Upstream calls the client request made in all (retries and fallbacks), 0 when none was made. */
  attempts: number;
  /** The backend whose failure this is (a Router's registered name), where known. */
  backend?: string;
}

/**
 * The base of every error ai.matey throws. Check with `AiMateyError.isInstance(e)`, which works
 * across duplicate copies of the package; `kind` says which subclass it is.
 */
export class AiMateyError extends Error {
  readonly [marker] = true;
  readonly kind: ErrorKind = 'unknown';
  readonly provider: string | undefined;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly param: string | undefined;
  readonly isRetryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** Set on the way out by the Router and the Bridge (see `withRouting`); undefined before. */
  readonly routing: ErrorRouting | undefined = undefined;

  constructor(options: AiMateyErrorOptions) {
    super(redactSecrets(options.message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AiMateyError';
    this.provider = options.provider;
    this.status = options.status;
    this.code = options.code;
    this.param = options.param;
    this.isRetryable = options.isRetryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }

  /**
   * The request itself is at fault: another provider would fail it the same way, so a Router
   * does not fall back, failover does not move on and health checks do not blame the provider.
   * Decided here once, from the kind (a subclass may refine it).
   */
  get isRequestFault(): boolean {
    return REQUEST_FAULT_KINDS.has(this.kind);
  }

  static isInstance(error: unknown): error is AiMateyError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }

  /** A plain, secret-free description, safe to log or send to a client. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      provider: this.provider,
      status: this.status,
      code: this.code,
      param: this.param,
      isRetryable: this.isRetryable,
      retryAfterMs: this.retryAfterMs,
      ...(this.routing ? { routing: this.routing } : {}),
    };
  }
}
