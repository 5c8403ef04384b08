import { AiMateyError, CancelledError, NetworkError, TimeoutError, UpstreamServerError } from 'ai.matey.core';

const TIMEOUTS: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'Connecting to the provider timed out',
  UND_ERR_HEADERS_TIMEOUT: 'The provider sent no response headers in time (first-byte timeout)',
  UND_ERR_BODY_TIMEOUT: 'The provider went quiet mid-reply (idle timeout)',
  ETIMEDOUT: 'Connecting to the provider timed out',
};

const CODE_NAMES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect_timeout',
  UND_ERR_HEADERS_TIMEOUT: 'first_byte_timeout',
  UND_ERR_BODY_TIMEOUT: 'idle_timeout',
  ETIMEDOUT: 'connect_timeout',
};

/** The `code` of an error or of its cause (connect errors arrive wrapped, or as an AggregateError). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (current as { errors?: unknown }).errors;
    current = Array.isArray(errors) && errors.length > 0 ? errors[0] : (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Socket and resolver codes as the stable, client-safe codes a `NetworkError` carries. */
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection_refused',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  UND_ERR_CLOSED: 'connection_reset',
  ENOTFOUND: 'dns_failure',
  EAI_AGAIN: 'dns_failure',
  EHOSTUNREACH: 'host_unreachable',
  ENETUNREACH: 'host_unreachable',
};

/**
 * Maps anything the transport throws (undici errors, socket errors, an aborted signal) to the
 * typed error a caller can act on: `TimeoutError` for connect, first-byte and idle limits,
 * `NetworkError` for refused, reset or cut connections, `CancelledError` (or the signal's own
 * `AiMateyError` reason) when the caller aborted. The provider is always set.
 */
export function toTransportError(error: unknown, provider: string, signal?: AbortSignal): AiMateyError {
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (AiMateyError.isInstance(reason)) return reason;
    return new CancelledError({ message: 'The call was cancelled', provider, cause: reason ?? error });
  }
  if (AiMateyError.isInstance(error)) return error;
  const code = errorCode(error);
  if (code !== undefined && TIMEOUTS[code] !== undefined) {
    return new TimeoutError({ message: TIMEOUTS[code], provider, code: CODE_NAMES[code], cause: error });
  }
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    return new UpstreamServerError({
      message: 'The provider reply exceeded the size limit',
      provider,
      code: 'response_too_large',
      isRetryable: false,
      cause: error,
    });
  }
  // The socket's own message names the upstream's address (`connect ECONNREFUSED 10.0.3.7:443`):
  // it stays in `cause` for the operator's logs, and the caller reads the code alone.
  return new NetworkError({
    message: `Connection to the provider failed${code === undefined ? '' : ` (${code})`}`,
    provider,
    code: (code !== undefined && NETWORK_CODES[code]) || 'network_error',
    cause: error,
  });
}
