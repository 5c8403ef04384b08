/**
 * Token counting, each counting client against each upstream protocol: `@anthropic-ai/sdk`
 * `messages.countTokens`, `@google/genai` `models.countTokens` and `openai`
 * `responses.inputTokens.count` pointed at the gateway. An upstream that counts (Anthropic,
 * Gemini, OpenAI Responses) is asked and the count marked `exact`, and the client reads what it
 * reads from that upstream straight when it speaks the same protocol; one that does not (OpenAI
 * Chat) gets no call, and the tokenizer estimate is marked `estimate`.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { estimateInputTokens } from 'ai.matey.middleware';
import { anthropicMessages, openaiResponses } from 'ai.matey.wire';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_COUNT_HEADER } from './count-tokens-endpoint.ts';
import {
  FLEET_UPSTREAM_KEY,
  type ProtocolFleet,
  providerOf,
  startProtocolFleet,
  UPSTREAM_LANES,
  type UpstreamProtocol,
} from './responses-test-fleet.ts';

const COUNTS: Partial<Record<UpstreamProtocol, number>> = {
  'anthropic-messages': 4242,
  gemini: 1717,
  'openai-responses': 2929,
};

let fleet: ProtocolFleet;
beforeAll(async () => {
  fleet = await startProtocolFleet(
    {},
    {
      'anthropic-messages': { tokenCount: COUNTS['anthropic-messages'] },
      gemini: { tokenCount: COUNTS.gemini },
      'openai-responses': { tokenCount: COUNTS['openai-responses'] },
    },
  );
});
afterAll(() => fleet.close());
beforeEach(() => {
  for (const upstream of Object.values(fleet.upstreams)) upstream.reset();
});

const prompt = 'What is the weather in Oslo today?';
const anthropicParams = {
  system: 'Be brief.',
  tools: [
    {
      name: 'get_weather',
      description: 'Weather for a city',
      input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
    },
  ],
  messages: [{ role: 'user' as const, content: prompt }],
};

const openaiParams = {
  instructions: 'Be brief.',
  input: prompt,
  tools: [{ type: 'function' as const, name: 'get_weather', parameters: { type: 'object' }, strict: false }],
};

interface Counted {
  tokens: number | undefined;
  mark: string | null | undefined;
}

/** Each counting client: how it counts at a base URL, and the gateway's estimate of its request. */
const CLIENTS = {
  anthropic: {
    own: 'anthropic-messages',
    async count(baseURL: string, model: string): Promise<Counted> {
      const client = new Anthropic({ apiKey: FLEET_UPSTREAM_KEY, baseURL, maxRetries: 0 });
      const { data, response } = await client.messages
        .countTokens({ model, ...anthropicParams })
        .withResponse();
      return { tokens: data.input_tokens, mark: response.headers.get(TOKEN_COUNT_HEADER) };
    },
    async estimate(model: string, provider: string): Promise<number> {
      const request = anthropicMessages.tokenCount?.decodeRequest({ model, ...anthropicParams });
      if (!request) throw new Error('the Anthropic codec has a token count');
      return (await estimateInputTokens(request, provider)).tokens;
    },
  },
  openai: {
    own: 'openai-responses',
    async count(baseURL: string, model: string): Promise<Counted> {
      const client = new OpenAI({ apiKey: FLEET_UPSTREAM_KEY, baseURL: `${baseURL}/v1`, maxRetries: 0 });
      const { data, response } = await client.responses.inputTokens
        .count({ model, ...openaiParams })
        .withResponse();
      return { tokens: data.input_tokens, mark: response.headers.get(TOKEN_COUNT_HEADER) };
    },
    async estimate(model: string, provider: string): Promise<number> {
      const request = openaiResponses.tokenCount?.decodeRequest({ model, ...openaiParams });
      if (!request) throw new Error('the Responses codec has a token count');
      return (await estimateInputTokens(request, provider)).tokens;
    },
  },
  google: {
    own: 'gemini',
    async count(baseUrl: string, model: string): Promise<Counted> {
      const client = new GoogleGenAI({ apiKey: FLEET_UPSTREAM_KEY, httpOptions: { baseUrl } });
      const response = await client.models.countTokens({ model, contents: prompt });
      return { tokens: response.totalTokens, mark: response.sdkHttpResponse?.headers?.[TOKEN_COUNT_HEADER] };
    },
    async estimate(model: string, provider: string): Promise<number> {
      const request = { model, messages: [{ role: 'user' as const, content: prompt }] };
      return (await estimateInputTokens(request, provider)).tokens;
    },
  },
} as const;

describe.each(Object.entries(CLIENTS))('%s countTokens', (_name, client) => {
  it.each(UPSTREAM_LANES)('counts toward a $protocol upstream', async (lane) => {
    const upstream = fleet.upstreams[lane.protocol];
    const exact = COUNTS[lane.protocol];
    const counted = await client.count(fleet.url, lane.model);
    if (exact === undefined) {
      expect(counted).toEqual({
        tokens: await client.estimate(lane.model, providerOf(lane.protocol)),
        mark: 'estimate',
      });
      expect(upstream.requests).toHaveLength(0);
      return;
    }
    expect(counted).toEqual({ tokens: exact, mark: 'exact' });
    expect(upstream.requests).toHaveLength(1);
    // What the upstream was asked holds the prompt, in its own count call.
    expect(JSON.stringify(upstream.requests[0]?.body)).toContain(prompt);
  });

  it('reads the same count through the gateway as straight from an upstream of its own protocol', async () => {
    const lane = UPSTREAM_LANES.find(({ protocol }) => protocol === client.own);
    if (!lane) throw new Error(`no lane for ${client.own}`);
    const upstream = fleet.upstreams[lane.protocol];
    const straight = await client.count(upstream.url, lane.model.slice(lane.model.indexOf('/') + 1));
    const through = await client.count(fleet.url, lane.model);
    expect(through.tokens).toBe(straight.tokens);
    expect(through.mark).toBe('exact');
  });
});
