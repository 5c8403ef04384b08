/**
 * The official `@anthropic-ai/sdk` client through a gateway with `type: bedrock` to a mock
 * upstream that speaks Bedrock (SigV4 checked, recorded replies as JSON and binary event-stream
 * frames): reasoning with its signature, text and tool calls as recorded; a wrong secret.
 * Then Bedrock found in the environment, and a Bedrock provider without a region.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { RunningGateway } from 'ai.matey.http';
import { serveGateway } from 'ai.matey.http';
import type { MockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGatewayFromConfig } from './create-gateway-from-config.ts';
import {
  ask,
  type Closables,
  credentials,
  haiku,
  gatewayKey as key,
  recorded,
  recordedDeltas,
  sonnet,
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

const anthropic = () => new Anthropic({ baseURL: server.url, apiKey: key, maxRetries: 0 });
describe('Anthropic client → gateway → Bedrock (recorded replies)', () => {
  it('reasoning: the thinking block with its signature, then the text, as recorded', async () => {
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-reasoning' });
    const message = await anthropic().messages.create({
      model: `us.${sonnet}`,
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
      model: sonnet,
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

  it('streamed tool arguments: input_json_delta in the recorded pieces, the input and tool_use as recorded', async () => {
    upstream.enqueue({ fixture: 'bedrock-converse/amazon-bedrock-tool-call.1' });
    const stream = anthropic().messages.stream({
      model: haiku,
      max_tokens: 500,
      tools: [{ name: 'test-tool', input_schema: { type: 'object' } }],
      messages: [{ role: 'user', content: 'make it sparkle' }],
    });
    const pieces: string[] = [];
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta')
        pieces.push(event.delta.partial_json);
    });
    const message = await stream.finalMessage();
    expect(pieces).toEqual(['{"value":', '"Sparkle Day"}']);
    expect(message.content).toEqual([
      { type: 'tool_use', id: 'tool-use-id', name: 'test-tool', input: { value: 'Sparkle Day' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 125, output_tokens: 45 });
  });

  it("a wrong secret: the client gets an auth error in Anthropic's format", async () => {
    const wrong = await startBedrockGateway(upstream, 'another-wrong-secret', open);
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
