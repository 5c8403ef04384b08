/**
 * Every recorded Cohere v2 chat reply in `packages/fixtures/recorded/cohere-chat` (see its README),
 * decoded whole and streamed (framed `data: LINE`, read in 29-byte pieces), and the codec's
 * server half read back by its client half.
 */
import { type ChatRequest, type ChatResponse, ChatStream, responseToEvents } from 'ai.matey.core';
import { fixtureToSse, readFixture } from 'ai.matey.fixtures';
import { describe, expect, it } from 'vitest';
import { decodeStreamText, encodeStreamText } from '../test-support/stream-text.ts';
import { cohere } from './index.ts';

const context = { provider: 'cohere' };

function decodeJson(name: string): ChatResponse {
  return cohere.decodeResponse(readFixture('cohere-chat', name).json, context);
}

function decodeChunks(chunks: string[]): Promise<ChatResponse> {
  return ChatStream.from(
    decodeStreamText(cohere, fixtureToSse('cohere-chat', chunks), context, 29),
  ).collect();
}

function decodeStream(name: string): Promise<ChatResponse> {
  return decodeChunks(readFixture('cohere-chat', name).chunks ?? []);
}

describe('cohere recorded replies', () => {
  it('text: the answer, COMPLETE as stop, tokens as usage with the cached ones, billed units as what cost is priced on', async () => {
    const whole = decodeJson('cohere-text');
    expect(whole.content).toEqual([{ type: 'text', text: 'The capital of France is Paris.' }]);
    expect(whole.finishReason).toBe('stop');
    expect(whole.rawFinishReason).toBe('COMPLETE');
    expect(whole.usage).toEqual({
      inputTokens: 507,
      outputTokens: 10,
      totalTokens: 517,
      cachedInputTokens: 448,
      billed: { inputTokens: 12, outputTokens: 7 },
    });
    expect(whole.providerMetadata).toEqual({
      cohere: { billedUnits: { input_tokens: 12, output_tokens: 7 } },
    });
    const streamed = await decodeStream('cohere-text');
    expect(streamed.id).toBe('321d178c-2c12-44d3-ae42-2f5510f6b1cc');
    expect(streamed.content).toEqual(whole.content);
    expect(streamed.usage).toEqual(whole.usage);
  });

  it('tool calls: the plan as a marked text part, then each call with its streamed arguments', async () => {
    const streamed = await decodeStream('cohere-tool-call');
    expect(streamed.finishReason).toBe('tool-calls');
    expect(streamed.content).toEqual([
      {
        type: 'text',
        text: 'I will use the weather tool to find the weather in San Francisco and the cityAttractions tool to find attractions in San Francisco.',
        providerMetadata: { cohere: { toolPlan: true } },
      },
      {
        type: 'tool-call',
        toolCallId: 'weather_e8p4pn45zt0t',
        toolName: 'weather',
        arguments: '{"location":"San Francisco"}',
      },
      {
        type: 'tool-call',
        toolCallId: 'cityAttractions_pyxssbwnq9fq',
        toolName: 'cityAttractions',
        arguments: '{"city":"San Francisco"}',
      },
    ]);
    const whole = decodeJson('cohere-tool-call');
    expect(whole.content.map((part) => part.type)).toEqual(['text', 'tool-call', 'tool-call']);
    expect(whole.usage.inputTokens).toBe(1549);
  });

  it('reasoning: thinking content as a reasoning part before the text', async () => {
    const streamed = await decodeStream('cohere-reasoning');
    expect(streamed.content.map((part) => part.type)).toEqual(['reasoning', 'text']);
    expect(streamed.content[0]).toMatchObject({ text: expect.stringMatching(/^The user is asking/) });
    expect(streamed.content[1]).toEqual({ type: 'text', text: 'The answer to 2 + 2 is 4.' });
    expect(decodeJson('cohere-reasoning').content[1]).toEqual({ type: 'text', text: '2 + 2 = 4' });
  });

  it('citations: each span of the text with its document, whole and streamed', async () => {
    const whole = decodeJson('cohere-citations');
    const part = whole.content[0];
    expect(part?.type === 'text' && part.citations?.map((citation) => citation.text)).toEqual([
      'Automation of tasks',
      'Better decision-making',
      'Cost reduction',
    ]);
    if (part?.type !== 'text') throw new Error('no text');
    expect(part.text.slice(part.citations?.[0]?.start, part.citations?.[0]?.end)).toBe('Automation of tasks');
    expect(part.citations?.[0]?.sources[0]).toMatchObject({
      type: 'document',
      id: 'doc:0',
      title: 'benefits.txt',
    });
    // The same reply through the codec's stream encoder and decoder keeps the citations.
    const sse = encodeStreamText(cohere, responseToEvents(whole));
    expect(sse).toContain('"type":"citation-start"');
    const again = await ChatStream.from(decodeStreamText(cohere, sse, context)).collect();
    expect(again.content).toEqual(whole.content);
  });

  it('MAX_TOKENS is length', () => {
    expect(decodeJson('cohere-max-tokens').finishReason).toBe('length');
  });

  it.each(['cohere-text', 'cohere-tool-call', 'cohere-reasoning', 'cohere-citations', 'cohere-max-tokens'])(
    '%s re-encoded by the server half reads back the same, JSON and SSE',
    async (name) => {
      const fixture = readFixture('cohere-chat', name);
      const original = fixture.json !== undefined ? decodeJson(name) : await decodeStream(name);
      expect(cohere.decodeResponse(cohere.encodeResponse(original), context)).toEqual({
        ...original,
        model: '',
      });
      const sse = encodeStreamText(cohere, responseToEvents(original));
      const streamed = await ChatStream.from(decodeStreamText(cohere, sse, context)).collect();
      expect(streamed.content).toEqual(original.content);
      expect(streamed.usage).toEqual(original.usage);
      expect(streamed.finishReason).toBe(original.finishReason);
    },
  );

  it('an error in message-end is an error event; a second message-start is a spliced stream', () => {
    const chunks = readFixture('cohere-chat', 'cohere-text').chunks ?? [];
    const failed = [
      ...chunks.slice(0, 3),
      JSON.stringify({
        type: 'message-end',
        delta: { finish_reason: 'ERROR', error: 'rate limit exceeded' },
      }),
    ];
    const events = decodeStreamText(cohere, fixtureToSse('cohere-chat', failed), context);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: 'rate-limited', message: 'rate limit exceeded' },
    });
    const spliced = [...chunks.slice(0, 3), ...chunks];
    const twice = decodeStreamText(cohere, fixtureToSse('cohere-chat', spliced), context);
    expect(twice.at(-1)).toMatchObject({ type: 'error', error: { code: 'malformed_stream' } });
  });

  it('a stream that stops before message-end ends with a network error', () => {
    const chunks = (readFixture('cohere-chat', 'cohere-text').chunks ?? []).slice(0, 4);
    const events = decodeStreamText(cohere, fixtureToSse('cohere-chat', chunks), context);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: 'network', code: 'stream_incomplete' },
    });
  });
});

