import { listFixtures, readFixture, readFixtureFiles } from 'ai.matey.fixtures';
import type { BuiltInWireProtocol } from 'ai.matey.wire';
import { describe, expect, it } from 'vitest';
import { startMockUpstream } from './mock-upstream.ts';
import { parseSseText, sendChat } from './test-requests.ts';

// Every recorded response in packages/fixtures/recorded (see its README.md), replayed through a real socket.
const protocols: BuiltInWireProtocol[] = ['openai-chat', 'anthropic-messages', 'gemini'];

describe('fixture replay', () => {
  it.each(protocols)('streams every %s .chunks.txt with the same payloads and framing', async (protocol) => {
    await using upstream = await startMockUpstream();
    for (const name of listFixtures(protocol)) {
      const chunks = readFixture(protocol, name).chunks;
      if (!chunks) continue;
      upstream.enqueue({ fixture: name });
      const res = await sendChat(upstream.url, protocol, { stream: true });
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = parseSseText(res.text);
      const payloads = events.map((event) => event.data);
      if (protocol === 'openai-chat') expect(payloads.pop(), name).toBe('[DONE]');
      expect(payloads, name).toEqual(chunks);
      if (protocol === 'anthropic-messages') {
        expect(events.map((event) => event.event)).toEqual(chunks.map((chunk) => JSON.parse(chunk).type));
      }
    }
  });

  it.each(protocols)('answers every %s .json verbatim, error bodies with their status', async (protocol) => {
    await using upstream = await startMockUpstream();
    for (const name of listFixtures(protocol)) {
      const json = readFixtureFiles(protocol, name).json;
      if (json === undefined) continue;
      upstream.enqueue({ fixture: name });
      const res = await sendChat(upstream.url, protocol);
      expect(res.text, name).toBe(json);
      expect(res.headers.get('content-type')).toBe('application/json');
      const expected =
        name === 'google-429-retry-info'
          ? 429
          : name === 'reasoning-model-legacy-parameter-error'
            ? 400
            : 200;
      expect(res.status, name).toBe(expected);
    }
  });

  it('takes a protocol/name fixture from another folder, and applies chunk delays', async () => {
    await using upstream = await startMockUpstream({
      reply: { fixture: 'gemini/google-text', chunkDelayMs: 5 },
    });
    const res = await sendChat(upstream.url, 'anthropic-messages', { stream: true });
    expect(parseSseText(res.text).map((event) => event.data)).toEqual(
      readFixture('gemini', 'google-text').chunks,
    );
  });

  it('streams a recording that has only its .json with the route codec, citations after their text', async () => {
    await using upstream = await startMockUpstream({ reply: { fixture: 'cohere-chat/cohere-citations' } });
    const res = await sendChat(upstream.url, 'cohere', { stream: true });
    expect(res.status).toBe(200);
    const events = parseSseText(res.text).map((event) => JSON.parse(event.data) as { type: string });
    const types = events.map((event) => event.type);
    expect(types.filter((type) => type === 'citation-start')).toHaveLength(3);
    expect(types.lastIndexOf('content-delta')).toBeLessThan(types.indexOf('citation-start'));
    expect(types.at(-1)).toBe('message-end');
  });

  it('answers 500 naming the fixture when the file for the mode is missing', async () => {
    await using upstream = await startMockUpstream({ reply: { fixture: 'openai-chat/deepseek-json' } });
    const res = await sendChat(upstream.url, 'gemini', { stream: true });
    expect(res.status).toBe(500);
    expect(res.text).toContain('deepseek-json');
  });
});
