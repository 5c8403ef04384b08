import type { AiMateyError, AiMateyErrorOptions } from 'ai.matey.core';
import { errorFromStatus } from 'ai.matey.core';
import { errorForKind, type SimpleErrorKind } from 'ai.matey.core/internal';
import {
  type DecodeContext,
  type EncodedError,
  type HeaderLookup,
  readHeader,
  retryAfterFromHeaders,
  retryAfterHeaders,
} from 'ai.matey.wire';

interface ExceptionInfo {
  status: number;
  kind: SimpleErrorKind;
  retryable?: boolean;
}

/**
 * Bedrock's exception names (the `x-amzn-errortype` header, or the key of an exception event in
 * a ConverseStream): the status it sends each with and the kind of error it means. The
 * authentication ones come from the AWS front door, before Bedrock sees the call.
 */
const EXCEPTIONS: Record<string, ExceptionInfo> = {
  ThrottlingException: { status: 429, kind: 'rate-limited' },
  ModelNotReadyException: { status: 429, kind: 'overloaded', retryable: true },
  ServiceQuotaExceededException: { status: 400, kind: 'rate-limited', retryable: false },
  AccessDeniedException: { status: 403, kind: 'permission' },
  UnrecognizedClientException: { status: 403, kind: 'authentication' },
  InvalidSignatureException: { status: 403, kind: 'authentication' },
  IncompleteSignatureException: { status: 403, kind: 'authentication' },
  MissingAuthenticationTokenException: { status: 403, kind: 'authentication' },
  ExpiredTokenException: { status: 403, kind: 'authentication' },
  ValidationException: { status: 400, kind: 'invalid-request' },
  ResourceNotFoundException: { status: 404, kind: 'model-not-found' },
  ModelTimeoutException: { status: 408, kind: 'timeout', retryable: true },
  ModelErrorException: { status: 424, kind: 'upstream-server', retryable: false },
  // The API reference says to retry a stream that failed this way.
  ModelStreamErrorException: { status: 424, kind: 'upstream-server', retryable: true },
  InternalServerException: { status: 500, kind: 'upstream-server', retryable: true },
  ServiceUnavailableException: { status: 503, kind: 'overloaded', retryable: true },
};

/** Bedrock says a prompt does not fit in words like these (a ValidationException). */
const CONTEXT_LENGTH =
  /too long|too many (input )?tokens|exceeds? (the )?(maximum|context)|context (window|length)/i;

/**
 * The exception's canonical name from a header value (`ThrottlingException:http://internal…`),
 * a body's `__type` (`com.amazon.coral.service#ThrottlingException`) or a stream event key
 * (`throttlingException`); undefined when it is none of Bedrock's.
 */
export function exceptionName(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const name = raw.split(':')[0]?.split('#').at(-1) ?? '';
  const upper = name.charAt(0).toUpperCase() + name.slice(1);
  return Object.hasOwn(EXCEPTIONS, upper) ? upper : undefined;
}

function parsed(body: unknown): Record<string, unknown> {
  if (typeof body === 'string') {
    try {
      const value: unknown = JSON.parse(body);
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/**
 * A typed error from a Bedrock error reply (`{"message": …}` with `x-amzn-errortype`), or from
 * an exception event of a ConverseStream (status 0: the name decides). Retry hints come from
 * `retry-after` when sent; throttling, a model not ready, timeouts and 5xx are retryable.
 */
export function decodeBedrockError(
  status: number,
  body: unknown,
  headers?: HeaderLookup,
  context?: DecodeContext,
): AiMateyError {
  const fields = parsed(body);
  const name =
    exceptionName(readHeader(headers, 'x-amzn-errortype')) ??
    exceptionName(typeof fields.__type === 'string' ? fields.__type : undefined) ??
    exceptionName(typeof fields.code === 'string' ? fields.code : undefined);
  const known = name === undefined ? undefined : EXCEPTIONS[name];
  const effectiveStatus = status > 0 ? status : (known?.status ?? 500);
  const rawMessage = fields.message ?? fields.Message;
  const message =
    typeof rawMessage === 'string'
      ? rawMessage
      : typeof body === 'string' && body.trim() !== '' && !body.trim().startsWith('<')
        ? (body.trim().split('\n')[0] ?? '').slice(0, 200)
        : `Bedrock replied with HTTP ${effectiveStatus}`;
  const options: AiMateyErrorOptions = {
    message,
    provider: context?.provider ?? 'bedrock',
    status: effectiveStatus,
    cause: body,
  };
  if (name) options.code = name;
  const retryAfterMs = retryAfterFromHeaders(headers);
  if (retryAfterMs !== undefined) options.retryAfterMs = retryAfterMs;
  if (!known) {
    const { status: _status, ...rest } = options;
    return errorFromStatus(effectiveStatus, rest);
  }
  if (known.retryable !== undefined) options.isRetryable = known.retryable;
  const kind =
    known.kind === 'invalid-request' && CONTEXT_LENGTH.test(message) ? 'context-length-exceeded' : known.kind;
  return errorForKind(kind, options);
}

/** The exception Bedrock answers each kind of spec error with. */
const EXCEPTION_FOR_KIND: Partial<Record<string, string>> = {
  authentication: 'UnrecognizedClientException',
  permission: 'AccessDeniedException',
  'model-not-found': 'ResourceNotFoundException',
  'invalid-request': 'ValidationException',
  'unsupported-feature': 'ValidationException',
  'context-length-exceeded': 'ValidationException',
  'content-filter': 'ValidationException',
  'rate-limited': 'ThrottlingException',
  'budget-exceeded': 'ServiceQuotaExceededException',
  overloaded: 'ServiceUnavailableException',
  timeout: 'ModelTimeoutException',
  'upstream-server': 'InternalServerException',
};

/** The exception name and status Bedrock would send for a spec error (its own code, when it is one). */
export function bedrockException(error: AiMateyError): { name: string; status: number } {
  const name = exceptionName(error.code) ?? EXCEPTION_FOR_KIND[error.kind] ?? 'InternalServerException';
  return { name, status: EXCEPTIONS[name]?.status ?? 500 };
}

/** A spec error as Bedrock's reply: status, `{ message }`, and the `x-amzn-errortype` header. */
export function encodeBedrockError(error: AiMateyError): EncodedError {
  const { name, status } = bedrockException(error);
  return {
    status,
    body: { message: error.message },
    headers: {
      'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      ...retryAfterHeaders(error.retryAfterMs),
    },
  };
}
