import { AiMateyError, type AiMateyErrorOptions } from 'ai.matey.core';
import type { Context } from 'hono';

const TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'invalid_request_error',
};

/** A refusal of the admin API, answered as `{error:{type,message,param?}}` with its status. */
export class AdminApiError extends AiMateyError {
  override readonly kind = 'invalid-request' as const;

  constructor(options: AiMateyErrorOptions & { status: number }) {
    super({ isRetryable: false, ...options });
    this.name = 'AdminApiError';
  }

  /** The error's JSON body. */
  toBody(): { error: { type: string; message: string; param?: string } } {
    const type = TYPES[this.status ?? 500] ?? 'api_error';
    return { error: { type, message: this.message, ...(this.param ? { param: this.param } : {}) } };
  }
}

/**
 * A Hono `onError` for the admin routes: a refusal as its JSON body and status, anything else a
 * 500 naming no detail (`what` failed; the error itself goes to the log).
 */
export function adminErrorHandler(what: string): (error: Error, c: Context) => Response {
  return (error, c) => {
    const refusal =
      error instanceof AdminApiError
        ? error
        : new AdminApiError({ status: 500, message: `${what} failed; see the gateway log`, cause: error });
    if (refusal.status === 500) console.error(`${what} error:`, error);
    return c.json(refusal.toBody(), (refusal.status ?? 500) as 400);
  };
}
