/**
 * `@google/genai` pointed at the gateway, each call served by an upstream of each protocol
 * (OpenAI Chat, Anthropic Messages, Gemini, OpenAI Responses) replaying a recorded reply
 * (/work/shared/fixtures, recorded by the Vercel AI SDK, Apache 2.0). What the client reads
 * (text, thoughts, function calls, finish reason, usage) must be what the recording says, and for
 * the Gemini upstream, what the same client reads from the upstream directly.
 */
import { type GenerateContentResponse, GoogleGenAI } from '@google/genai';
import type { ChatResponse } from 'ai.matey.core';
import { readFixture } from 'ai.matey.testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FLEET_UPSTREAM_KEY,
  type ProtocolFleet,
  recordedReply,
  startProtocolFleet,
  toolExchange,
  type UpstreamProtocol,
} from './responses-test-fleet.ts';

let fleet: ProtocolFleet;
let client: GoogleGenAI;
beforeAll(async () => {
  fleet = await startProtocolFleet();
  // The SDK's own default API version (v1), as a user who sets only the base URL gets it.
  client = new GoogleGenAI({ apiKey: 'unused', httpOptions: { baseUrl: fleet.url } });
});
afterAll(() => fleet.close());

const RECORDED = [
  {
    protocol: 'openai-chat',
    model: 'openai/gpt-4o-mini',
    fixtures: ['openai-text', 'groq-tool-call', 'mistral-tool-call', 'deepseek-reasoning'],
  },
  {
    protocol: 'anthropic-messages',
    model: 'anthropic/claude-sonnet-4-5',
    fixtures: [
      'anthropic-text',
      'anthropic-tool-no-args',
      'anthropic-json-tool.1',
      'anthropic-clear-thinking.1',
    ],
  },
  {
    protocol: 'gemini',
    model: 'gemini/gemini-2.5-flash',
    fixtures: ['google-text', 'google-tool-call', 'google-reasoning', 'google-stream-tool-call-arguments'],
  },
  {
    protocol: 'openai-responses',
    model: 'responses/gpt-5-codex',
    fixtures: [
      'azure-text.1',
      'azure-tool-call.1',
      'openai-reasoning-encrypted-content.1',
      'parallel-tool-call-wrapper.1',
    ],
  },
] as const satisfies ReadonlyArray<{
  protocol: UpstreamProtocol;
  model: string;
  fixtures: readonly string[];
}>;

// Its first stream line is cut short in the recording (not JSON): only its JSON reply is replayed.
const CUT_SHORT_STREAMS = new Set<string>(['parallel-tool-call-wrapper.1']);

const CASES = RECORDED.flatMap(({ fixtures, ...lane }) =>
  fixtures.flatMap((fixture) => {
    const recorded = readFixture(lane.protocol, fixture);
    return [
      ...(recorded.json === undefined ? [] : [{ ...lane, fixture, stream: false }]),
      ...(recorded.chunks === undefined || CUT_SHORT_STREAMS.has(fixture)
        ? []
        : [{ ...lane, fixture, stream: true }]),
    ];
  }),
);

const config = {
  systemInstruction: 'Answer briefly.',
  tools: [
    {
      functionDeclarations: [
        {
          name: 'weather',
          description: 'Weather for a city',
          parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } },
        },
      ],
    },
  ],
};

/** What a Gemini client sees of a reply. */
interface ClientView {
  text: string;
  thoughts: string;
  functionCalls: Array<{ name: string | undefined; args: unknown }>;
  finishReason: string | undefined;
  usage: Record<string, number | undefined>;
}

/** The recording as a Gemini client must read it. */
function expectedView(response: ChatResponse): ClientView {
  const texts = (type: 'text' | 'reasoning') =>
    response.content.map((part) => (part.type === type ? part.text : '')).join('');
  const reasoning = response.usage.reasoningTokens;
  const finish: Record<string, string> = {
    stop: 'STOP',
    'tool-calls': 'STOP',
    length: 'MAX_TOKENS',
    'content-filter': 'SAFETY',
  };
  return {
    text: texts('text'),
    thoughts: texts('reasoning'),
    functionCalls: response.content.flatMap((part) =>
      part.type === 'tool-call' ? [{ name: part.toolName, args: JSON.parse(part.arguments || '{}') }] : [],
    ),
    finishReason: finish[response.finishReason] ?? 'OTHER',
    usage: {
      promptTokenCount: response.usage.inputTokens,
      candidatesTokenCount: response.usage.outputTokens - (reasoning ?? 0),
      thoughtsTokenCount: reasoning,
      totalTokenCount: response.usage.totalTokens,
    },
  };
}

