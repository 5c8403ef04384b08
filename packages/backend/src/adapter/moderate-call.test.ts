/**
 * `HttpBackend.moderate` against a real mock upstream serving OpenAI's `/v1/moderations` from the
 * `moderations/openai-moderation` fixture: the call carries the key and OpenAI's body, the reply
 * is read into per-input results, and a protocol without the endpoint has no `moderate`.
 */
import { describe, expect, it } from 'vitest';
import { AnthropicBackendAdapter } from '../adapters/anthropic-backend-adapter.ts';
import { OpenAIBackendAdapter } from '../adapters/openai-backend-adapter.ts';
import { TEST_KEY } from '../test-support/adapter-families.ts';
import { failure, useMockUpstream } from '../test-support/upstream-harness.ts';

describe('HttpBackend.moderate', () => {
  const mock = useMockUpstream();
  const openai = () =>
    new OpenAIBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: `${mock.upstream.url}/v1`,
      transport: mock.transport,
    });

  it("posts OpenAI's moderation body and reads one result per input", async () => {
    const reply = await openai().moderate?.({ input: ['I will attack you tonight', 'Lovely weather today'] });
    const sent = mock.upstream.requests.at(-1);
    expect(sent?.path).toBe('/v1/moderations');
    expect(sent?.body).toEqual({
      model: 'omni-moderation-latest',
      input: ['I will attack you tonight', 'Lovely weather today'],
    });
    expect(reply?.provider).toBe('openai');
    expect(reply?.model).toBe('omni-moderation-latest');
    expect(reply?.results.map((result) => result.flagged)).toEqual([true, false]);
    expect(reply?.results[0]?.categories.violence).toBe(true);
    expect(reply?.results[0]?.categoryScores.violence).toBeGreaterThan(0.5);
    expect(reply?.results[1]?.categories.violence).toBe(false);
  });

  it("maps the upstream's refusal to a typed error, without the key", async () => {
    const wrong = new OpenAIBackendAdapter({
      apiKey: 'wrong-key-123',
      baseURL: `${mock.upstream.url}/v1`,
      transport: mock.transport,
    });
    const error = await failure(() => wrong.moderate?.({ input: ['hi'] }) ?? Promise.resolve());
    expect(error).toMatchObject({ kind: 'authentication', provider: 'openai' });
    expect(error.message).not.toContain('wrong-key-123');
  });

  it('is absent on a backend whose protocol has no moderation endpoint', () => {
    const claude = new AnthropicBackendAdapter({ apiKey: TEST_KEY, baseURL: mock.upstream.url });
    expect(claude.moderate).toBeUndefined();
  });
});
