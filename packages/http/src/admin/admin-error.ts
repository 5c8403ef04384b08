import { AiMateyError, type AiMateyErrorOptions } from 'ai.matey.core';

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
