import { type AiMateyError, type AiMateyErrorOptions, errorFromStatus } from 'ai.matey.core';
import { errorForKind } from 'ai.matey.core/internal';
import type { DecodeContext, EncodedError, HeaderLookup } from '../codec.ts';
import { retryAfterFromHeaders } from '../header-lookup.ts';
import { parseErrorBody, retryAfterHeaders, textBodyMessage } from '../shared/error-shapes.ts';

const CONTEXT_LENGTH = /too many tokens|context (length|window)|exceeds? the (maximum|context)/i;

/**
 * A typed error from a Cohere reply: the status says what failed (498 is Cohere's invalid or
 * expired key, 499 a cancelled call) and the body is `{ id?, message }`. Status 0 is an error
 * reported inside a stream, which Cohere gives as a message only.
 */
export function decodeCohereError(
  status: number,
  body: unknown,
  headers?: HeaderLookup,
  context?: DecodeContext,
): AiMateyError {
  const provider = context?.provider ?? 'cohere';
  const value = parseErrorBody(body);
  const fromBody = (value as { message?: unknown } | null | undefined)?.message;
  const message =
    typeof fromBody === 'string'
      ? fromBody
      : typeof body === 'string' && body.trim() !== ''
        ? textBodyMessage(body, status || undefined, provider)
        : `${provider} returned HTTP ${status}`;
  const options: AiMateyErrorOptions = { message, provider };
  if (status > 0) options.status = status;
  const retryAfterMs = retryAfterFromHeaders(headers);
  if (retryAfterMs !== undefined) options.retryAfterMs = retryAfterMs;
  if ((status === 400 || status === 422) && CONTEXT_LENGTH.test(message))
    return errorForKind('context-length-exceeded', options);
  if (status === 498)
    return errorForKind('authentication', { ...options, status: 401, code: 'invalid_api_key' });
  if (status === 402) return errorForKind('budget-exceeded', options);
  if (status === 422) return errorForKind('invalid-request', options);
  // In a stream Cohere sends only the message (`message-end` with `error`): its words decide.
  if (status === 0) {
    if (/rate limit|too many requests/i.test(message)) return errorForKind('rate-limited', options);
    if (/overloaded|capacity/i.test(message)) return errorForKind('overloaded', options);
    return errorForKind('upstream-server', options);
  }
  return errorFromStatus(status, options);
}

const STATUS_BY_KIND: Record<string, number> = {
  authentication: 401,
  permission: 403,
  'model-not-found': 404,
  'invalid-request': 400,
  'unsupported-feature': 400,
  'context-length-exceeded': 400,
  'content-filter': 400,
  'rate-limited': 429,
  'budget-exceeded': 402,
  overloaded: 503,
  'upstream-server': 500,
  timeout: 504,
  network: 502,
  cancelled: 499,
  'all-backends-failed': 502,
  'store-unavailable': 503,
};

/** Cohere's error reply for a typed error: its status and `{ id, message }`. */
export function encodeCohereError(error: AiMateyError): EncodedError {
  return {
    status: error.status ?? STATUS_BY_KIND[error.kind] ?? 500,
    body: { id: crypto.randomUUID(), message: error.message },
    headers: retryAfterHeaders(error.retryAfterMs),
  };
}
