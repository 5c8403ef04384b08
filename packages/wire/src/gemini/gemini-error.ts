import { type AiMateyError, type AiMateyErrorOptions, type ErrorKind, errorFromStatus } from 'ai.matey.core';
import { errorForKind, type SimpleErrorKind } from 'ai.matey.core/internal';
import type { DecodeContext, EncodedError, HeaderLookup } from '../codec.ts';
import { parseDuration, retryAfterFromHeaders } from '../header-lookup.ts';
import { parseErrorBody, retryAfterHeaders, tableEntry, textBodyMessage } from '../shared/error-shapes.ts';
import type { GeminiErrorBody } from './gemini-types.ts';

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';
const BAD_REQUEST = 'type.googleapis.com/google.rpc.BadRequest';

type Detail = Record<string, unknown>;

/** Google's status words and the kind of error each means. */
const KIND_BY_GOOGLE_STATUS: Record<string, SimpleErrorKind> = {
  UNAUTHENTICATED: 'authentication',
  PERMISSION_DENIED: 'permission',
  NOT_FOUND: 'model-not-found',
  INVALID_ARGUMENT: 'invalid-request',
  FAILED_PRECONDITION: 'invalid-request',
  OUT_OF_RANGE: 'invalid-request',
  RESOURCE_EXHAUSTED: 'rate-limited',
  UNAVAILABLE: 'overloaded',
  DEADLINE_EXCEEDED: 'timeout',
  CANCELLED: 'cancelled',
  INTERNAL: 'upstream-server',
  UNKNOWN: 'upstream-server',
  DATA_LOSS: 'upstream-server',
};

/**
 * A typed error from a Gemini error reply (`{error: {code, message, status, details}}`, also
 * inside a one-element array as the non-SSE stream sends it, or plain text). Google's status
 * word decides before the HTTP status: an invalid key comes back as `400 INVALID_ARGUMENT` and
 * is still an `AuthenticationError`. A 429's delay comes from `RetryInfo.retryDelay` in the
 * details, else from the headers.
 */
export function decodeGeminiError(
  status: number,
  body: unknown,
  headers?: HeaderLookup,
  context?: DecodeContext,
): AiMateyError {
  const error = readError(body);
  const message =
    typeof error?.message === 'string' && error.message !== ''
      ? error.message
      : typeof body === 'string' && body.trim() !== ''
        ? textBodyMessage(body, status, context?.provider ?? 'Google')
        : `HTTP ${status}`;
  const details = Array.isArray(error?.details) ? (error.details as Detail[]) : [];
  const reason = findDetail(details, ERROR_INFO)?.reason;
  const googleStatus = typeof error?.status === 'string' ? error.status : undefined;
  const fieldViolation = (findDetail(details, BAD_REQUEST)?.fieldViolations as Detail[] | undefined)?.[0];
  const param = typeof fieldViolation?.field === 'string' ? fieldViolation.field : undefined;
  const retryDelay = findDetail(details, RETRY_INFO)?.retryDelay;
  const retryAfterMs =
    (typeof retryDelay === 'string' ? roundMs(parseDuration(retryDelay)) : undefined) ??
    retryAfterFromHeaders(headers);
  const options: AiMateyErrorOptions = {
    message,
    provider: context?.provider ?? 'google',
    status,
    ...(typeof reason === 'string' ? { code: reason } : googleStatus ? { code: googleStatus } : {}),
    ...(param ? { param } : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    cause: body,
  };

  if (reason === 'API_KEY_INVALID' || /api key not valid|unregistered callers/i.test(message))
    return errorForKind('authentication', { ...options, status: 401 });
  const kind = tableEntry(KIND_BY_GOOGLE_STATUS, googleStatus);
  // Google words an overflow as a plain invalid argument, or sends it with a bare 400.
  const mayBeOverflow = kind === 'invalid-request' || (kind === undefined && status === 400);
  if (mayBeOverflow && isContextLength(message)) return errorForKind('context-length-exceeded', options);
  if (kind !== undefined) return errorForKind(kind, options);
  const { status: _status, ...rest } = options;
  return errorFromStatus(status, rest);
}

/** The HTTP status and Google status word Gemini would answer with for each kind of error. */
const STATUS_FOR_KIND: Record<ErrorKind, [number, string]> = {
  authentication: [401, 'UNAUTHENTICATED'],
  permission: [403, 'PERMISSION_DENIED'],
  'model-not-found': [404, 'NOT_FOUND'],
  'invalid-request': [400, 'INVALID_ARGUMENT'],
  'unsupported-feature': [400, 'INVALID_ARGUMENT'],
  'context-length-exceeded': [400, 'INVALID_ARGUMENT'],
  'content-filter': [400, 'INVALID_ARGUMENT'],
  'rate-limited': [429, 'RESOURCE_EXHAUSTED'],
  'budget-exceeded': [429, 'RESOURCE_EXHAUSTED'],
  overloaded: [503, 'UNAVAILABLE'],
  'upstream-server': [500, 'INTERNAL'],
  timeout: [504, 'DEADLINE_EXCEEDED'],
  network: [503, 'UNAVAILABLE'],
  cancelled: [499, 'CANCELLED'],
  'all-backends-failed': [503, 'UNAVAILABLE'],
  'store-unavailable': [503, 'UNAVAILABLE'],
  unknown: [500, 'INTERNAL'],
};

/**
 * An error as Gemini would send it: Google's envelope, with a `RetryInfo` detail and a
 * `retry-after` header when a delay is known, and a `BadRequest` field violation naming the
 * field at fault.
 */
export function encodeGeminiError(error: AiMateyError): EncodedError {
  const [status, googleStatus] = STATUS_FOR_KIND[error.kind] ?? STATUS_FOR_KIND.unknown;
  const details: Detail[] = [];
  const headers = { 'content-type': 'application/json', ...retryAfterHeaders(error.retryAfterMs) };
  if (error.retryAfterMs !== undefined)
    details.push({ '@type': RETRY_INFO, retryDelay: `${error.retryAfterMs / 1000}s` });
  if (error.param !== undefined)
    details.push({
      '@type': BAD_REQUEST,
      fieldViolations: [{ field: error.param, description: error.message }],
    });
  const body: GeminiErrorBody = {
    error: {
      code: status,
      message: error.message,
      status: googleStatus,
      ...(details.length > 0 ? { details } : {}),
    },
  };
  return { status, body: body as unknown as Record<string, unknown>, headers };
}

function readError(body: unknown): Record<string, unknown> | undefined {
  let value = parseErrorBody(body);
  if (Array.isArray(value)) value = value[0];
  if (typeof value !== 'object' || value === null) return undefined;
  const error = (value as { error?: unknown }).error;
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : undefined;
}

function roundMs(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value);
}

function findDetail(details: Detail[], type: string): Detail | undefined {
  return details.find((detail) => detail['@type'] === type);
}

function isContextLength(message: string): boolean {
  return /input token count.*exceeds|exceeds the maximum number of tokens|too many tokens|token limit|context (length|window)/i.test(
    message,
  );
}
