/**
 * `type: bedrock` through a real gateway: the official `openai` and `@anthropic-ai/sdk` clients
 * call it; it signs each call with SigV4 and sends it to the mock upstream, which speaks Bedrock
 * (`bedrockMockUpstream`: signatures checked from the test's credentials, recorded replies from
 * packages/fixtures/recorded/bedrock-converse, by the Vercel AI SDK, Apache 2.0, served as JSON
 * and as binary event-stream frames). What the clients read must be what the recording says.
 */
import Anthropic from '@anthropic-ai/sdk';
import { bedrockMockUpstream } from 'ai.matey.backend.bedrock';
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { type MockUpstream, readFixture, startMockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BuiltGateway } from './build-gateway.ts';
import { createGatewayFromConfig } from './create-gateway-from-config.ts';

const credentials = { accessKeyId: 'AKIAGATEWAYTEST', secretAccessKey: 'gateway-test-secret-key' };
const key = 'gateway-key-bedrock';
const haiku = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const open: Array<{ close(): Promise<void> }> = [];
let upstream: MockUpstream;
let server: RunningGateway;

async function gateway(secretAccessKey: string): Promise<RunningGateway> {
  const built: BuiltGateway = await createGatewayFromConfig(
    {
      providers: {
        bedrock: {
          type: 'bedrock',
          region: 'us-east-1',
          baseURL: upstream.url,
          credentials: { ...credentials, secretAccessKey },
        },
      },
      keys: [{ id: 'me', key }],
      middleware: { logging: false },
    },
    { env: {} },
  );
  open.push(built);
  const running = await serveGateway(built.gateway, { port: 0 });
  open.push(running);
  return running;
}

interface RecordedReply {
  output: {
    message: {
      content: Array<{
        text?: string;
        reasoningContent?: { reasoningText: { text: string; signature: string } };
      }>;
    };
  };
}

interface RecordedDelta {
  text?: string;
  reasoningContent?: { text?: string; signature?: string };
}

function recorded(name: string): RecordedReply {
  return readFixture('bedrock-converse', name).json as RecordedReply;
}

/** The `contentBlockDelta` deltas of a recorded stream, in order. */
function recordedDeltas(name: string): RecordedDelta[] {
  return (readFixture('bedrock-converse', name).chunks ?? []).map(
    (line) =>
      (JSON.parse(line) as { contentBlockDelta?: { delta: RecordedDelta } }).contentBlockDelta?.delta ?? {},
  );
}

beforeAll(async () => {
  upstream = await startMockUpstream(bedrockMockUpstream({ credentials: [credentials] }));
  open.push(upstream);
  server = await gateway(credentials.secretAccessKey);
});
afterAll(async () => {
  for (const item of open.reverse()) await item.close();
});
beforeEach(() => upstream.reset());

const openai = () => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key, maxRetries: 0 });
const anthropic = () => new Anthropic({ baseURL: server.url, apiKey: key, maxRetries: 0 });
const ask = [{ role: 'user' as const, content: 'How many r are in strawberry?' }];

describe('OpenAI client → gateway → Bedrock (recorded replies)', () => {
  it('text: the recorded answer, usage and finish reason; the call went signed to the Converse path', async () => {
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-text' });
    const completion = await openai().chat.completions.create({ model: haiku, messages: ask });
    const body = recorded('amazon-bedrock-text');
    expect(completion.choices[0]?.message.content).toBe(body.output.message.content[0]?.text);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 22, completion_tokens: 57, total_tokens: 79 });
    expect(upstream.requests[0]?.path).toBe(`/model/${encodeURIComponent(haiku)}/converse`);
    expect(upstream.requests[0]?.status).toBe(200);
  });

  it('streamed text: the deltas join into the recorded text; usage in the last chunk', async () => {
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-text' });
    const stream = await openai().chat.completions.create({
      model: haiku,
      messages: ask,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    const expected = recordedDeltas('amazon-bedrock-text')
      .map((delta) => delta.text ?? '')
      .join('');
    expect(text).toBe(expected);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 22, completion_tokens: 55 });
    expect(upstream.requests[0]?.path).toBe(`/model/${encodeURIComponent(haiku)}/converse-stream`);
  });

  it('a tool call: name, arguments and finish reason as recorded', async () => {
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-tool-call.1' });
    const completion = await openai().chat.completions.create({
      model: haiku,
      messages: [{ role: 'user', content: 'list files' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'bash',
            parameters: { type: 'object', properties: { command: { type: 'string' } } },
          },
        },
      ],
    });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(call).toMatchObject({
      id: 'tool-use-id',
      function: { name: 'bash', arguments: '{"command":"ls -l"}' },
    });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(upstream.requests[0]?.body).toMatchObject({
      toolConfig: { tools: [{ toolSpec: { name: 'bash', inputSchema: { json: { type: 'object' } } } }] },
    });
  });

  it('streamed tool arguments arrive in the recorded pieces and join to the recorded input', async () => {
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-tool-call.1' });
    const stream = await openai().chat.completions.create({
      model: haiku,
      messages: [{ role: 'user', content: 'make it sparkle' }],
      tools: [{ type: 'function', function: { name: 'test-tool', parameters: { type: 'object' } } }],
      stream: true,
    });
    const pieces: string[] = [];
    let name: string | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      if (call?.function?.name) name = call.function.name;
      if (call?.function?.arguments) pieces.push(call.function.arguments);
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(name).toBe('test-tool');
    expect(pieces).toEqual(['{"value":', '"Sparkle Day"}']);
    expect(finish).toBe('tool_calls');
  });

  it("a wrong secret: the mock answers Bedrock's 403, the client gets an auth error in OpenAI's format", async () => {
    const wrong = await gateway('not-the-secret-key');
    const client = new OpenAI({ baseURL: `${wrong.url}/v1`, apiKey: key, maxRetries: 0 });
    const error = await client.chat.completions
      .create({ model: haiku, messages: ask })
      .catch((e: unknown) => e);
    // Bedrock's own status (403) passes through; the body says what failed, as OpenAI says it.
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 403, type: 'authentication_error' });
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toMatch(
      /request signature we calculated does not match/,
    );
    expect(upstream.requests[0]).toMatchObject({ status: 403 });
    expect(upstream.requests).toHaveLength(1);
  });

  it('ThrottlingException: the gateway retries after the hinted wait, and the client gets the answer', async () => {
    upstream.enqueue(
      {
        error: 'rate-limited',
        retryAfterMs: 300,
        errorMessage: 'Too many requests, please wait before trying again.',
      },
      { fixture: 'bedrock-converse/amazon-bedrock-text' },
    );
    const completion = await openai().chat.completions.create({ model: haiku, messages: ask });
    expect(completion.choices[0]?.message.content).toContain('There are **3**');
    const [throttled, retried] = upstream.requests;
    expect(throttled?.status).toBe(429);
    expect(retried?.status).toBe(200);
    expect((retried?.time ?? 0) - (throttled?.time ?? 0)).toBeGreaterThanOrEqual(290);
  });
});

