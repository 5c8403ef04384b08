import { type AiMateyError, type AiMateyErrorOptions, errorFromStatus } from 'ai.matey.core';
import { errorForKind, type SimpleErrorKind } from 'ai.matey.core/internal';
import type { DecodeContext, EncodedError, HeaderLookup } from '../codec.ts';
import { retryAfterFromHeaders } from '../header-lookup.ts';
import { parseErrorBody, retryAfterHeaders, tableEntry, textBodyMessage } from '../shared/error-shapes.ts';

interface ErrorFields {
  message: string | undefined;
  type: string | undefined;
  code: string | undefined;
  param: string | undefined;
}

/**
 * A typed error from a non-2xx OpenAI-style reply. The body may be OpenAI's
 * `{error:{message,type,param,code}}`, Mistral's flat `{object:'error',message,…}`, Ollama's
 * `{error:'…'}`, FastAPI's `{detail}` or plain text; the provider's code decides first (a
 * context overflow is a 400 like any other), then the status.
 */
export function decodeOpenAIError(
  status: number | undefined,
  body: unknown,
  headers?: HeaderLookup,
  context?: DecodeContext,
): AiMateyError {
  const provider = context?.provider;
  const fields = readErrorFields(body, status, provider);
  const message =
    fields.message ??
    (status === undefined
      ? 'The provider reported an error'
      : `${provider ?? 'The provider'} returned HTTP ${status}`);
  const options: AiMateyErrorOptions = { message };
  if (provider !== undefined) options.provider = provider;
  if (status !== undefined) options.status = status;
  if (fields.code !== undefined) options.code = fields.code;
  if (fields.param !== undefined) options.param = fields.param;
  const retryAfterMs = retryAfterFromHeaders(headers);
  const codes = `${fields.code ?? ''} ${fields.type ?? ''}`.toLowerCase();

  if (codes.includes('insufficient_quota'))
    // Out of credit: waiting does not help, so no retry even though it is a 429.
    return errorForKind('rate-limited', { ...options, isRetryable: false });
  if (codes.includes('context_length_exceeded') || /maximum context length|context window/i.test(message))
    return errorForKind('context-length-exceeded', options);
  if (/content_filter|content_policy|content_management_policy/.test(codes))
    return errorForKind('content-filter', options);
  if (codes.includes('model_not_found')) return errorForKind('model-not-found', options);
  // Our own encoder marks overload as `server_error`/`overloaded`; keep it distinguishable.
  if (fields.code === 'overloaded' || fields.type === 'overloaded_error')
    return errorForKind('overloaded', options);
  if (retryAfterMs !== undefined) options.retryAfterMs = retryAfterMs;
  if (status !== undefined) return errorFromStatus(status, options);
  return errorFromType(fields.type, fields.code, options);
}

/** OpenAI's error `type` (and the words compatible servers use) and the kind of error it means. */
const KIND_BY_TYPE: Record<string, SimpleErrorKind> = {
  invalid_request_error: 'invalid-request',
  authentication_error: 'authentication',
  permission_error: 'permission',
  not_found_error: 'model-not-found',
  rate_limit_error: 'rate-limited',
  rate_limit_exceeded: 'rate-limited',
  tokens: 'rate-limited',
  requests: 'rate-limited',
  overloaded_error: 'overloaded',
  timeout_error: 'timeout',
};

/** For in-stream errors, which come without a status: OpenAI's error `type` says what failed. */
function errorFromType(type: string | undefined, code: string | undefined, options: AiMateyErrorOptions) {
  const kind =
    tableEntry(KIND_BY_TYPE, type) ?? (code === 'rate_limit_exceeded' ? 'rate-limited' : 'upstream-server');
  // OpenAI reports a bad key as an invalid request; its code says what it is.
  return errorForKind(
    kind === 'invalid-request' && code === 'invalid_api_key' ? 'authentication' : kind,
    options,
  );
}

function readErrorFields(body: unknown, status?: number, provider?: string): ErrorFields {
  const value = parseErrorBody(body);
  if (value === undefined && typeof body === 'string') {
    const text = body.trim();
    return {
      message: text ? textBodyMessage(text, status, provider) : undefined,
      type: undefined,
      code: undefined,
      param: undefined,
    };
  }
  if (typeof value !== 'object' || value === null) {
    return { message: undefined, type: undefined, code: undefined, param: undefined };
  }
  const record = value as Record<string, unknown>;
  // Some gateways wrap the error object in an array: `[{error:{…}}]`.
  if (Array.isArray(value) && value.length > 0) return readErrorFields(value[0], status, provider);
  if (typeof record.error === 'string')
    return { message: record.error, type: undefined, code: textOf(record.code), param: undefined };
  const inner =
    typeof record.error === 'object' && record.error !== null
      ? (record.error as Record<string, unknown>)
      : record;
  const detail = record.detail;
  return {
    message:
      textOf(inner.message) ??
      (typeof detail === 'string' ? detail : detail === undefined ? undefined : JSON.stringify(detail)),
    type: textOf(inner.type),
    code: textOf(inner.code),
    param: textOf(inner.param),
  };
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

const TYPE_BY_KIND: Record<string, { status: number; type: string; code?: string }> = {
  authentication: { status: 401, type: 'authentication_error', code: 'invalid_api_key' },
  permission: { status: 403, type: 'permission_error' },
  'model-not-found': { status: 404, type: 'not_found_error', code: 'model_not_found' },
  'invalid-request': { status: 400, type: 'invalid_request_error' },
  'unsupported-feature': { status: 400, type: 'invalid_request_error', code: 'unsupported_feature' },
  'context-length-exceeded': { status: 400, type: 'invalid_request_error', code: 'context_length_exceeded' },
  'content-filter': { status: 400, type: 'invalid_request_error', code: 'content_filter' },
  'rate-limited': { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  'budget-exceeded': { status: 429, type: 'insufficient_quota', code: 'budget_exceeded' },
  overloaded: { status: 503, type: 'server_error', code: 'overloaded' },
  'upstream-server': { status: 502, type: 'server_error' },
  timeout: { status: 504, type: 'timeout_error', code: 'timeout' },
  network: { status: 502, type: 'server_error', code: 'network_error' },
  cancelled: { status: 499, type: 'invalid_request_error', code: 'cancelled' },
  'all-backends-failed': { status: 502, type: 'server_error', code: 'all_backends_failed' },
  'store-unavailable': { status: 503, type: 'server_error', code: 'store_unavailable' },
};

/**
 * OpenAI's error body for a typed error: the status it carries (an overloaded 529 stays 529),
 * OpenAI's type names, and `retry-after` in whole seconds (rounded up) when a delay is known.
 */
export function encodeOpenAIError(error: AiMateyError): EncodedError {
  const mapped = TYPE_BY_KIND[error.kind] ?? { status: 500, type: 'server_error' };
  return {
    status: error.status ?? mapped.status,
    body: {
      error: {
        message: error.message,
        type: mapped.type,
        param: error.param ?? null,
        code: error.code ?? mapped.code ?? null,
      },
    },
    headers: retryAfterHeaders(error.retryAfterMs),
  };
}
