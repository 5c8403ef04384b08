/**
 * Hostile and careless input: each gets a precise error in the caller's own format and status,
 * nothing reaches an upstream, and the gateway keeps serving afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from './test-gateway.ts';

let fleet: TestFleet;
beforeAll(async () => {
  fleet = await startTestFleet({
    gateway: { limits: { maxBodyBytes: 2_048, maxJsonDepth: 8, maxMessages: 3 } },
  });
});
afterAll(async () => {
  // Nothing above was worth an upstream call.
  expect(fleet.upstreams.openai.requests).toHaveLength(0);
  expect(fleet.upstreams.anthropic.requests).toHaveLength(0);
  await fleet.close();
});

type Format = 'openai' | 'anthropic';
const paths: Record<Format, string> = { openai: '/v1/chat/completions', anthropic: '/v1/messages' };

async function post(format: Format, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${fleet.url}${paths[format]}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) as unknown };
}

/** The error as the caller's SDK would read it: OpenAI `{error:{type,message}}`, Anthropic `{type:'error',error:{…}}`. */
function errorOf(format: Format, json: unknown): { type: string; message: string; param?: string } {
  if (format === 'anthropic') {
    expect(json).toMatchObject({
      type: 'error',
      error: { type: expect.any(String), message: expect.any(String) },
    });
  } else {
    expect(json).toMatchObject({ error: { type: expect.any(String), message: expect.any(String) } });
  }
  return (json as { error: { type: string; message: string; param?: string } }).error;
}

const validBody = (format: Format, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    model: format === 'openai' ? 'openai/gpt-4o-mini' : 'anthropic/claude-sonnet-4-5',
    ...(format === 'anthropic' ? { max_tokens: 16 } : {}),
    messages: [{ role: 'user', content: 'hi' }],
    ...extra,
  });

describe.each(['openai', 'anthropic'] as const)('%s endpoint', (format) => {
  it('refuses malformed JSON with 400', async () => {
    const reply = await post(format, '{"model": "x", "messages": [');
    expect(reply.status).toBe(400);
    const error = errorOf(format, reply.json);
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('refuses an empty body with 400', async () => {
    const reply = await post(format, '');
    expect(reply.status).toBe(400);
    expect(errorOf(format, reply.json).message).toMatch(/empty/);
  });

  it('refuses a JSON body that is not an object with 400', async () => {
    for (const body of ['null', '[]', '"hello"', '42']) {
      const reply = await post(format, body);
      expect(reply.status).toBe(400);
      expect(errorOf(format, reply.json).type).toBe('invalid_request_error');
    }
  });

  it('names the field when messages is not an array', async () => {
    const reply = await post(format, validBody(format, { messages: 'hello' }));
    expect(reply.status).toBe(400);
    expect(errorOf(format, reply.json).message).toMatch(/messages/);
  });

  it('names the field when temperature is a string', async () => {
    const reply = await post(format, validBody(format, { temperature: 'hot' }));
    expect(reply.status).toBe(400);
    expect(errorOf(format, reply.json).message).toMatch(/temperature/);
  });

  it('answers an unknown model with 404', async () => {
    const reply = await post(format, validBody(format, { model: 'no-such-model' }));
    expect(reply.status).toBe(404);
    const error = errorOf(format, reply.json);
    expect(error.type).toBe('not_found_error');
    expect(error.message).toMatch(/no-such-model/);
  });

  it('refuses a body over maxBodyBytes with 413, declared or streamed', async () => {
    const big = validBody(format, { messages: [{ role: 'user', content: 'x'.repeat(4_000) }] });
    const declared = await post(format, big);
    expect(declared.status).toBe(413);
    expect(errorOf(format, declared.json).message).toMatch(/larger than the limit of 2048 bytes/);
    if (format === 'anthropic') expect(errorOf(format, declared.json).type).toBe('request_too_large');

    // Chunked, with no content-length to refuse it up front: it is cut off as it arrives.
    const chunked = await fetch(`${fleet.url}${paths[format]}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('refuses more messages than maxMessages with 400', async () => {
    const messages = Array.from({ length: 4 }, (_, i) => ({
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: `m${i}`,
    }));
    const reply = await post(format, validBody(format, { messages }));
    expect(reply.status).toBe(400);
    expect(errorOf(format, reply.json).message).toMatch(/4 messages; the limit is 3/);
  });

  it('refuses JSON nested deeper than maxJsonDepth with 400', async () => {
    const deep = `${'['.repeat(20)}${']'.repeat(20)}`;
    const reply = await post(format, validBody(format, { metadata: JSON.parse(deep) }));
    expect(reply.status).toBe(400);
    expect(errorOf(format, reply.json).message).toMatch(/nests 21 levels deep; the limit is 8/);
  });

  it('refuses a body that is not declared as JSON (a browser form or text/plain)', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const reply = await post(format, validBody(format), { 'content-type': type });
      // The same status from both endpoints for the same mistake (issue 11, item 20).
      expect(reply.status).toBe(415);
      expect(errorOf(format, reply.json).message).toMatch(/application\/json/);
    }
  });

  it('keeps serving after all that', async () => {
    const live = await fetch(`${fleet.url}/health/live`);
    expect(live.status).toBe(200);
  });
});

describe('requests that are not chat calls', () => {
  it('answers an unknown route with 404 in the OpenAI format', async () => {
    const response = await fetch(`${fleet.url}/v1/embeddingz`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { type: 'not_found_error' } });
  });

  it("answers a GET on a chat route with 405 and Allow, in the caller's format", async () => {
    const response = await fetch(`${fleet.url}/v1/messages`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });
});
