/**
 * Slow bodies and connection floods (issue 11, item 11): a chunked body that never ends, headers
 * sent a byte at a time, and more connections than the cap must not hold the gateway's sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../test-gateway.ts';
import { openRaw, rawJsonBody } from './raw-socket.ts';

let fleet: TestFleet;
beforeAll(async () => {
  fleet = await startTestFleet({
    gateway: { limits: { bodyTimeoutMs: 400 } },
    serve: { headersTimeoutMs: 500, requestTimeoutMs: 2_000, maxConnections: 8 },
  });
});
afterAll(() => fleet.close());

const chatHead = (path: string, headers = '') =>
  `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n${headers}\r\n`;

describe('a chunked body that never ends', () => {
  it.each([
    ['/v1/chat/completions', (body: unknown) => (body as { error: { code: string } }).error.code],
    ['/v1/messages', (body: unknown) => (body as { type: string; error: { type: string } }).type],
  ])('on %s gets a 408 in the caller format and the connection closed', async (path, read) => {
    const raw = await openRaw(fleet.url);
    raw.socket.write(chatHead(path));
    raw.socket.write('5\r\n{"mod\r\n');
    // A byte now and then: an idle timeout alone would never fire.
    const trickle = setInterval(() => raw.socket.write('1\r\n \r\n'), 100);
    const started = Date.now();
    try {
      const response = await raw.closed(3_000);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(response).toMatch(/^HTTP\/1\.1 408 /);
      expect(response).toMatch(/connection: close/i);
      expect(read(rawJsonBody(response))).toBe(path === '/v1/messages' ? 'error' : 'request_timeout');
    } finally {
      clearInterval(trickle);
    }
    expect(fleet.upstreams.openai.requests).toHaveLength(0);
  });
});

it('closes a connection that sends nothing at all', async () => {
  const raw = await openRaw(fleet.url);
  const started = Date.now();
  expect(await raw.closed(4_000)).toMatch(/^HTTP\/1\.1 408 /);
  expect(Date.now() - started).toBeLessThan(2_500);
});

it('closes a connection whose headers never finish', async () => {
  const raw = await openRaw(fleet.url);
  raw.socket.write('POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n');
  const trickle = setInterval(() => raw.socket.write('x-slow: y\r\n'), 100);
  const started = Date.now();
  try {
    await raw.closed(4_000);
    expect(Date.now() - started).toBeLessThan(2_500);
  } finally {
    clearInterval(trickle);
  }
});

it('refuses connections past the cap and serves again once they are gone', async () => {
  const held = await Promise.all(Array.from({ length: 8 }, () => openRaw(fleet.url)));
  // Let the server count them before the next one arrives.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const extra = await openRaw(fleet.url);
  extra.socket.write('GET /health/live HTTP/1.1\r\nhost: x\r\n\r\n');
  expect(await extra.closed(2_000)).toBe('');
  for (const connection of held) connection.socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect((await fetch(`${fleet.url}/health/live`)).status).toBe(200);
});

it('does not cut a stream that outlasts the request timeouts once its request is in', async () => {
  // requestTimeoutMs (2 s) and headersTimeoutMs limit receiving the request, not the answer.
  fleet.upstreams.openai.setReply({ text: 'a b c d e f', chunkCount: 6, chunkDelayMs: 500 });
  const response = await fetch(`${fleet.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'go' }] }),
  });
  const text = await response.text();
  expect(text).toContain('[DONE]');
});
