/**
 * A burst of upstream events leaves the gateway in a few socket writes (one per upstream read),
 * not one HTTP chunk per event, and nothing is lost or reordered on the way.
 */
import { connect } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from './test-gateway.ts';

let fleet: TestFleet;
beforeAll(async () => {
  fleet = await startTestFleet();
});
afterAll(() => fleet.close());

const words = Array.from({ length: 100 }, (_, index) => `w${index} `);

/** Sends a raw HTTP/1.1 request; returns the sizes of its body's HTTP chunks, and the body. */
async function rawChunks(url: string, body: string): Promise<{ sizes: number[]; text: string }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.write(
    `POST /v1/chat/completions HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
  // The reply keeps the connection open: read up to the chunked body's last (empty) chunk.
  let raw = '';
  for await (const part of socket) {
    raw += (part as Buffer).toString('latin1');
    if (raw.endsWith('\r\n0\r\n\r\n')) break;
  }
  socket.destroy();
  let at = raw.indexOf('\r\n\r\n') + 4;
  const sizes: number[] = [];
  let text = '';
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    const size = Number.parseInt(raw.slice(at, lineEnd), 16);
    if (!(size > 0)) break;
    sizes.push(size);
    text += raw.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
  return { sizes, text };
}

describe('streamed writes', () => {
  it('writes a burst of 100 upstream events in a few HTTP chunks, all of them in order', async () => {
    fleet.upstreams.openai.setReply({ text: words.join(''), chunkCount: 100 });
    const body = JSON.stringify({
      model: 'openai/gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'go' }],
    });
    const { sizes, text } = await rawChunks(fleet.url, body);
    const deltas = [...text.matchAll(/"content":"([^"]*)"/g)].map((match) => match[1]);
    expect(deltas.join('')).toBe(words.join(''));
    expect(deltas.length).toBeGreaterThanOrEqual(100);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    // One chunk per event would be 100+; the mock's burst reaches the gateway in a few reads.
    expect(sizes.length).toBeLessThan(25);
  });

  it('still gives the official client every delta of a burst', async () => {
    fleet.upstreams.openai.setReply({ text: words.join(''), chunkCount: 100 });
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1` });
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'go' }],
    });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage ??= chunk.usage ?? undefined;
    }
    expect(text).toBe(words.join(''));
    expect(usage).toMatchObject({ completion_tokens: expect.any(Number) });
  });
});
