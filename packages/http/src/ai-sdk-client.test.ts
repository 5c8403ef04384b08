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
import { generateText, jsonSchema, type LanguageModel, streamText, tool } from 'ai';
import { type ChatResponse, responseText } from 'ai.matey.core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ProtocolFleet,
  recordedReply,
  startProtocolFleet,
  UPSTREAM_LANES,
} from './responses-test-fleet.ts';

let fleet: ProtocolFleet;
beforeAll(async () => {
  fleet = await startProtocolFleet();
});
afterAll(() => fleet.close());
beforeEach(() => {
  for (const upstream of Object.values(fleet.upstreams)) upstream.reset();
});

const CLIENTS = {
  'openai (responses)': (model: string): LanguageModel =>
    createOpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1` })(model),
  // The SDK reads a model id with a slash as a resource path (`tunedModels/x`): a gateway model
  // named with its provider (`openai/gpt-4o-mini`) is given as `models/openai/gpt-4o-mini`.
  google: (model: string): LanguageModel =>
    createGoogleGenerativeAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1beta` })(`models/${model}`),
  anthropic: (model: string): LanguageModel =>
    createAnthropic({ apiKey: 'unused', baseURL: `${fleet.url}/v1` })(model),
} as const;

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

interface SdkResult {
  text: string;
  toolCalls: ReadonlyArray<{ toolName: string; input: unknown }>;
  finishReason: string;
  usage: { inputTokens: number | undefined; outputTokens: number | undefined };
}

function seenView(result: SdkResult) {
  return {
    text: result.text,
    toolCalls: result.toolCalls.map((call) => ({ toolName: call.toolName, input: call.input })),
    finishReason: result.finishReason,
    inputTokens: result.usage.inputTokens,
    outputTokens: result.usage.outputTokens,
  };
}

describe.each(Object.entries(CLIENTS))('AI SDK %s client', (_client, modelOf) => {
  describe.each(UPSTREAM_LANES)('$protocol upstream', (lane) => {
    const upstream = () => fleet.upstreams[lane.protocol];

    it.each(['text', 'tool'] as const)('generateText reads the %s recording as it was', async (kind) => {
      const name = lane[kind];
      upstream().enqueue({ fixture: name });
      const result = await generateText({
        model: modelOf(lane.model),
        prompt: 'What is the weather in San Francisco?',
        ...(kind === 'tool' ? { tools } : {}),
        maxRetries: 0,
      });
      expect(seenView(result)).toEqual(expectedView(await recordedReply(lane.protocol, name, false)));
      expect(upstream().requests).toHaveLength(1);
    });

    it.each(['text', 'tool'] as const)('streamText reads the %s recording as it was', async (kind) => {
      const name = lane[kind];
      upstream().enqueue({ fixture: name });
      const errors: unknown[] = [];
      const result = streamText({
        model: modelOf(lane.model),
        prompt: 'What is the weather in San Francisco?',
        ...(kind === 'tool' ? { tools } : {}),
        maxRetries: 0,
        onError: ({ error }) => {
          errors.push(error);
        },
      });
      let streamed = '';
      for await (const delta of result.textStream) streamed += delta;
      const seen = seenView({
        text: await result.text,
        toolCalls: await result.toolCalls,
        finishReason: await result.finishReason,
        usage: await result.usage,
      });
      expect(errors).toEqual([]);
      expect(seen).toEqual(expectedView(await recordedReply(lane.protocol, name, true)));
      expect(streamed).toBe(seen.text);
    });
  });
});
