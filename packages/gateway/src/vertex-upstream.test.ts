/**
 * The official `openai` and `@anthropic-ai/sdk` clients, through a gateway built from a config
 * with `type: vertex`, to Vertex AI upstreams (Gemini and Anthropic publishers) replaying
 * recorded replies (packages/fixtures/recorded/gemini and anthropic-messages: Vertex serves the
 * same bodies). The gateway signs in with a service-account key generated here, whose
 * `token_uri` is a token endpoint on an ephemeral port.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { vertexAnthropic } from 'ai.matey.backend.vertex';
import { type ChatResponse, ChatStream, responseText } from 'ai.matey.core';
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import {
  fixtureToSse,
  generateServiceAccountKey,
  type MockUpstream,
  type OAuthTokenServer,
  readFixture,
  startMockUpstream,
  startOAuthTokenServer,
} from 'ai.matey.testing';
import { anthropicMessages, gemini, registerWireProtocol, SseParser, type WireCodec } from 'ai.matey.wire';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltGateway } from './build-gateway.ts';
import { createGatewayFromConfig } from './create-gateway-from-config.ts';

const TOKEN = 'ya29.gateway-vertex-token-5e0b';
const GEMINI = 'vertex/gemini-2.5-flash';
const CLAUDE = 'vertex/claude-sonnet-4-5@20250929';

const open: Array<{ close(): Promise<void> }> = [];
let upstream: MockUpstream;
let openai: OpenAI;
let anthropic: Anthropic;

/** A key file (and its token endpoint, handing out `accessToken`) for a gateway's config. */
async function serviceAccount(accessToken: string): Promise<string> {
  let key: ReturnType<typeof generateServiceAccountKey> | undefined;
  const tokens: OAuthTokenServer = await startOAuthTokenServer({ accessToken, key: () => key });
  open.push(tokens);
  key = generateServiceAccountKey(tokens.tokenUri, 'matey-gateway-test');
  const file = join(tmpdir(), `matey-gateway-vertex-${process.pid}-${accessToken.slice(-4)}.json`);
  writeFileSync(file, JSON.stringify(key));
  return file;
}

async function gatewayWith(keyFile: string): Promise<string> {
  const built: BuiltGateway = await createGatewayFromConfig(
    {
      providers: { vertex: { type: 'vertex', baseURL: upstream.url, keyFile, location: 'global' } },
      middleware: { logging: false, retry: false },
    },
    { env: {} },
  );
  open.push(built);
  const server: RunningGateway = await serveGateway(built.gateway, { port: 0 });
  open.push(server);
  return server.url;
}

