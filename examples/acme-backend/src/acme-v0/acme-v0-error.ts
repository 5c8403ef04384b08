import { type AiMateyError, type ErrorKind, errorFromStatus } from 'ai.matey.core';
import { type EncodedError, type HeaderLookup, readHeader, retryAfterHeaders } from 'ai.matey.wire';

/** v0's error `type` for each error kind it has a name for. */
const TYPES: Partial<Record<ErrorKind, string>> = {
  authentication: 'unauthorized',
  'rate-limited': 'rate_limited',
  overloaded: 'overloaded',
  'invalid-request': 'bad_request',
  'model-not-found': 'no_such_model',
};

/**
 * A non-2xx v0 reply as a typed error. The status picks the class (429 is a retryable
 * `RateLimitError`); Acme's own `acme-retry-after-ms` header becomes `retryAfterMs`, which the
 * retry middleware and the gateway's `retry-after` header honour.
 */
export function decodeAcmeV0Error(status: number, body: unknown, headers?: HeaderLookup): AiMateyError {
  const error = (body as { error?: { type?: unknown; message?: unknown } } | null)?.error;
  const message = typeof error?.message === 'string' ? error.message : `Acme answered ${status}`;
  const retryAfter = Number(readHeader(headers, 'acme-retry-after-ms'));
  return errorFromStatus(status, {
    message,
    provider: 'acme',
    ...(typeof error?.type === 'string' ? { code: error.type } : {}),
    ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterMs: retryAfter } : {}),
  });
}

/** The server half: a typed error as v0's status, body and retry headers. */
export function encodeAcmeV0Error(error: AiMateyError): EncodedError {
  const status = error.status ?? 500;
  const headers: Record<string, string> = retryAfterHeaders(error.retryAfterMs);
  if (error.retryAfterMs !== undefined) headers['acme-retry-after-ms'] = String(error.retryAfterMs);
  return {
    status,
    headers,
    body: { error: { type: TYPES[error.kind] ?? 'server', message: error.message } },
  };
}
