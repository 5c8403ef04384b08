/**
 * The Vercel AI SDK as a judge: `createOpenAI({ baseURL })` (its default model, the Responses
 * API), `createGoogleGenerativeAI({ baseURL })` and `createAnthropic({ baseURL })` pointed at the
 * gateway, `generateText` and
 * `streamText` with a tool, each call served by an upstream of each protocol replaying a
 * recorded reply: the text, tool calls, finish reason and usage the SDK reads must equal the
 * recording.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import {
  generateText,
  jsonSchema,
  type LanguageModel,
  type LanguageModelUsage,
  stepCountIs,
  streamText,
  tool,
} from 'ai';
import { type ChatResponse, responseText } from 'ai.matey.core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FLEET_UPSTREAM_KEY,
  type ProtocolFleet,
  recordedReply,
  startProtocolFleet,
  toolExchange,
  UPSTREAM_LANES,
  type UpstreamProtocol,
} from './responses-test-fleet.ts';

let fleet: ProtocolFleet;
beforeAll(async () => {
  fleet = await startProtocolFleet();
});
afterAll(() => fleet.close());
beforeEach(() => {
  for (const upstream of Object.values(fleet.upstreams)) upstream.reset();
});

type ModelAt = (baseURL: string, model: string) => LanguageModel;

const openaiAt: ModelAt = (baseURL, model) => createOpenAI({ apiKey: FLEET_UPSTREAM_KEY, baseURL })(model);
// The SDK reads a model id with a slash as a resource path (`tunedModels/x`): a gateway model
// named with its provider (`openai/gpt-4o-mini`) is given as `models/openai/gpt-4o-mini`.
const googleAt: ModelAt = (baseURL, model) =>
  createGoogleGenerativeAI({ apiKey: FLEET_UPSTREAM_KEY, baseURL })(`models/${model}`);
const anthropicAt: ModelAt = (baseURL, model) =>
  createAnthropic({ apiKey: FLEET_UPSTREAM_KEY, baseURL })(model);

/** Each SDK provider, where it is pointed at the gateway, and the upstream protocol it speaks itself. */
const CLIENTS = {
  'openai (responses)': { at: openaiAt, path: '/v1', own: 'openai-responses' },
  google: { at: googleAt, path: '/v1beta', own: 'gemini' },
  anthropic: { at: anthropicAt, path: '/v1', own: 'anthropic-messages' },
} as const satisfies Record<string, { at: ModelAt; path: string; own: UpstreamProtocol }>;

// No `execute`: the SDK stops at the tool call and reports it, as the recording ends there.
const tools = {
  weather: tool({
    description: 'Weather for a place',
    inputSchema: jsonSchema<Record<string, unknown>>({
      type: 'object',
      properties: { location: { type: 'string' } },
    }),
  }),
};

/** The spec's finish reasons, as the AI SDK names them. */
const FINISH: Record<string, string> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool-calls',
  'content-filter': 'content-filter',
};

/** What a caller reads of a reply, in fields every protocol carries. */
function expectedView(response: ChatResponse) {
  return {
    text: responseText(response),
    reasoning: response.content.map((part) => (part.type === 'reasoning' ? part.text : '')).join(''),
    toolCalls: response.content.flatMap((part) =>
      part.type === 'tool-call'
        ? [{ toolName: part.toolName, input: JSON.parse(part.arguments || '{}') as unknown }]
        : [],
    ),
    finishReason: FINISH[response.finishReason] ?? 'other',
    inputTokens: response.usage.inputTokens,
    outputTokens: response.usage.outputTokens,
  };
}

type Kind = 'text' | 'tool' | 'reasoning';
const KINDS = ['text', 'tool', 'reasoning'] as const;

/** One call as a user makes it, and what the SDK reads of it (stream: what `textStream` gave too). */
async function read(model: LanguageModel, kind: Kind, stream: boolean) {
  const call = {
    model,
    prompt: 'What is the weather in San Francisco?',
    ...(kind === 'tool' ? { tools } : {}),
    maxRetries: 0,
  };
  if (!stream) {
    const result = await generateText(call);
    // The result's fields are getters: named one by one, not spread.
    const { text, reasoningText: reasoning, toolCalls, finishReason, usage } = result;
    const seen = seenView({ text, reasoning, toolCalls, finishReason, usage });
    return { ...seen, streamed: text, usage: usageDetails(usage) };
  }
  const errors: unknown[] = [];
  const result = streamText({ ...call, onError: ({ error }) => void errors.push(error) });
  let streamed = '';
  for await (const delta of result.textStream) streamed += delta;
  const usage = await result.usage;
  const seen = seenView({
    text: await result.text,
    reasoning: await result.reasoningText,
    toolCalls: await result.toolCalls,
    finishReason: await result.finishReason,
    usage,
  });
  expect(errors).toEqual([]);
  return { ...seen, streamed, usage: usageDetails(usage) };
}

/** The usage details the SDK reads besides the totals (cache reads, reasoning), not what the provider sent raw. */
function usageDetails(usage: LanguageModelUsage) {
  const { raw: _raw, ...details } = usage;
  return details;
}