describe('cohere requests', () => {
  const request: ChatRequest = {
    model: 'command-a-03-2025',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'I will look it up.', providerMetadata: { cohere: { toolPlan: true } } },
          { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', arguments: '{"city":"Paris"}' },
        ],
      },
      {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'weather', content: 'Sunny' }],
      },
    ],
    tools: [{ name: 'weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }],
    toolChoice: 'required',
    topP: 0.9,
    topK: 40,
    maxOutputTokens: 300,
    reasoning: { budgetTokens: 2000 },
  };

  it('encodes Cohere v2 fields: p and k, REQUIRED, the plan beside the tool calls, thinking budget', () => {
    const { body, warnings } = cohere.encodeRequest(request, { model: 'command-a-03-2025', stream: true });
    expect(warnings).toEqual([]);
    expect(body).toMatchObject({
      model: 'command-a-03-2025',
      stream: true,
      p: 0.9,
      k: 40,
      max_tokens: 300,
      tool_choice: 'REQUIRED',
      thinking: { type: 'enabled', token_budget: 2000 },
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          tool_plan: 'I will look it up.',
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'Sunny' },
      ],
    });
  });

  it('the server half reads its own body back into the same request', () => {
    const { body } = cohere.encodeRequest(request, { model: 'command-a-03-2025', stream: false });
    expect(cohere.decodeRequest(body)).toEqual(request);
  });

  it('a named tool choice becomes REQUIRED with that tool alone; what Cohere lacks is a warning', () => {
    const { body, warnings } = cohere.encodeRequest(
      {
        messages: [{ role: 'user', content: 'x', name: 'ann' }],
        tools: [
          { name: 'a', inputSchema: {} },
          { name: 'b', inputSchema: {} },
        ],
        toolChoice: { type: 'tool', name: 'b' },
        parallelToolCalls: false,
      },
      { model: 'm', stream: false },
    );
    expect(body.tool_choice).toBe('REQUIRED');
    expect((body.tools as Array<{ function: { name: string } }>).map((tool) => tool.function.name)).toEqual([
      'b',
    ]);
    expect(warnings.map((warning) => warning.setting)).toEqual(['messages[0].name', 'parallelToolCalls']);
  });

  it('a body with a wrong type is an invalid request naming the field', () => {
    expect(() => cohere.decodeRequest({ model: 'm', messages: [{ role: 'user', content: 3 }] })).toThrow(
      expect.objectContaining({ kind: 'invalid-request', param: 'messages[0].content' }),
    );
  });
});

describe('cohere errors', () => {
  it.each([
    [401, 'authentication'],
    [498, 'authentication'],
    [429, 'rate-limited'],
    [404, 'model-not-found'],
    [422, 'invalid-request'],
    [500, 'upstream-server'],
    [503, 'overloaded'],
  ])('HTTP %i is %s, with the message Cohere sent', (status, kind) => {
    const error = cohere.decodeError(status, { id: 'x', message: 'nope' }, undefined, context);
    expect(error.kind).toBe(kind);
    expect(error.message).toBe('nope');
  });

  it('too many tokens is a context-length error; the encoder answers in its own shape', () => {
    const error = cohere.decodeError(400, {
      message: 'too many tokens: total number of tokens exceeds 256000',
    });
    expect(error.kind).toBe('context-length-exceeded');
    expect(cohere.encodeError(error)).toMatchObject({ status: 400, body: { message: error.message } });
  });
});