/** What the client read, over one response or every chunk of a stream. */
function clientView(chunks: GenerateContentResponse[]): ClientView {
  const view: ClientView = { text: '', thoughts: '', functionCalls: [], finishReason: undefined, usage: {} };
  for (const chunk of chunks) {
    for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
      if (part.text !== undefined) {
        if (part.thought) view.thoughts += part.text;
        else view.text += part.text;
      }
      if (part.functionCall)
        view.functionCalls.push({ name: part.functionCall.name, args: part.functionCall.args });
    }
    view.finishReason = chunk.candidates?.[0]?.finishReason ?? view.finishReason;
    const usage = chunk.usageMetadata;
    if (usage?.promptTokenCount !== undefined)
      view.usage = {
        promptTokenCount: usage.promptTokenCount,
        candidatesTokenCount: usage.candidatesTokenCount,
        thoughtsTokenCount: usage.thoughtsTokenCount,
        totalTokenCount: usage.totalTokenCount,
      };
  }
  return view;
}

async function call(genai: GoogleGenAI, model: string, stream: boolean): Promise<GenerateContentResponse[]> {
  const params = { model, contents: 'Weather in Berlin?', config };
  if (!stream) return [await genai.models.generateContent(params)];
  const chunks: GenerateContentResponse[] = [];
  for await (const chunk of await genai.models.generateContentStream(params)) chunks.push(chunk);
  return chunks;
}

describe.each(CASES)('@google/genai, $protocol upstream replaying $fixture (stream: $stream)', (lane) => {
  it('reads what the recording says: text, thoughts, function calls, finish reason, usage', async () => {
    const upstream = fleet.upstreams[lane.protocol];
    upstream.reset();
    upstream.setReply({ fixture: lane.fixture });
    const chunks = await call(client, lane.model, lane.stream);
    const expected = expectedView(await recordedReply(lane.protocol, lane.fixture, lane.stream));
    // The recording says something: an empty view on both sides would prove nothing.
    expect(expected.text.length + expected.thoughts.length + expected.functionCalls.length).toBeGreaterThan(
      0,
    );
    expect(clientView(chunks)).toEqual(expected);
    const sent = upstream.requests.at(-1);
    expect(sent?.stream).toBe(lane.stream);
    expect(sent?.request?.tools?.[0]?.name).toBe('weather');
    expect(sent?.request?.messages[0]).toMatchObject({ role: 'system', content: 'Answer briefly.' });
    expect(JSON.stringify(chunks)).not.toContain(FLEET_UPSTREAM_KEY);
  });
});

// Partial arguments (`partialArgs`) reach a direct client in pieces; the gateway assembles them.
const DIRECT_CASES = CASES.filter(
  (lane) => lane.protocol === 'gemini' && lane.fixture !== 'google-stream-tool-call-arguments',
);

describe.each(DIRECT_CASES)('@google/genai, gemini upstream replaying $fixture (stream: $stream)', (lane) => {
  it('reads the same as the client pointed straight at the Gemini upstream', async () => {
    const upstream = fleet.upstreams.gemini;
    upstream.setReply({ fixture: lane.fixture });
    const direct = new GoogleGenAI({ apiKey: FLEET_UPSTREAM_KEY, httpOptions: { baseUrl: upstream.url } });
    const straight = await call(direct, 'gemini-2.5-flash', lane.stream);
    const through = await call(client, lane.model, lane.stream);
    expect(clientView(through)).toEqual(clientView(straight));
  });
});

describe.each(RECORDED)('@google/genai second turn with a function answer, $protocol upstream', (lane) => {
  it('sends the call and its answer as a pair the upstream can match', async () => {
    const upstream = fleet.upstreams[lane.protocol];
    upstream.reset();
    upstream.setReply({ text: 'It is 20 degrees in Berlin.' });
    const reply = await client.models.generateContent({
      model: lane.model,
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Berlin?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'weather', args: { city: 'Berlin' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { celsius: 20 } } }] },
      ],
      config,
    });
    expect(reply.text).toBe('It is 20 degrees in Berlin.');
    const messages = upstream.requests.at(-1)?.request?.messages ?? [];
    expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    const { call, result: answer } = toolExchange(messages);
    expect(call).toMatchObject({ toolName: 'weather', arguments: '{"city":"Berlin"}' });
    expect(answer).toMatchObject({ toolName: 'weather' });
    if (!call || !answer) throw new Error('a call and its answer');
    expect(answer.toolCallId).toBe(call.toolCallId);
    expect(JSON.stringify(answer.content)).toContain('20');
  });
});
