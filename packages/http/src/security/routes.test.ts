/**
 * Paths and methods (issue 11, item 20): a trailing slash reaches the same route, a wrong method
 * gets 405 with `Allow`, and both chat endpoints answer the same status for the same mistake,
 * each in the caller's own error format.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../test-gateway.ts';

let fleet: TestFleet;
beforeAll(async () => {
  fleet = await startTestFleet();
  fleet.upstreams.openai.setReply({ text: 'slash ok' });
  fleet.upstreams.anthropic.setReply({ text: 'slash ok' });
});
afterAll(() => fleet.close());

describe('a trailing slash', () => {
  it('reaches the OpenAI chat endpoint', async () => {
    const response = await fetch(`${fleet.url}/v1/chat/completions/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ choices: [{ message: { content: 'slash ok' } }] });
  });

  it('reaches the Anthropic endpoint and the model list', async () => {
    const client = new Anthropic({ apiKey: 'unused', baseURL: fleet.url, maxRetries: 0 });
    const message = await client.messages.create(
      { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
      { path: '/v1/messages/' },
    );
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'slash ok' });
    const models = await fetch(`${fleet.url}/v1/models/`);
    expect(models.status).toBe(200);
    expect((await fetch(`${fleet.url}/health/live/`)).status).toBe(200);
  });
});

describe('a wrong method', () => {
  it('gets 405 with Allow in the OpenAI format on the OpenAI routes', async () => {
    for (const [method, path, allow] of [
      ['GET', '/v1/chat/completions', 'POST'],
      ['PUT', '/v1/chat/completions/', 'POST'],
      ['DELETE', '/v1/models', 'GET, HEAD'],
      ['POST', '/health/live', 'GET, HEAD'],
    ] as const) {
      const response = await fetch(`${fleet.url}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
      expect(await response.json()).toMatchObject({
        error: { type: 'invalid_request_error', code: 'method_not_allowed' },
      });
    }
  });

  it('gets 405 in the Anthropic format on the Anthropic route', async () => {
    const response = await fetch(`${fleet.url}/v1/messages`, { method: 'GET' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('still gets 404 on a path that does not exist', async () => {
    expect((await fetch(`${fleet.url}/v1/nothing`, { method: 'GET' })).status).toBe(404);
  });
});

describe('the same mistake on both endpoints', () => {
  it('is a 415 for a body that is not JSON, read as such by both official clients', async () => {
    const openai = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
    const anthropic = new Anthropic({ apiKey: 'unused', baseURL: fleet.url, maxRetries: 0 });
    const headers = { 'content-type': 'text/plain' };
    const openaiError = await openai.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { headers })
      .catch((error: unknown) => error);
    const anthropicError = await anthropic.messages
      .create(
        { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
        { headers },
      )
      .catch((error: unknown) => error);
    expect(openaiError).toBeInstanceOf(OpenAI.APIError);
    expect(anthropicError).toBeInstanceOf(Anthropic.APIError);
    expect((openaiError as InstanceType<typeof OpenAI.APIError>).status).toBe(415);
    expect((anthropicError as InstanceType<typeof Anthropic.APIError>).status).toBe(415);
  });
});