beforeAll(async () => {
  // The mock upstream serves the protocols registered when it starts: Vertex's rawPredict too.
  registerWireProtocol(vertexAnthropic);
  upstream = await startMockUpstream({ apiKeys: [TOKEN] });
  open.push(upstream);
  const url = await gatewayWith(await serviceAccount(TOKEN));
  openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(async () => {
  for (const item of open.reverse()) await item.close();
});

/** The recording as its codec reads it: what every client must show. */
function recorded(codec: WireCodec, folder: string, name: string, stream: boolean): Promise<ChatResponse> {
  const fixture = readFixture(folder, name);
  const context = { provider: 'vertex' };
  if (!stream) return Promise.resolve(codec.decodeResponse(fixture.json, context));
  const decoder = codec.createStreamDecoder(context);
  const parser = new SseParser();
  const sse = [...parser.push(fixtureToSse(folder, fixture.chunks ?? [])), ...parser.end()];
  return ChatStream.from([...sse.flatMap((event) => decoder.push(event)), ...decoder.end()]).collect();
}

describe('Vertex AI upstreams through the gateway', () => {
  it('OpenAI client to Gemini on Vertex, JSON: the text and usage of the recording', async () => {
    upstream.enqueue({ fixture: 'gemini/google-text' });
    const want = await recorded(gemini, 'gemini', 'google-text', false);
    const completion = await openai.chat.completions.create({
      model: GEMINI,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0]?.message.content).toBe(responseText(want));
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({
      prompt_tokens: want.usage.inputTokens,
      completion_tokens: want.usage.outputTokens,
    });
    expect(upstream.requests.at(-1)?.path).toBe(
      '/v1/projects/matey-gateway-test/locations/global/publishers/google/models/gemini-2.5-flash:generateContent',
    );
  });

  it('OpenAI client to Gemini on Vertex, SSE: the tool call with its streamed arguments', async () => {
    upstream.enqueue({ fixture: 'gemini/google-stream-tool-call-arguments' });
    const want = await recorded(gemini, 'gemini', 'google-stream-tool-call-arguments', true);
    const stream = await openai.chat.completions.create({
      model: GEMINI,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    });
    const calls = new Map<number, { name: string; args: string }>();
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      finish = chunk.choices[0]?.finish_reason ?? finish;
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        const entry = calls.get(call.index) ?? { name: '', args: '' };
        entry.name += call.function?.name ?? '';
        entry.args += call.function?.arguments ?? '';
        calls.set(call.index, entry);
      }
    }
    const wanted = want.content.flatMap((part) =>
      part.type === 'tool-call' ? [{ name: part.toolName, args: JSON.parse(part.arguments) as unknown }] : [],
    );
    expect(wanted.length).toBeGreaterThan(0);
    expect([...calls.values()].map((call) => ({ name: call.name, args: JSON.parse(call.args) }))).toEqual(
      wanted,
    );
    expect(finish).toBe('tool_calls');
    expect(upstream.requests.at(-1)?.path).toMatch(/gemini-2\.5-flash:streamGenerateContent\?alt=sse$/);
  });

  it('Anthropic client to Gemini on Vertex: the thought count in usage, the answer as text', async () => {
    upstream.enqueue({ fixture: 'gemini/google-reasoning' });
    const want = await recorded(gemini, 'gemini', 'google-reasoning', false);
    const message = await anthropic.messages.create({
      model: GEMINI,
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'How many r in strawberry?' }],
    });
    const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(text).toBe(responseText(want));
    expect(message.usage.output_tokens).toBe(want.usage.outputTokens);
    expect(message.stop_reason).toBe('end_turn');
  });

  it('Anthropic client to Claude on Vertex, SSE: thinking, text and usage as recorded, via streamRawPredict', async () => {
    upstream.enqueue({ fixture: 'anthropic-messages/anthropic-clear-thinking.1' });
    const want = await recorded(anthropicMessages, 'anthropic-messages', 'anthropic-clear-thinking.1', true);
    const message = await anthropic.messages
      .stream({
        model: CLAUDE,
        max_tokens: 2048,
        messages: [{ role: 'user', content: 'Think, then answer.' }],
      })
      .finalMessage();
    const thinking = message.content.find((block) => block.type === 'thinking');
    const reasoning = want.content.find((part) => part.type === 'reasoning');
    expect(thinking?.type === 'thinking' && thinking.thinking).toBe(
      reasoning?.type === 'reasoning' && reasoning.text,
    );
    expect(message.content.map((block) => (block.type === 'text' ? block.text : '')).join('')).toBe(
      responseText(want),
    );
    expect(message.usage.output_tokens).toBe(want.usage.outputTokens);
    const call = upstream.requests.at(-1);
    expect(call?.path).toBe(
      '/v1/projects/matey-gateway-test/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict',
    );
    expect(call?.body).toMatchObject({ anthropic_version: 'vertex-2023-10-16', stream: true });
    expect(call?.body).not.toHaveProperty('model');
  });

  it('OpenAI client to Claude on Vertex, JSON: the text and stop reason as recorded', async () => {
    upstream.enqueue({ fixture: 'anthropic-messages/anthropic-text' });
    const want = await recorded(anthropicMessages, 'anthropic-messages', 'anthropic-text', false);
    const completion = await openai.chat.completions.create({
      model: CLAUDE,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0]?.message.content).toBe(responseText(want));
    expect(completion.usage?.completion_tokens).toBe(want.usage.outputTokens);
    expect(upstream.requests.at(-1)?.path).toMatch(/claude-sonnet-4-5@20250929:rawPredict$/);
  });

  it('OpenAI client to Claude on Vertex, SSE: the thinking as reasoning_content, then the text and usage', async () => {
    upstream.enqueue({ fixture: 'anthropic-messages/anthropic-clear-thinking.1' });
    const want = await recorded(anthropicMessages, 'anthropic-messages', 'anthropic-clear-thinking.1', true);
    const stream = await openai.chat.completions.create({
      model: CLAUDE,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Think, then answer.' }],
    });
    let reasoning = '';
    let text = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      reasoning +=
        (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    const thinking = want.content.find((part) => part.type === 'reasoning');
    expect(reasoning).toBe(thinking?.type === 'reasoning' ? thinking.text : undefined);
    expect(text).toBe(responseText(want));
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBe(want.usage.outputTokens);
  });

  it('Anthropic client to Gemini on Vertex, SSE: the tool call, its arguments streamed as input_json_delta', async () => {
    const name = 'google-stream-tool-call-arguments';
    upstream.enqueue({ fixture: `gemini/${name}` });
    const want = await recorded(gemini, 'gemini', name, true);
    const stream = anthropic.messages.stream({
      model: GEMINI,
      max_tokens: 1024,
      tools: [{ name: 'getWeather', input_schema: { type: 'object' } }],
      messages: [{ role: 'user', content: 'Weather in Boston?' }],
    });
    const pieces: string[] = [];
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta')
        pieces.push(event.delta.partial_json);
    });
    const message = await stream.finalMessage();
    const calls = want.content.flatMap((part) =>
      part.type === 'tool-call'
        ? [{ name: part.toolName, input: JSON.parse(part.arguments) as unknown }]
        : [],
    );
    expect(calls.length).toBeGreaterThan(0);
    expect(
      message.content.flatMap((block) =>
        block.type === 'tool_use' ? [{ name: block.name, input: block.input }] : [],
      ),
    ).toEqual(calls);
    // Gemini's partialArgs arrive as several pieces, not one at the end.
    expect(pieces.length).toBeGreaterThan(1);
    expect(message.stop_reason).toBe('tool_use');
  });

  it('a token Vertex refuses is an authentication error to the caller, never a reply', async () => {
    const url = await gatewayWith(await serviceAccount('ya29.revoked-token-0000'));
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
    for (const model of [GEMINI, CLAUDE]) {
      const failure = await client.chat.completions
        .create({ model, messages: [{ role: 'user', content: 'hi' }] })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(OpenAI.APIError);
      expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
    }
    expect(upstream.requests.at(-1)?.status).toBe(401);
  });
});
