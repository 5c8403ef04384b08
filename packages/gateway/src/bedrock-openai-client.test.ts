/**
 * The official `openai` client through a gateway with `type: bedrock` to a mock upstream that
 * speaks Bedrock (SigV4 checked, recorded replies as JSON and binary event-stream frames): what the
 * client reads is what the recording says; a wrong secret and throttling as Bedrock answers them.
 */

import type { RunningGateway } from 'ai.matey.http';
import type { MockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ask,
  type Closables,
  credentials,
  haiku,
  gatewayKey as key,
  recorded,
  recordedDeltas,
  startBedrockGateway,
  startBedrockUpstream,
} from './test-support/bedrock-gateway.ts';

const open: Closables = [];
let upstream: MockUpstream;
let server: RunningGateway;

beforeAll(async () => {
  upstream = await startBedrockUpstream(open);
  server = await startBedrockGateway(upstream, credentials.secretAccessKey, open);
});
afterAll(async () => {
  for (const item of open.reverse()) await item.close();
});
beforeEach(() => upstream.reset());

const openai = () => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key, maxRetries: 0 });
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

  it('reasoning as reasoning_content, whole and streamed, then the answer, as recorded', async () => {
    type Reasoned = { reasoning_content?: string };
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-reasoning' });
    const completion = await openai().chat.completions.create({ model: haiku, messages: ask });
    const [thought, answer] = recorded('amazon-bedrock-reasoning').output.message.content;
    const message = completion.choices[0]?.message;
    expect((message as Reasoned | undefined)?.reasoning_content).toBe(
      thought?.reasoningContent?.reasoningText.text,
    );
    expect(message?.content).toBe(answer?.text);
    expect(completion.usage).toMatchObject({ prompt_tokens: 51, completion_tokens: 78 });
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-reasoning' });
    const stream = await openai().chat.completions.create({ model: haiku, messages: ask, stream: true });
    let reasoning = '';
    let text = '';
    for await (const chunk of stream) {
      reasoning += (chunk.choices[0]?.delta as Reasoned | undefined)?.reasoning_content ?? '';
      text += chunk.choices[0]?.delta.content ?? '';
    }
    const deltas = recordedDeltas('amazon-bedrock-reasoning');
    expect(reasoning).toBe(deltas.map((delta) => delta.reasoningContent?.text ?? '').join(''));
    expect(text).toBe(deltas.map((delta) => delta.text ?? '').join(''));
  });

  it("a wrong secret: the mock answers Bedrock's 403, the client gets an auth error in OpenAI's format", async () => {
    const wrong = await startBedrockGateway(upstream, 'not-the-secret-key', open);
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
