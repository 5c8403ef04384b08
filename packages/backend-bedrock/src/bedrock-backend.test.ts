/**
 * BedrockBackend against the mock upstream of ai.matey.testing speaking Bedrock through
 * `bedrockMockUpstream`: real sockets, SigV4 checked per call from the known credentials,
 * recorded replies (packages/fixtures/recorded/bedrock-converse, recorded by the Vercel AI SDK,
 * Apache 2.0) served as JSON and as binary event-stream frames.
 */
import { AiMateyError, collectStream, OverloadedError, type StreamEvent } from 'ai.matey.core';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BedrockBackend } from './bedrock-backend.ts';
import { bedrockMockUpstream } from './bedrock-mock-upstream.ts';

const credentials = { accessKeyId: 'AKIATESTBEDROCK', secretAccessKey: 'test-secret-for-the-mock-upstream' };
let upstream: MockUpstream;

beforeAll(async () => {
  upstream = await startMockUpstream({ ...bedrockMockUpstream({ credentials: [credentials] }) });
});
afterAll(() => upstream.close());

function backend(secretAccessKey = credentials.secretAccessKey): BedrockBackend {
  return new BedrockBackend({
    region: 'us-east-1',
    baseURL: upstream.url,
    credentials: { ...credentials, secretAccessKey },
    defaultModel: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
  });
}

const hello = { messages: [{ role: 'user' as const, content: 'How many r in strawberry?' }] };

