import { OverloadedError } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { toTransportError } from './transport-error.ts';

function coded(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('toTransportError', () => {
  it('maps undici connect, first-byte and idle timeouts to TimeoutError', () => {
    expect(toTransportError(coded('UND_ERR_CONNECT_TIMEOUT'), 'acme')).toMatchObject({
      kind: 'timeout',
      code: 'connect_timeout',
      provider: 'acme',
      isRetryable: true,
    });
    expect(toTransportError(coded('UND_ERR_HEADERS_TIMEOUT'), 'acme').code).toBe('first_byte_timeout');
    expect(toTransportError(coded('UND_ERR_BODY_TIMEOUT'), 'acme').code).toBe('idle_timeout');
  });

  it('maps resets, refusals and wrapped connect errors to NetworkError', () => {
    expect(toTransportError(coded('ECONNRESET'), 'acme')).toMatchObject({
      kind: 'network',
      code: 'connection_reset',
    });
    const aggregate = new AggregateError([coded('ECONNREFUSED')], 'connect failed');
    expect(toTransportError(aggregate, 'acme')).toMatchObject({
      kind: 'network',
      code: 'connection_refused',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    const wrapped = new Error('fetch failed', { cause: coded('UND_ERR_SOCKET', 'other side closed') });
    expect(toTransportError(wrapped, 'acme')).toMatchObject({ kind: 'network', code: 'connection_reset' });
    expect(toTransportError(coded('ENOTFOUND'), 'acme').code).toBe('dns_failure');
    expect(toTransportError(coded('EWHATEVER'), 'acme').code).toBe('network_error');
    expect(toTransportError('???', 'acme')).toMatchObject({ kind: 'network', provider: 'acme' });
  });

  it('reports an aborted call as cancelled, or as the AiMateyError the signal was aborted with', () => {
    const controller = new AbortController();
    controller.abort();
    expect(toTransportError(coded('UND_ERR_ABORTED'), 'acme', controller.signal)).toMatchObject({
      kind: 'cancelled',
      provider: 'acme',
    });
    const withReason = new AbortController();
    withReason.abort(new OverloadedError({ message: 'shed', provider: 'acme' }));
    expect(toTransportError(coded('UND_ERR_ABORTED'), 'acme', withReason.signal).kind).toBe('overloaded');
  });

  it('passes typed errors through and flags oversized replies as non-retryable upstream errors', () => {
    const typed = new OverloadedError({ message: 'busy', provider: 'acme' });
    expect(toTransportError(typed, 'acme')).toBe(typed);
    expect(toTransportError(coded('UND_ERR_RES_EXCEEDED_MAX_SIZE'), 'acme')).toMatchObject({
      kind: 'upstream-server',
      isRetryable: false,
    });
  });
});
