/**
 * The cross-protocol matrix (packages/fixtures/recorded): every recorded reply, decoded to the spec and
 * re-encoded in each protocol, is parsed by that protocol's official client (`openai`,
 * `@anthropic-ai/sdk`, `@google/genai`, `cohere-ai`) from a real HTTP server, JSON and SSE,
 * with the same text, tool calls and usage.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { type ChatResponse, ChatStream, responseText, responseToEvents } from 'ai.matey.core';
import { fixtureToSse, listFixtures, readFixture } from 'ai.matey.fixtures';
import { CohereClientV2 } from 'cohere-ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltInWireProtocol, WireCodec } from './codec.ts';
import { anthropicMessages, cohere, gemini, openaiChat, openaiResponses } from './index.ts';
import { decodeStreamText, encodeStreamText } from './test-support/stream-text.ts';
import { startTestServer, type TestServer } from './test-support/test-server.ts';

const codecs: Record<BuiltInWireProtocol, WireCodec> = {
  'openai-chat': openaiChat,
  'anthropic-messages': anthropicMessages,
  gemini,
  cohere,
  'openai-responses': openaiResponses,
};
const providerOf: Record<BuiltInWireProtocol, string> = {
  'openai-chat': 'openai',
  'anthropic-messages': 'anthropic',
  gemini: 'google',
  cohere: 'cohere',
  'openai-responses': 'openai',
};
/** The recordings folder of each protocol (Cohere's is named after its chat endpoint). */
const folderOf = (protocol: BuiltInWireProtocol): string =>
  protocol === 'cohere' ? 'cohere-chat' : protocol;

/** What a client shows of a reply: the fields every protocol can carry. */
interface ClientView {
  text: string;
  toolCalls: Array<{ name: string; args: unknown }>;
  inputTokens: number;
  outputTokens: number;
}

let server: TestServer;
let baseUrl = '';
let next: { body: string; stream: boolean } = { body: '{}', stream: false };

beforeAll(async () => {
  server = await startTestServer((_request, _body, response) => {
    response.writeHead(200, { 'content-type': next.stream ? 'text/event-stream' : 'application/json' });
    response.end(next.body);
  });
  baseUrl = server.baseUrl;
});
afterAll(() => server.close());

async function decodeFixture(protocol: BuiltInWireProtocol, name: string): Promise<ChatResponse[]> {
  const codec = codecs[protocol];
  const context = { provider: providerOf[protocol] };
  const fixture = readFixture(folderOf(protocol), name);
  const replies: ChatResponse[] = [];
  const isError = (body: unknown) =>
    typeof body === 'object' &&
    body !== null &&
    ('error' in body || (body as { type?: string }).type === 'error');
  if (fixture.json !== undefined && !isError(fixture.json))
    replies.push(codec.decodeResponse(fixture.json, context));
  if (fixture.chunks) {
    const events = decodeStreamText(codec, fixtureToSse(folderOf(protocol), fixture.chunks), context);
    replies.push(await ChatStream.from(events).collect());
  }
  return replies;
}

function expected(response: ChatResponse): ClientView {
  return {
    text: responseText(response),
    toolCalls: response.content.flatMap((part) =>
      part.type === 'tool-call'
        ? [{ name: part.toolName, args: JSON.parse(part.arguments || '{}') as unknown }]
        : [],
    ),
    inputTokens: response.usage.inputTokens,
    outputTokens: response.usage.outputTokens,
  };
}

/** What the server answers the next call with: the response in a codec's protocol, JSON or SSE. */
function serveNext(codec: WireCodec, response: ChatResponse, stream: boolean): void {
  next = stream
    ? { body: encodeStreamText(codec, responseToEvents(response), { includeUsage: true }), stream: true }
    : { body: JSON.stringify(codec.encodeResponse(response)), stream: false };
}