interface SdkResult {
  text: string;
  reasoning: string | undefined;
  toolCalls: ReadonlyArray<{ toolName: string; input: unknown }>;
  finishReason: string;
  usage: { inputTokens: number | undefined; outputTokens: number | undefined };
}

function seenView(result: SdkResult) {
  return {
    text: result.text,
    reasoning: result.reasoning ?? '',
    toolCalls: result.toolCalls.map((call) => ({ toolName: call.toolName, input: call.input })),
    finishReason: result.finishReason,
    inputTokens: result.usage.inputTokens,
    outputTokens: result.usage.outputTokens,
  };
}

const CALLS = KINDS.flatMap((kind) => [
  { kind, stream: false },
  { kind, stream: true },
]);

describe.each(Object.entries(CLIENTS))('AI SDK %s client', (_client, sdk) => {
  const throughGateway = (model: string) => sdk.at(`${fleet.url}${sdk.path}`, model);

  describe.each(UPSTREAM_LANES)('$protocol upstream', (lane) => {
    const upstream = () => fleet.upstreams[lane.protocol];

    it.each(CALLS)('reads the $kind recording as it was (stream: $stream)', async ({ kind, stream }) => {
      const name = lane[kind];
      upstream().enqueue({ fixture: name });
      const { streamed, usage: _details, ...seen } = await read(throughGateway(lane.model), kind, stream);
      expect(seen).toEqual(expectedView(await recordedReply(lane.protocol, name, stream)));
      expect(streamed).toBe(seen.text);
      expect(upstream().requests).toHaveLength(1);
    });
  });

  // The same SDK provider pointed straight at a mock upstream of its own protocol: the judge.
  const own = UPSTREAM_LANES.find((lane) => lane.protocol === sdk.own);
  if (!own) throw new Error(`no lane for ${sdk.own}`);
  it.each(CALLS)(
    `reads the $kind recording through the gateway as straight from a ${sdk.own} upstream (stream: $stream)`,
    async ({ kind, stream }) => {
      const upstream = fleet.upstreams[own.protocol];
      // A multi-step recording: the first response only, as the client reads one (see the Responses client test).
      const cut =
        own.protocol === 'openai-responses' && kind === 'reasoning' && stream ? { cutAfterEvents: 56 } : {};
      upstream.enqueue({ fixture: own[kind], ...cut }, { fixture: own[kind], ...cut });
      const direct = sdk.at(`${upstream.url}${sdk.path}`, own.model.slice(own.model.indexOf('/') + 1));
      const straight = await read(direct, kind, stream);
      const through = await read(throughGateway(own.model), kind, stream);
      expect(through).toEqual(straight);
    },
  );

  // The SDK runs the tool and sends its result back: the second call must pair it with the call.
  describe.each(UPSTREAM_LANES)('a tool loop over a $protocol upstream', (lane) => {
    // First a recording's call (Anthropic's names another tool: a scripted one stands in), then
    // a reply that says or thinks something before its call: the OpenAI SDK, with `store` on by
    // default, sends that text or reasoning back as an `item_reference` to the stored reply.
    const scripted = { id: 'call_w1', name: 'weather', arguments: { location: 'SF' } };
    it.each(
      (['recorded', 'text', 'reasoning'] as const).flatMap((before) => [
        { stream: false, before },
        { stream: true, before },
      ]),
    )(
      'runs the tool and answers with its result (stream: $stream, first reply: $before)',
      async ({ stream, before }) => {
        const upstream = fleet.upstreams[lane.protocol];
        const first =
          before === 'text'
            ? { text: 'Let me look that up.', toolCalls: [scripted] }
            : before === 'reasoning'
              ? { reasoning: 'The user wants SF.', reasoningSignature: 'sig-7d1e', toolCalls: [scripted] }
              : lane.protocol === 'anthropic-messages'
                ? { toolCalls: [scripted] }
                : { fixture: lane.tool };
        upstream.enqueue(first, { text: 'It is 20 degrees.' });
        const ran: unknown[] = [];
        const loopTools = {
          weather: tool({
            ...tools.weather,
            execute: async (input: Record<string, unknown>) => {
              ran.push(input);
              return { celsius: 20 };
            },
          }),
        };
        const call = {
          model: throughGateway(lane.model),
          prompt: 'What is the weather in San Francisco?',
          tools: loopTools,
          stopWhen: stepCountIs(3),
          maxRetries: 0,
        };
        const text = stream ? await streamText(call).text : (await generateText(call)).text;
        expect(text).toBe('It is 20 degrees.');
        expect(ran).toHaveLength(1);
        expect(upstream.requests).toHaveLength(2);
        const { call: asked, result: answered } = toolExchange(upstream.requests[1]?.request?.messages ?? []);
        if (!asked || !answered) throw new Error('a call and its result');
        expect(answered.toolCallId).toBe(asked.toolCallId);
        const resent = JSON.stringify(upstream.requests[1]?.request?.messages);
        if (before === 'text') expect(resent).toContain('Let me look that up.');
        // Anthropic needs its thinking back, signed, with the tool call that followed it.
        if (before === 'reasoning' && lane.protocol === 'anthropic-messages')
          expect(resent).toContain('sig-7d1e');
        expect(JSON.stringify(answered.content)).toContain('20');
      },
    );
  });
});
