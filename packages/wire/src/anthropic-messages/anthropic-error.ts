import { type AiMateyError, type AiMateyErrorOptions, type ErrorKind, errorFromStatus } from 'ai.matey.core';
import { errorForKind, type SimpleErrorKind } from 'ai.matey.core/internal';
import type { DecodeContext, EncodedError, HeaderLookup } from '../codec.ts';
import { readHeader, retryAfterFromHeaders } from '../header-lookup.ts';
import { parseErrorBody, retryAfterHeaders, tableEntry, textBodyMessage } from '../shared/error-shapes.ts';
import type { AnthropicErrorBody } from './anthropic-types.ts';

/** Anthropic's error types: the status it sends each with, and the kind of error it means. */
const ERROR_TYPES: Record<string, { status: number; kind: SimpleErrorKind }> = {
  invalid_request_error: { status: 400, kind: 'invalid-request' },
  authentication_error: { status: 401, kind: 'authentication' },
  billing_error: { status: 402, kind: 'budget-exceeded' },
  permission_error: { status: 403, kind: 'permission' },
  not_found_error: { status: 404, kind: 'model-not-found' },
  request_too_large: { status: 413, kind: 'invalid-request' },
  rate_limit_error: { status: 429, kind: 'rate-limited' },
  api_error: { status: 500, kind: 'upstream-server' },
  timeout_error: { status: 504, kind: 'timeout' },
  overloaded_error: { status: 529, kind: 'overloaded' },
};

/** Anthropic says a prompt does not fit as `prompt is too long: …` or `… exceed context limit: …`. */
const CONTEXT_LENGTH =
  /prompt is too long|exceeds? (the )?context (limit|window)|context (window|length) exceeded/i;

const RESET_LIMITS = ['requests', 'tokens', 'input-tokens', 'output-tokens'];

/**
 * The wait Anthropic's `anthropic-ratelimit-*-reset` headers (RFC 3339 times) ask for: until
 * the exhausted limits reset (`*-remaining: 0`), or the earliest reset when none says so.
 */
function anthropicResetDelay(headers: HeaderLookup | undefined, now = Date.now()): number | undefined {
  const exhausted: number[] = [];
  const all: number[] = [];
  for (const limit of RESET_LIMITS) {
    const reset = Date.parse(readHeader(headers, `anthropic-ratelimit-${limit}-reset`) ?? '');
    if (!Number.isFinite(reset)) continue;
    const delay = Math.max(0, reset - now);
    all.push(delay);
    if (readHeader(headers, `anthropic-ratelimit-${limit}-remaining`) === '0') exhausted.push(delay);
  }
  if (exhausted.length > 0) return Math.max(...exhausted);
  return all.length > 0 ? Math.min(...all) : undefined;
}

function errorBody(body: unknown): { type?: string; message?: string } {
  const error = (parseErrorBody(body) as { error?: unknown } | null | undefined)?.error;
  if (typeof error !== 'object' || error === null) return {};
  const { type, message } = error as { type?: unknown; message?: unknown };
  return {
    ...(typeof type === 'string' ? { type } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

/** The HTTP status Anthropic sends with an error type (500 for one it does not document). */
export function statusForAnthropicErrorType(type: string): number {
  return tableEntry(ERROR_TYPES, type)?.status ?? 500;
}

/**
 * A typed error from an Anthropic error reply (`{ type: 'error', error: { type, message } }`),
 * or from the same body sent as an in-stream `error` event (status 0: the type decides it).
 */
export function decodeAnthropicError(
  status: number,
  body: unknown,
  headers?: HeaderLookup,
  context?: DecodeContext,
): AiMateyError {
  const { type, message } = errorBody(body);
  const effectiveStatus = status > 0 ? status : type ? statusForAnthropicErrorType(type) : 500;
  const text =
    typeof body === 'string' && body.trim() !== '' && !type
      ? textBodyMessage(body, status > 0 ? status : undefined, context?.provider ?? 'Anthropic')
      : undefined;
  const options: AiMateyErrorOptions = {
    message: message ?? text ?? `Anthropic replied with HTTP ${effectiveStatus}`,
    provider: context?.provider ?? 'anthropic',
    status: effectiveStatus,
    cause: body,
  };
  if (type) options.code = type;
  const retryAfterMs = retryAfterFromHeaders(headers) ?? anthropicResetDelay(headers);
  if (retryAfterMs !== undefined) options.retryAfterMs = retryAfterMs;
  const known = tableEntry(ERROR_TYPES, type);
  if (!known) {
    const { status: _status, ...rest } = options;
    return errorFromStatus(effectiveStatus, rest);
  }
  const contextLength = type === 'invalid_request_error' && CONTEXT_LENGTH.test(options.message);
  return errorForKind(contextLength ? 'context-length-exceeded' : known.kind, options);
}

/** The Anthropic error type for each kind of spec error; any other is an `api_error`. */
const TYPE_FOR_KIND: Partial<Record<ErrorKind, string>> = {
  authentication: 'authentication_error',
  permission: 'permission_error',
  'model-not-found': 'not_found_error',
  'invalid-request': 'invalid_request_error',
  'unsupported-feature': 'invalid_request_error',
  'context-length-exceeded': 'invalid_request_error',
  'content-filter': 'invalid_request_error',
  'rate-limited': 'rate_limit_error',
  // Not retryable: an SDK must not hammer a spent budget the way it retries a 429.
  'budget-exceeded': 'billing_error',
  overloaded: 'overloaded_error',
  timeout: 'timeout_error',
};

/** The Anthropic error type and status for a spec error, as the gateway answers a client. */
export function anthropicErrorType(error: AiMateyError): { type: string; status: number } {
  let type = tableEntry(TYPE_FOR_KIND, error.kind) ?? 'api_error';
  if (type === 'invalid_request_error' && error.status === 413) type = 'request_too_large';
  // A precise client-error status (405, 408, 415, 422) stays, as the OpenAI side answers it.
  if (
    type === 'invalid_request_error' &&
    error.status !== undefined &&
    error.status > 400 &&
    error.status < 500
  )
    return { type, status: error.status };
  if (type === 'api_error' && error.status !== undefined && error.status >= 500 && error.status < 600)
    return { type, status: error.status };
  return { type, status: statusForAnthropicErrorType(type) };
}

/** The body of an Anthropic error, as a reply and as an in-stream `error` event. */
export function anthropicErrorBody(error: AiMateyError): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(error).type, message: error.message } };
}

/** A spec error as Anthropic's reply: status, body, and `retry-after` (seconds) when known. */
export function encodeAnthropicError(error: AiMateyError): EncodedError {
  return {
    status: anthropicErrorType(error).status,
    body: anthropicErrorBody(error),
    headers: retryAfterHeaders(error.retryAfterMs),
  };
}
