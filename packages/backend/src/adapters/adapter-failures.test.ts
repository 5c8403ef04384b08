import type { ChatRequest, StreamEvent } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { ADAPTER_FAMILIES, TEST_KEY } from '../test-support/adapter-families.ts';
import type { MockUpstreamReply } from '../test-support/mock-upstream.ts';
import { drain, failure, useMockUpstream } from '../test-support/upstream-harness.ts';
import { HttpTransport } from '../transport/http-transport.ts';

const ERROR_CASES: Array<{ label: string; reply: MockUpstreamReply; kind: string; retryAfterMs?: number }> = [
  { label: '401', reply: { error: 'authentication' }, kind: 'authentication' },
  { label: '403', reply: { error: 'permission' }, kind: 'permission' },
  { label: '404 unknown model', reply: { error: 'model-not-found' }, kind: 'model-not-found' },
  {
    label: '400 context length',
    reply: { error: 'context-length-exceeded' },
    kind: 'context-length-exceeded',
  },
  {
    label: '429 retry-after',
    reply: { error: 'rate-limited', retryAfter: 7 },
    kind: 'rate-limited',
    retryAfterMs: 7000,
  },
  { label: '529 overloaded', reply: { error: 'overloaded', status: 529 }, kind: 'overloaded' },
  { label: '500', reply: { error: 'upstream-server' }, kind: 'upstream-server' },
];

describe.each(ADAPTER_FAMILIES)('$label adapter failures', (family) => {
  const mock = useMockUpstream();
  const backend = (timeoutMs?: number) =>
    family.make(mock.upstream.url, { transport: mock.transport, timeoutMs });
  const ask: ChatRequest = { model: family.model, messages: [{ role: 'user', content: 'Hello' }] };

  it.each(ERROR_CASES)(
    'maps $label to $kind with the provider set',
    async ({ reply, kind, retryAfterMs }) => {
      for (const stream of [false, true]) {
        mock.upstream.enqueue(reply);
        const error = await failure(() => (stream ? drain(backend().stream(ask)) : backend().execute(ask)));
        expect(error.kind).toBe(kind);
        expect(error.provider).toBe(family.provider);
        if (retryAfterMs !== undefined) expect(error.retryAfterMs).toBe(retryAfterMs);
      }
    },
  );

  it('keeps the API key out of an error even when the provider echoes it', async () => {
    mock.upstream.enqueue({
      error: 'authentication',
      errorMessage: `Incorrect API key provided: ${TEST_KEY}.`,
    });
    const error = await failure(() => backend().execute(ask));
    expect(error.kind).toBe('authentication');
    expect(error.message).not.toContain(TEST_KEY);
    expect(JSON.stringify(error)).not.toContain(TEST_KEY);
  });

  it('answers a rejected key with AuthenticationError', async () => {
    const wrong = family.make(mock.upstream.url, {
      transport: mock.transport,
      apiKey: 'wrong-key-5e4d3c2b1a09',
    });
    const error = await failure(() => wrong.execute(ask));
    expect(error).toMatchObject({ kind: 'authentication', provider: family.provider, status: 401 });
    expect(error.message).not.toContain('wrong-key-5e4d3c2b1a09');
  });

  it('closes the upstream connection when the caller aborts mid-stream', async () => {
    mock.upstream.enqueue({ text: 'a b c d e f g h i j', chunkCount: 10, chunkDelayMs: 100 });
    const controller = new AbortController();
    const seen: StreamEvent[] = [];
    const error = await failure(async () => {
      for await (const event of backend().stream(ask, { signal: controller.signal })) {
        seen.push(event);
        controller.abort();
      }
    });
    expect(error.kind).toBe('cancelled');
    expect(seen).toHaveLength(1);
    const logged = await mock.upstream.waitForClientAbort();
    expect(logged.clientAborted).toBe(true);
  });

  it('closes the upstream connection when the consumer stops reading', async () => {
    mock.upstream.enqueue({ text: 'a b c d e f g h i j', chunkCount: 10, chunkDelayMs: 100 });
    for await (const event of backend().stream(ask)) {
      expect(event.type).toBe('start');
      break;
    }
    expect((await mock.upstream.waitForClientAbort()).clientAborted).toBe(true);
  });

  it('throws NetworkError when the connection drops mid-stream', async () => {
    mock.upstream.enqueue({
      text: 'one two three four',
      chunkCount: 4,
      chunkDelayMs: 20,
      reset: 'after-first-event',
    });
    const error = await failure(() => drain(backend().stream(ask)));
    expect(error).toMatchObject({ kind: 'network', provider: family.provider, isRetryable: true });
  });

  it('throws NetworkError when the stream ends cleanly but early', async () => {
    mock.upstream.enqueue({ text: 'one two three four', chunkCount: 4, cutAfterEvents: 2 });
    const error = await failure(() => drain(backend().stream(ask)));
    expect(error).toMatchObject({ kind: 'network', provider: family.provider });
  });

  it('throws the typed error of an in-band stream error event', async () => {
    mock.upstream.enqueue({ text: 'one two three', chunkCount: 3, errorEventAfter: 1 });
    const error = await failure(() => drain(backend().stream(ask)));
    expect(error.kind).not.toBe('network');
    expect(error.provider).toBe(family.provider);
  });

  it('times out a hanging upstream at the first byte', async () => {
    mock.upstream.enqueue({ hangMs: 3000 });
    const error = await failure(() => backend(250).execute(ask));
    expect(error).toMatchObject({ kind: 'timeout', code: 'first_byte_timeout', provider: family.provider });
  });

  it('refuses a reply larger than the transport limit', async () => {
    const small = new HttpTransport({ maxResponseBytes: 2048 });
    try {
      mock.upstream.enqueue({ text: 'x'.repeat(8000) });
      const error = await failure(() => family.make(mock.upstream.url, { transport: small }).execute(ask));
      expect(error).toMatchObject({
        kind: 'upstream-server',
        code: 'response_too_large',
        provider: family.provider,
      });
    } finally {
      await small.close();
    }
  });
});
