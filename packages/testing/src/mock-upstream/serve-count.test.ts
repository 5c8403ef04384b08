import { describe, expect, it } from 'vitest';
import { startMockUpstream } from './mock-upstream.ts';

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('mock upstream token counts', () => {
  it("answers Anthropic's count_tokens and Gemini's countTokens in their shapes, leaving chat replies queued", async () => {
    await using upstream = await startMockUpstream({
      tokenCount: (request) => request.messages.length * 10,
      replies: [{ text: 'first chat reply' }],
    });
    const messages = [{ role: 'user', content: 'hi' }];
    const anthropic = await post(`${upstream.url}/v1/messages/count_tokens`, {
      model: 'claude-haiku-4-5',
      messages,
    });
    expect(await anthropic.json()).toEqual({ input_tokens: 10 });
    const gemini = await post(`${upstream.url}/v1beta/models/gemini-2.5-flash:countTokens`, {
      contents: [
        { role: 'user', parts: [{ text: 'a' }] },
        { role: 'model', parts: [{ text: 'b' }] },
      ],
    });
    expect(await gemini.json()).toEqual({ totalTokens: 20 });
    expect(upstream.requests.map((entry) => [entry.protocol, entry.model])).toEqual([
      ['anthropic-messages', 'claude-haiku-4-5'],
      ['gemini', 'gemini-2.5-flash'],
    ]);
    const chat = await post(`${upstream.url}/v1/messages`, {
      model: 'claude-haiku-4-5',
      max_tokens: 9,
      messages,
    });
    expect(await chat.json()).toMatchObject({ content: [{ text: 'first chat reply' }] });
    expect(upstream.requests.at(-1)?.callIndex).toBe(0);
  });

  it("refuses a malformed count body in the provider's error format", async () => {
    await using upstream = await startMockUpstream();
    const response = await post(`${upstream.url}/v1/messages/count_tokens`, {
      model: 'x',
      max_tokens: 3,
      messages: [],
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });
});