describe('BedrockBackend through the mock upstream', () => {
  it('execute: a signed Converse call to the model path, the recorded reply decoded', async () => {
    upstream.reset();
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-text' });
    const reply = await backend().execute({ ...hello, maxOutputTokens: 300 });
    expect(reply.content[0]).toMatchObject({
      type: 'text',
      text: expect.stringContaining('There are **3**'),
    });
    expect(reply.usage).toMatchObject({ inputTokens: 22, outputTokens: 57 });
    const [call] = upstream.requests;
    expect(call?.path).toBe('/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse');
    expect(call?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(call?.body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'How many r in strawberry?' }] }],
      inferenceConfig: { maxTokens: 300 },
    });
    expect(call?.model).toBe('us.anthropic.claude-3-5-haiku-20241022-v1:0');
  });

  it('stream: binary event-stream frames decoded to reasoning with its signature, then text', async () => {
    upstream.reset();
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-reasoning' });
    const events: StreamEvent[] = [];
    // A model that reasons: the catalog says 3.5 Haiku does not, and its reasoning setting would not be sent.
    const thinker = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0';
    for await (const event of backend().stream({
      ...hello,
      model: thinker,
      reasoning: { budgetTokens: 1024 },
    }))
      events.push(event);
    const reply = await collectStream(
      (async function* () {
        yield* events;
      })(),
    );
    expect(reply.content[0]).toMatchObject({
      type: 'reasoning',
      signature: expect.stringMatching(/^Ep0CCkgICxAB/),
    });
    expect(reply.content[1]).toMatchObject({ type: 'text', text: expect.stringContaining('st**r**awbe') });
    expect(reply.usage.outputTokens).toBe(94);
    const [call] = upstream.requests;
    expect(call?.path).toBe('/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream');
    expect(call?.body).toMatchObject({
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
      inferenceConfig: { maxTokens: 4096 },
    });
  });

  it('an ARN model id travels as one path segment and is read back whole', async () => {
    upstream.reset();
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0';
    await backend().execute({ ...hello, model: arn });
    expect(upstream.requests[0]?.path).toBe(`/model/${encodeURIComponent(arn)}/converse`);
    expect(upstream.requests[0]?.model).toBe(arn);
  });

  it("a wrong secret gets Bedrock's 403 InvalidSignatureException, as an AuthenticationError", async () => {
    upstream.reset();
    const error = await backend('not-the-secret')
      .execute(hello)
      .catch((e: unknown) => e);
    expect(AiMateyError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      kind: 'authentication',
      status: 403,
      code: 'InvalidSignatureException',
      isRetryable: false,
      message: expect.stringMatching(
        /^The request signature we calculated does not match the signature you provided/,
      ),
    });
  });

  it('ThrottlingException (429) is a retryable RateLimitError with the retry hint', async () => {
    upstream.reset();
    upstream.enqueue({
      error: 'rate-limited',
      retryAfter: 3,
      errorMessage: 'Too many requests, please wait before trying again.',
    });
    const error = await backend()
      .execute(hello)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'rate-limited',
      status: 429,
      code: 'ThrottlingException',
      isRetryable: true,
      retryAfterMs: 3000,
    });
  });

  it.each([
    ['ModelNotReadyException', 429, 'overloaded', true],
    ['AccessDeniedException', 403, 'permission', false],
    ['ValidationException', 400, 'invalid-request', false],
    ['ServiceUnavailableException', 503, 'overloaded', true],
    ['ModelTimeoutException', 408, 'timeout', true],
    ['ResourceNotFoundException', 404, 'model-not-found', false],
  ])('%s (%i) becomes kind %s, retryable %s', async (exception, status, kind, retryable) => {
    upstream.reset();
    upstream.enqueue({
      error: new OverloadedError({ message: `${exception} from the mock`, code: exception }),
    });
    const error = await backend()
      .execute(hello)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind, status, code: exception, isRetryable: retryable });
  });

  it('an exception frame mid-stream ends the stream with its typed error', async () => {
    upstream.reset();
    upstream.enqueue({ text: 'one two three four', errorEventAfter: 3, error: 'rate-limited' });
    const seen: StreamEvent[] = [];
    const failure = await (async () => {
      for await (const event of backend().stream(hello)) seen.push(event);
    })().catch((e: unknown) => e);
    expect(seen.some((event) => event.type === 'text-delta')).toBe(true);
    expect(failure).toMatchObject({ kind: 'rate-limited', code: 'ThrottlingException', isRetryable: true });
  });

  it('a stream cut after a few frames ends with a NetworkError, not a silent end', async () => {
    upstream.reset();
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-text', cutAfterEvents: 4 });
    const failure = await collectStream(backend().stream(hello)).catch((e: unknown) => e);
    expect(failure).toMatchObject({ kind: 'network' });
  });

  it('a garbage frame from the mock is a malformed-stream error; a reset after the first frame a network error', async () => {
    upstream.reset();
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-text', malformed: true });
    const malformed = await collectStream(backend().stream(hello)).catch((e: unknown) => e);
    expect(malformed).toMatchObject({ kind: 'upstream-server', message: expect.stringMatching(/not JSON/) });
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-text', reset: 'after-first-event' });
    const reset = await collectStream(backend().stream(hello)).catch((e: unknown) => e);
    expect(reset).toMatchObject({ kind: 'network' });
  });

  it('frames arrive over time (chunkDelayMs): the stream is read as it comes, not buffered whole', async () => {
    upstream.reset();
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-text', chunkDelayMs: 40 });
    const times: number[] = [];
    for await (const event of backend().stream(hello))
      if (event.type === 'text-delta') times.push(performance.now());
    expect(times.length).toBeGreaterThan(5);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThan(200);
  });

  it('a huge event: one of 300 kB is read whole; one past the 16 MiB frame limit stops the stream', async () => {
    upstream.reset();
    upstream.enqueue({ text: 'hi there', hugeEventBytes: 300_000 });
    const reply = await collectStream(backend().stream(hello));
    expect(reply.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/^hi x{300000}/) });
    upstream.enqueue({ text: 'hi there', hugeEventBytes: 17 * 1024 * 1024 });
    const refused = await collectStream(backend().stream(hello)).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'upstream-server', code: 'malformed_stream' });
  });

  it('with a Bedrock API key, calls carry the bearer token and no signature', async () => {
    const keyed = await startMockUpstream({ provider: 'bedrock', apiKeys: ['bedrock-api-key-0123'] });
    try {
      const bedrock = new BedrockBackend({
        region: 'us-west-2',
        baseURL: keyed.url,
        apiKey: 'bedrock-api-key-0123',
      });
      const reply = await bedrock.execute(hello);
      expect(reply.content[0]).toMatchObject({ type: 'text' });
      expect(keyed.requests[0]?.headers['x-amz-date']).toBeUndefined();
      expect(keyed.requests[0]?.path).toBe('/model/amazon.nova-lite-v1%3A0/converse');
    } finally {
      await keyed.close();
    }
  });

  it('the endpoint follows the region; no region at all is a clear error', () => {
    expect(new BedrockBackend({ region: 'eu-central-1', credentials }).toJSON()).toMatchObject({
      baseURL: 'https://bedrock-runtime.eu-central-1.amazonaws.com',
      region: 'eu-central-1',
    });
    const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    try {
      expect(() => new BedrockBackend({ credentials })).toThrow(/needs a region/);
    } finally {
      Object.assign(
        process.env,
        Object.fromEntries(Object.entries(saved).filter(([, v]) => v !== undefined)),
      );
    }
  });
});