async function viaOpenAI(response: ChatResponse, stream: boolean): Promise<ClientView> {
  const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'test', maxRetries: 0 });
  if (!stream) {
    serveNext(openaiChat, response, false);
    const completion = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
    });
    const message = completion.choices[0]?.message;
    return {
      text: message?.content ?? '',
      toolCalls: (message?.tool_calls ?? []).flatMap((call) =>
        call.type === 'function'
          ? [{ name: call.function.name, args: JSON.parse(call.function.arguments || '{}') as unknown }]
          : [],
      ),
      inputTokens: completion.usage?.prompt_tokens ?? -1,
      outputTokens: completion.usage?.completion_tokens ?? -1,
    };
  }
  serveNext(openaiChat, response, true);
  const chunks = await client.chat.completions.create({
    model: 'm',
    messages: [{ role: 'user', content: 'x' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const view: ClientView = { text: '', toolCalls: [], inputTokens: -1, outputTokens: -1 };
  const args = new Map<number, { name: string; args: string }>();
  for await (const chunk of chunks) {
    const delta = chunk.choices[0]?.delta;
    view.text += delta?.content ?? '';
    for (const call of delta?.tool_calls ?? []) {
      const entry = args.get(call.index) ?? { name: '', args: '' };
      entry.name += call.function?.name ?? '';
      entry.args += call.function?.arguments ?? '';
      args.set(call.index, entry);
    }
    if (chunk.usage) {
      view.inputTokens = chunk.usage.prompt_tokens;
      view.outputTokens = chunk.usage.completion_tokens;
    }
  }
  view.toolCalls = [...args.values()].map((call) => ({
    name: call.name,
    args: JSON.parse(call.args || '{}') as unknown,
  }));
  return view;
}

async function viaAnthropic(response: ChatResponse, stream: boolean): Promise<ClientView> {
  const client = new Anthropic({ baseURL: baseUrl, apiKey: 'test', maxRetries: 0 });
  const params = { model: 'm', max_tokens: 100, messages: [{ role: 'user' as const, content: 'x' }] };
  let message: Anthropic.Message;
  if (!stream) {
    serveNext(anthropicMessages, response, false);
    message = await client.messages.create(params);
  } else {
    serveNext(anthropicMessages, response, true);
    message = await client.messages.stream(params).finalMessage();
  }
  const usage = message.usage;
  return {
    text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
    toolCalls: message.content.flatMap((block) =>
      block.type === 'tool_use' ? [{ name: block.name, args: block.input }] : [],
    ),
    inputTokens:
      usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0),
    outputTokens: usage.output_tokens,
  };
}

async function viaGemini(response: ChatResponse, stream: boolean): Promise<ClientView> {
  const client = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl } });
  const request = { model: 'gemini-2.5-flash', contents: 'x' };
  type Reply = Awaited<ReturnType<typeof client.models.generateContent>>;
  const replies: Reply[] = [];
  if (!stream) {
    serveNext(gemini, response, false);
    replies.push(await client.models.generateContent(request));
  } else {
    serveNext(gemini, response, true);
    for await (const chunk of await client.models.generateContentStream(request)) replies.push(chunk);
  }
  const view: ClientView = { text: '', toolCalls: [], inputTokens: -1, outputTokens: -1 };
  for (const reply of replies) {
    for (const part of reply.candidates?.[0]?.content?.parts ?? []) {
      if (part.text !== undefined && !part.thought) view.text += part.text;
      if (part.functionCall)
        view.toolCalls.push({ name: part.functionCall.name ?? '', args: part.functionCall.args ?? {} });
    }
    const usage = reply.usageMetadata;
    if (usage) {
      view.inputTokens = (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0);
      view.outputTokens = (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0);
    }
  }
  return view;
}

