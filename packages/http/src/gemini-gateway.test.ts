/**
 * The gateway's Gemini door beyond the happy path: keys where Google's clients put them
 * (`x-goog-api-key`, `?key=`), Google's error format for bad input, the JSON-array stream a
 * caller without `alt=sse` gets, and the model list, with `@google/genai` as the judge where it
 * can be and raw HTTP where the SDK cannot say it (a `?key=`, a malformed body).
 */
import { ApiError, GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet, UPSTREAM_KEY } from './test-gateway.ts';

const KEY = 'gw-gemini-key-8c1e5a27';

let fleet: TestFleet;
let genai: GoogleGenAI;
beforeAll(async () => {
  fleet = await startTestFleet({ gateway: { keys: [{ id: 'google', key: KEY }] } });
  genai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: fleet.url } });
});
afterAll(() => fleet.close());
beforeEach(() => {
  for (const upstream of Object.values(fleet.upstreams)) upstream.reset();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${fleet.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const hello = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

describe('keys as Google clients send them', () => {
  it('takes the key from ?key= as well as x-goog-api-key', async () => {
    let upstreamKey: unknown;
    fleet.upstreams.gemini.setReply((_request, context) => {
      upstreamKey = context.headers['x-goog-api-key'];
      return { text: 'hello' };
    });
    const response = await post(`/v1beta/models/gemini/gemini-2.5-flash:generateContent?key=${KEY}`, hello);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      candidates: [{ content: { parts: [{ text: 'hello' }] } }],
    });
    // The gateway's key stays at the gateway: the upstream gets its own.
    expect(upstreamKey).toBe(UPSTREAM_KEY);
  });

  it('refuses a wrong ?key= with 401 UNAUTHENTICATED, echoing neither key', async () => {
    const response = await post(
      '/v1beta/models/gemini/gemini-2.5-flash:generateContent?key=gw-wrong-1234',
      hello,
    );
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
    expect(text).not.toContain('gw-wrong-1234');
    expect(text).not.toContain(UPSTREAM_KEY);
    expect(fleet.upstreams.gemini.requests).toHaveLength(0);
  });

  it('refuses the SDK with a wrong key as an ApiError 401', async () => {
    const wrong = new GoogleGenAI({ apiKey: 'gw-wrong-5678', httpOptions: { baseUrl: fleet.url } });
    const error = await wrong.models
      .generateContent({ model: 'gemini/gemini-2.5-flash', contents: 'hi' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401 });
  });
});

describe("bad input in Google's error format", () => {
  it('answers malformed contents with 400 INVALID_ARGUMENT naming the field', async () => {
    const response = await post(
      '/v1beta/models/gemini/gemini-2.5-flash:generateContent',
      { contents: [{ role: 'user', parts: [{ bogus: 1 }] }] },
      { 'x-goog-api-key': KEY },
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { status: string; message: string; details?: unknown[] };
    };
    expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(JSON.stringify(body.error.details)).toContain('contents[0].parts[0]');
  });

  it('answers a body that is not JSON, and contents that are not a list, with 400', async () => {
    for (const body of ['{"contents": [', { contents: 'hi' }]) {
      const response = await post('/v1/models/gemini-2.5-flash:generateContent', body, {
        'x-goog-api-key': KEY,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } });
    }
  });

  it('answers an unknown model with 404 NOT_FOUND through the SDK, plain and streamed', async () => {
    const plain = await genai.models
      .generateContent({ model: 'mistral-large', contents: 'hi' })
      .catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(ApiError);
    expect(plain).toMatchObject({ status: 404 });
    expect(String(plain)).toMatch(/NOT_FOUND.*mistral-large|mistral-large.*NOT_FOUND/s);
    const streamed = await genai.models
      .generateContentStream({ model: 'mistral-large', contents: 'hi' })
      .catch((e: unknown) => e);
    expect(streamed).toMatchObject({ status: 404 });
  });

  it('answers a count with malformed contents with 400, and an unknown method with 404', async () => {
    const count = await post(
      '/v1beta/models/gemini-2.5-flash:countTokens',
      { contents: [{ parts: [] }], extra: true },
      { 'x-goog-api-key': KEY },
    );
    expect(count.status).toBe(400);
    expect(await count.json()).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } });
    const unknown = await post('/v1beta/models/gemini-2.5-flash:embedContent', hello, {
      'x-goog-api-key': KEY,
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
  });
});

describe('streams and models', () => {
  it('routes a bare catalog id as a provider/model one, streamed through the SDK', async () => {
    fleet.upstreams.anthropic.setReply({ text: 'from claude', chunkCount: 2 });
    let text = '';
    for await (const chunk of await genai.models.generateContentStream({
      model: 'claude-haiku-4-5',
      contents: 'hi',
    }))
      text += chunk.text ?? '';
    expect(text).toBe('from claude');
    expect(fleet.upstreams.anthropic.requests.at(-1)?.model).toBe('claude-haiku-4-5');
  });

  it('streams one JSON array to a caller that does not ask for alt=sse', async () => {
    fleet.upstreams.anthropic.setReply({ text: 'one two three', chunkCount: 3 });
    const response = await post('/v1beta/models/anthropic/claude-haiku-4-5:streamGenerateContent', hello, {
      'x-goog-api-key': KEY,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const chunks = JSON.parse(await response.text()) as Array<{
      candidates?: Array<{ content?: { parts?: Array<{ text?: string }> }; finishReason?: string }>;
    }>;
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    const text = chunks.map((chunk) => chunk.candidates?.[0]?.content?.parts?.[0]?.text ?? '').join('');
    expect(text).toBe('one two three');
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('lists the models and gets one through the SDK; OpenAI clients keep their /v1/models', async () => {
    const listed: string[] = [];
    for await (const model of await genai.models.list()) listed.push(model.name ?? '');
    expect(listed).toContain('models/gemini/gemini-2.5-flash');
    expect(listed).toContain('models/anthropic/claude-haiku-4-5');
    const one = await genai.models.get({ model: 'anthropic/claude-haiku-4-5' });
    expect(one).toMatchObject({ name: 'models/anthropic/claude-haiku-4-5', displayName: 'claude-haiku-4-5' });
    const missing = await genai.models.get({ model: 'nope/nothing' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404 });

    const openai = new OpenAI({ apiKey: KEY, baseURL: `${fleet.url}/v1`, maxRetries: 0 });
    const page = await openai.models.list();
    expect(page.data.map((model) => model.id)).toContain('gemini/gemini-2.5-flash');
    // Without Google's key header, `/v1/models/{id}` is not the Gemini door: OpenAI's 404.
    const retrieve = await fetch(`${fleet.url}/v1/models/gpt-4o`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(retrieve.status).toBe(404);
    const body = (await retrieve.json()) as { error: Record<string, unknown> };
    expect(body.error.type).toBeDefined();
    expect(body.error.status).toBeUndefined();
  });
});
