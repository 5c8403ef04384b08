import type { BuiltInWireProtocol } from 'ai.matey.wire';
import { describe, expect, it } from 'vitest';
import { echoKeyInStreamError } from './echo-key-fault.ts';
import { startMockUpstream } from './mock-upstream.ts';
import { parseSseText, sendChat } from './test-requests.ts';

const KEY = 'Xq7bR2mN9pL4vT8wK3jH6gF1dS5aZ0cE';
const auth: Record<BuiltInWireProtocol, Record<string, string>> = {
  'openai-chat': { authorization: `Bearer ${KEY}` },
  'anthropic-messages': { 'x-api-key': KEY },
  gemini: { 'x-goog-api-key': KEY },
  cohere: { authorization: `Bearer ${KEY}` },
  'openai-responses': { authorization: `Bearer ${KEY}` },
};

describe.each(Object.keys(auth) as BuiltInWireProtocol[])('echoKeyInStreamError (%s)', (protocol) => {
  it('sends one event, then an in-band error event quoting the key the request came with', async () => {
    await using upstream = await startMockUpstream({ reply: echoKeyInStreamError() });
    const res = await sendChat(upstream.url, protocol, { stream: true, headers: auth[protocol] });
    expect(res.status).toBe(200);
    const events = parseSseText(res.text).filter((event) => event.data !== '[DONE]');
    const errorAt = events.findIndex((event) => event.data.includes(`Incorrect API key provided: ${KEY}`));
    expect(errorAt).toBeGreaterThan(0);
    // Whatever follows the error event repeats it (Responses closes with `response.failed`).
    expect(events.slice(errorAt).every((event) => event.data.includes(KEY))).toBe(true);
  });

  it('with afterEvents 0 the error is the first event; a plain call gets it as the HTTP error body', async () => {
    await using upstream = await startMockUpstream({ reply: echoKeyInStreamError({ afterEvents: 0 }) });
    const streamed = await sendChat(upstream.url, protocol, { stream: true, headers: auth[protocol] });
    expect(parseSseText(streamed.text)[0]?.data).toContain(KEY);
    const plain = await sendChat(upstream.url, protocol, { headers: auth[protocol] });
    expect(plain.status).toBe(400);
    expect(plain.text).toContain(`Incorrect API key provided: ${KEY}`);
  });
});
