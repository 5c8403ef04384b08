/**
 * The official `@google/genai` client, pointed at a real server on 127.0.0.1 that speaks through
 * this codec's server half: the strictest judge of whether what we write is Gemini.
 */
import { ApiError, GoogleGenAI } from '@google/genai';
import { type ChatRequest, type ChatResponse, RateLimitError, responseToEvents } from 'ai.matey.core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendEncodedError, startTestServer, type TestServer } from '../test-support/test-server.ts';
import { gemini, geminiPath, parseGeminiPath } from './index.ts';

const reply: ChatResponse = {
  id: 'resp-client',
  model: 'gemini-2.5-flash',
  provider: 'google',
  content: [
    {
      type: 'reasoning',
      text: 'Thinking about Paris.',
      signature: 'sig-t',
      providerMetadata: { gemini: { thoughtSignature: 'sig-t' } },
    },
    { type: 'text', text: 'Let me check ' },
    {
      type: 'tool-call',
      toolCallId: 'call_1',
      toolName: 'weather',
      arguments: '{"city":"Paris"}',
      providerMetadata: { gemini: { thoughtSignature: 'sig-c' } },
    },
  ],
  finishReason: 'tool-calls',
  rawFinishReason: 'STOP',
  usage: { inputTokens: 11, outputTokens: 20, totalTokens: 31, reasoningTokens: 7 },
  warnings: [],
};

const seen: Array<{ path: string; request: ChatRequest; model: string; stream: boolean }> = [];
let server: TestServer;
let client: GoogleGenAI;
let defaultClient: GoogleGenAI;

beforeAll(async () => {
  server = await startTestServer((req, text, res) => {
    const route = parseGeminiPath(req.url ?? '');
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    if (route.model === 'gemini-rate-limited') {
      sendEncodedError(
        res,
        gemini.encodeError(new RateLimitError({ message: 'Quota exceeded', retryAfterMs: 13_000 })),
      );
      return;
    }
    seen.push({ path: req.url ?? '', request: gemini.decodeRequest(JSON.parse(text)), ...route });
    if (!route.stream) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(gemini.encodeResponse(reply)));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const encoder = gemini.createStreamEncoder();
    for (const event of responseToEvents(reply)) {
      const frame = encoder.encode(event);
      if (frame !== '') res.write(frame);
    }
    res.end(encoder.end());
  });
  const baseUrl = server.baseUrl;
  // Pinned to v1beta, the version geminiPath writes; the SDK's own default (v1) is served too.
  client = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl, apiVersion: 'v1beta' } });
  defaultClient = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl } });
});

afterAll(() => server.close());

const config = {
  systemInstruction: 'Be brief.',
  temperature: 0.3,
  maxOutputTokens: 100,
  thinkingConfig: { thinkingBudget: 256, includeThoughts: true },
  tools: [
    {
      functionDeclarations: [
        {
          name: 'weather',
          description: 'Weather for a city',
          parametersJsonSchema: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          },
        },
      ],
    },
  ],
};

describe('@google/genai against the gemini codec', () => {
  it('models.generateContent reads encodeResponse, and decodeRequest reads what it sent', async () => {
    const response = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Weather in Paris?',
      config,
    });
    expect(response.responseId).toBe('resp-client');
    expect(response.modelVersion).toBe('gemini-2.5-flash');
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.functionCalls).toEqual([{ id: 'call_1', name: 'weather', args: { city: 'Paris' } }]);
    const parts = response.candidates?.[0]?.content?.parts ?? [];
    expect(parts[0]).toEqual({ text: 'Thinking about Paris.', thought: true, thoughtSignature: 'sig-t' });
    expect(parts[2]?.thoughtSignature).toBe('sig-c');
    expect(response.usageMetadata).toEqual({
      promptTokenCount: 11,
      candidatesTokenCount: 13,
      thoughtsTokenCount: 7,
      totalTokenCount: 31,
    });

    const call = seen.at(-1);
    expect(call?.path).toBe(geminiPath('gemini-2.5-flash', false));
    expect(call?.stream).toBe(false);
    expect(call?.request).toMatchObject({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
      ],
      tools: [
        {
          name: 'weather',
          description: 'Weather for a city',
          inputSchema: { type: 'object', required: ['city'] },
        },
      ],
      temperature: 0.3,
      maxOutputTokens: 100,
      reasoning: { budgetTokens: 256 },
    });
  });

  it('models.generateContentStream reads the stream encoder, chunk by chunk', async () => {
    const stream = await client.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: [{ role: 'user', parts: [{ text: 'Weather in Paris?' }] }],
    });
    let text = '';
    const calls: unknown[] = [];
    let finishReason: string | undefined;
    let usage: unknown;
    for await (const chunk of stream) {
      for (const part of chunk.candidates?.[0]?.content?.parts ?? [])
        if (part.text && !part.thought) text += part.text;
      calls.push(...(chunk.functionCalls ?? []));
      finishReason = chunk.candidates?.[0]?.finishReason ?? finishReason;
      usage = chunk.usageMetadata ?? usage;
    }
    expect(text).toBe('Let me check ');
    expect(calls).toEqual([{ id: 'call_1', name: 'weather', args: { city: 'Paris' } }]);
    expect(finishReason).toBe('STOP');
    expect(usage).toMatchObject({ promptTokenCount: 11, totalTokenCount: 31 });
    expect(seen.at(-1)?.path).toBe(geminiPath('gemini-2.5-flash', true));
  });

  it("serves the SDK's default API version path as well", async () => {
    const response = await defaultClient.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'hi',
    });
    expect(response.functionCalls?.[0]?.name).toBe('weather');
    expect(seen.at(-1)?.path).toBe('/v1/models/gemini-2.5-flash:generateContent');
  });

  it('reads encodeError as an ApiError with the status', async () => {
    const attempt = client.models.generateContent({ model: 'gemini-rate-limited', contents: 'hi' });
    await expect(attempt).rejects.toBeInstanceOf(ApiError);
    await expect(attempt).rejects.toMatchObject({ status: 429 });
    await expect(attempt).rejects.toThrow(/RESOURCE_EXHAUSTED/);
  });
});
