/**
 * Bad input at the Gemini door (`:generateContent`, `:streamGenerateContent`): a 400
 * INVALID_ARGUMENT in Google's error format, naming the field, before anything goes upstream, and
 * a hosted tool (Google Search, code execution) toward a provider that has none is refused by
 * name rather than dropped. Judged by raw bodies and by `@google/genai`'s `ApiError`.
 */
import { ApiError, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProtocolFleet, startProtocolFleet } from './responses-test-fleet.ts';

let fleet: ProtocolFleet;
beforeAll(async () => {
  fleet = await startProtocolFleet();
});
afterAll(() => fleet.close());

const upstreamCalls = () =>
  Object.values(fleet.upstreams).reduce((sum, upstream) => sum + upstream.requests.length, 0);

async function post(path: string, body: unknown) {
  const response = await fetch(`${fleet.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const parsed = (await response.json()) as {
    error: { code: number; status: string; message: string; details?: unknown[] };
  };
  return { status: response.status, error: parsed.error };
}

const path = '/v1beta/models/anthropic/claude-sonnet-4-5:generateContent';
const user = (parts: unknown[]) => ({ contents: [{ role: 'user', parts }] });

describe("bad input at the Gemini door, in Google's error format", () => {
  it.each([
    ['an unknown part type', user([{ videoTrack: { uri: 'x' } }]), 'contents[0].parts[0]'],
    [
      'a role Gemini does not have',
      { contents: [{ role: 'robot', parts: [{ text: 'hi' }] }] },
      'contents[0].role',
    ],
    ['parts that are not a list', { contents: [{ role: 'user', parts: 'hi' }] }, 'contents[0].parts'],
    ['a function call without its name', user([{ functionCall: { args: {} } }]), 'contents[0].parts[0]'],
    [
      'a function response that is not an object',
      user([{ functionResponse: { name: 'f', response: 'sunny' } }]),
      'contents[0].parts[0]',
    ],
    [
      'a temperature that is not a number',
      { ...user([{ text: 'hi' }]), generationConfig: { temperature: 'hot' } },
      'generationConfig.temperature',
    ],
    ['no contents at all', {}, 'contents'],
  ])('answers %s with 400 INVALID_ARGUMENT naming the field', async (_what, body, field) => {
    const before = upstreamCalls();
    for (const method of ['generateContent', 'streamGenerateContent?alt=sse']) {
      const { status, error } = await post(path.replace('generateContent', method), body);
      expect(status).toBe(400);
      expect(error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
      expect(`${error.message} ${JSON.stringify(error.details ?? [])}`).toContain(field);
    }
    expect(upstreamCalls()).toBe(before);
  });

  it.each([
    ['googleSearch', 'anthropic/claude-sonnet-4-5'],
    ['codeExecution', 'openai/gpt-4o-mini'],
    ['googleSearch', 'responses/gpt-5-codex'],
  ])('refuses the hosted tool %s toward %s with 400 naming it, through the SDK', async (tool, model) => {
    const genai = new GoogleGenAI({ apiKey: 'unused', httpOptions: { baseUrl: fleet.url } });
    const before = upstreamCalls();
    const error = await genai.models
      .generateContent({ model, contents: 'Search the news', config: { tools: [{ [tool]: {} }] } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400 });
    expect(String(error)).toMatch(/INVALID_ARGUMENT/);
    expect(String(error)).toContain(tool);
    expect(upstreamCalls()).toBe(before);
  });

  it('sends the same hosted tool to a Gemini upstream intact', async () => {
    const genai = new GoogleGenAI({ apiKey: 'unused', httpOptions: { baseUrl: fleet.url } });
    fleet.upstreams.gemini.enqueue({ text: 'Searched.' });
    const reply = await genai.models.generateContent({
      model: 'gemini/gemini-2.5-flash',
      contents: 'Search the news',
      config: { tools: [{ googleSearch: {} }] },
    });
    expect(reply.text).toBe('Searched.');
    expect(fleet.upstreams.gemini.requests.at(-1)?.body).toMatchObject({ tools: [{ googleSearch: {} }] });
  });
});