describe('Anthropic client → gateway → Bedrock (recorded replies)', () => {
  it('reasoning: the thinking block with its signature, then the text, as recorded', async () => {
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-reasoning' });
    const message = await anthropic().messages.create({
      model: `us.${haiku}`,
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: ask,
    });
    const [thought, answer] = recorded('amazon-bedrock-reasoning').output.message.content;
    expect(message.content[0]).toEqual({
      type: 'thinking',
      thinking: thought?.reasoningContent?.reasoningText.text,
      signature: thought?.reasoningContent?.reasoningText.signature,
    });
    expect(message.content[1]).toMatchObject({ type: 'text', text: answer?.text });
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 51, output_tokens: 78 });
    expect(upstream.requests[0]?.body).toMatchObject({
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
    });
  });

  it('streamed reasoning: thinking deltas and the signature, then text, as recorded', async () => {
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-reasoning' });
    const stream = anthropic().messages.stream({
      model: haiku,
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: ask,
    });
    const message = await stream.finalMessage();
    const deltas = recordedDeltas('amazon-bedrock-reasoning');
    const thinking = deltas.map((delta) => delta.reasoningContent?.text ?? '').join('');
    const signature = deltas.find((delta) => delta.reasoningContent?.signature)?.reasoningContent?.signature;
    const text = deltas.map((delta) => delta.text ?? '').join('');
    expect(message.content).toEqual([
      { type: 'thinking', thinking, signature },
      expect.objectContaining({ type: 'text', text }),
    ]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBe(94);
  });

  it('streamed text and a call with no arguments: text, then tool_use with {} input', async () => {
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-tool-no-args' });
    const message = await anthropic()
      .messages.stream({
        model: haiku,
        max_tokens: 500,
        tools: [{ name: 'updateIssueList', input_schema: { type: 'object' } }],
        messages: [{ role: 'user', content: 'update the issues' }],
      })
      .finalMessage();
    expect(message.content).toEqual([
      expect.objectContaining({ type: 'text', text: "I'll update the issue list for you." }),
      { type: 'tool_use', id: 'tool-use-id', name: 'updateIssueList', input: {} },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 100, output_tokens: 25 });
  });

  it("a wrong secret: the client gets an auth error in Anthropic's format", async () => {
    const wrong = await gateway('another-wrong-secret');
    const client = new Anthropic({ baseURL: wrong.url, apiKey: key, maxRetries: 0 });
    const error = await client.messages
      .create({ model: haiku, max_tokens: 10, messages: ask })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as { error?: { error?: { type?: string } } }).error?.error?.type).toBe(
      'authentication_error',
    );
  });
});

describe('type: bedrock from the environment', () => {
  it('AWS_REGION and an access key pair enable Bedrock with no config; calls are signed with that key', async () => {
    const built = await createGatewayFromConfig(
      { keys: [{ id: 'me', key }], middleware: { logging: false } },
      {
        env: {
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_ENDPOINT_URL_BEDROCK_RUNTIME: upstream.url,
        },
      },
    );
    open.push(built);
    expect(built.providers).toEqual([
      expect.objectContaining({ name: 'bedrock', type: 'bedrock', baseURL: upstream.url, simulated: false }),
    ]);
    expect(built.providers[0]?.models).toEqual(
      expect.arrayContaining([haiku, `eu.${haiku}`, 'amazon.nova-lite-v1:0']),
    );
    const running = await serveGateway(built.gateway, { port: 0 });
    open.push(running);
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-text' });
    const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'amazon.nova-lite-v1:0',
      messages: ask,
    });
    expect(completion.choices[0]?.message.content).toContain('There are **3**');
    expect(upstream.requests[0]).toMatchObject({
      status: 200,
      path: '/model/amazon.nova-lite-v1%3A0/converse',
    });
  });

  it('without a region, a configured Bedrock provider is a config error that says so', async () => {
    const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    try {
      const error = await createGatewayFromConfig({ providers: { bedrock: {} } }, { env: {} }).catch(
        (e: unknown) => e,
      );
      expect(String(error)).toMatch(/providers\.bedrock.*needs a region/);
    } finally {
      for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
    }
  });
});