async function viaCohere(response: ChatResponse, stream: boolean): Promise<ClientView> {
  const client = new CohereClientV2({ token: 'test', environment: baseUrl });
  const request = { model: 'm', messages: [{ role: 'user' as const, content: 'x' }] };
  const view: ClientView = { text: '', toolCalls: [], inputTokens: -1, outputTokens: -1 };
  if (!stream) {
    serveNext(cohere, response, false);
    const reply = await client.chat(request);
    for (const item of reply.message.content ?? []) if (item.type === 'text') view.text += item.text;
    view.text += reply.message.toolPlan ?? '';
    for (const call of reply.message.toolCalls ?? [])
      view.toolCalls.push({
        name: call.function?.name ?? '',
        args: JSON.parse(call.function?.arguments || '{}'),
      });
    view.inputTokens = reply.usage?.tokens?.inputTokens ?? -1;
    view.outputTokens = reply.usage?.tokens?.outputTokens ?? -1;
    return view;
  }
  serveNext(cohere, response, true);
  const calls: Array<{ name: string; args: string }> = [];
  for await (const event of await client.chatStream(request)) {
    if (event.type === 'content-delta') view.text += event.delta?.message?.content?.text ?? '';
    if (event.type === 'tool-plan-delta') view.text += event.delta?.message?.toolPlan ?? '';
    if (event.type === 'tool-call-start')
      calls.push({ name: event.delta?.message?.toolCalls?.function?.name ?? '', args: '' });
    if (event.type === 'tool-call-delta') {
      const last = calls.at(-1);
      if (last) last.args += event.delta?.message?.toolCalls?.function?.arguments ?? '';
    }
    if (event.type === 'message-end') {
      view.inputTokens = event.delta?.usage?.tokens?.inputTokens ?? -1;
      view.outputTokens = event.delta?.usage?.tokens?.outputTokens ?? -1;
    }
  }
  view.toolCalls = calls.map((call) => ({ name: call.name, args: JSON.parse(call.args || '{}') as unknown }));
  return view;
}

async function viaResponses(response: ChatResponse, stream: boolean): Promise<ClientView> {
  const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'test', maxRetries: 0 });
  serveNext(openaiResponses, response, stream);
  const reply = stream
    ? await client.responses.stream({ model: 'm', input: 'x' }).finalResponse()
    : await client.responses.create({ model: 'm', input: 'x' });
  return {
    text: reply.output_text,
    toolCalls: reply.output.flatMap((item) =>
      item.type === 'function_call'
        ? [{ name: item.name, args: JSON.parse(item.arguments || '{}') as unknown }]
        : [],
    ),
    inputTokens: reply.usage?.input_tokens ?? -1,
    outputTokens: reply.usage?.output_tokens ?? -1,
  };
}

const clients: Record<BuiltInWireProtocol, (response: ChatResponse, stream: boolean) => Promise<ClientView>> =
  {
    'openai-chat': viaOpenAI,
    'anthropic-messages': viaAnthropic,
    gemini: viaGemini,
    cohere: viaCohere,
    'openai-responses': viaResponses,
  };

const recorded = (
  ['openai-chat', 'anthropic-messages', 'gemini', 'cohere', 'openai-responses'] as const
).flatMap((protocol) =>
  listFixtures(folderOf(protocol))
    // Error replies (a body, or an `error` event mid-stream) have no content to carry across;
    // `parallel-tool-call-wrapper`'s first stream line is cut short (not JSON), so not a reply.
    .filter(
      (name) =>
        protocol !== 'openai-responses' || !(name.includes('error') || name.startsWith('parallel-tool-call')),
    )
    .map((name) => ({ protocol, name })),
);

describe('cross-protocol matrix', () => {
  it('covers every recorded fixture', () => {
    // 31 recorded replies (a .json and/or .chunks.txt each) across the first four protocols,
    // and 8 OpenAI Responses ones (its two error recordings and a damaged one left out).
    expect(recorded.length).toBe(39);
  });

  for (const { protocol, name } of recorded) {
    it(`${protocol}/${name} → every protocol's official client, JSON and SSE`, async () => {
      const replies = await decodeFixture(protocol, name);
      for (const response of replies) {
        const want = expected(response);
        for (const target of Object.keys(clients) as BuiltInWireProtocol[]) {
          for (const stream of [false, true]) {
            const seen = await clients[target](response, stream);
            const where = `${target} ${stream ? 'SSE' : 'JSON'}`;
            expect(seen.text, `${where} text`).toBe(want.text);
            expect(seen.toolCalls, `${where} tool calls`).toEqual(want.toolCalls);
            expect(seen.inputTokens, `${where} input tokens`).toBe(want.inputTokens);
            expect(seen.outputTokens, `${where} output tokens`).toBe(want.outputTokens);
          }
        }
      }
    });
  }
});
