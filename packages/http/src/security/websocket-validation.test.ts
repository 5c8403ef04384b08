/**
 * WebSocket request validation: chat `messages` pass the same validation as an HTTP body (the
 * policy point's), so a malformed message gets a precise error frame, never a JavaScript error,
 * and `maxMessages` holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../test-gateway.ts';
import { type ChatSocket, openChatSocket } from './security-clients.ts';

let fleet: TestFleet;
let client: ChatSocket;
beforeAll(async () => {
  fleet = await startTestFleet({ gateway: { limits: { maxMessages: 3 } } });
  client = await openChatSocket(fleet.wsUrl);
});
afterAll(async () => {
  client.close();
  await fleet.close();
});

const turn = (content: string) => ({ role: 'user', content });

describe('WebSocket message validation', () => {
  it.each([
    { name: 'a null message', messages: [null], param: 'messages[0]' },
    { name: 'a message without a role', messages: [{ content: 'hi' }], param: 'messages[0].role' },
    {
      name: 'content of the wrong type',
      messages: [{ role: 'user', content: 42 }],
      param: 'messages[0].content',
    },
    { name: 'messages that are not an array', messages: 'hello', param: 'messages' },
  ])('answers $name with an invalid-request frame naming $param', async ({ messages, param }) => {
    const frame = await client.chat({ messages, model: 'openai/gpt-4o-mini' });
    expect(frame).toMatchObject({ type: 'error', error: { kind: 'invalid-request', status: 400 } });
    const error = (frame as { error: { message: string; param?: string } }).error;
    expect(error.param ?? error.message).toContain(param);
    expect(error.message).not.toMatch(/Cannot read|undefined is not|TypeError/);
  });

  it('answers a provider that is not a string with an invalid-request frame', async () => {
    const frame = await client.chat({ content: 'hi', provider: { name: 'openai' } });
    expect(frame).toMatchObject({ type: 'error', error: { kind: 'invalid-request', param: 'provider' } });
  });

  it('applies maxMessages with the same message as HTTP', async () => {
    const messages = [turn('1'), turn('2'), turn('3'), turn('4')];
    const frame = await client.chat({ messages, model: 'openai/gpt-4o-mini' });
    const overHttp = await fetch(`${fleet.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages }),
    });
    const httpError = ((await overHttp.json()) as { error: { message: string } }).error;
    expect(overHttp.status).toBe(400);
    expect(frame).toMatchObject({ type: 'error', error: { status: 400, message: httpError.message } });
    expect(httpError.message).toMatch(/4 messages; the limit is 3/);
  });

  it('sent nothing upstream for any of them, and the socket stays usable', async () => {
    expect(fleet.upstreams.openai.requests.length).toBe(0);
    expect(await client.chat({ messages: [turn('fine')], model: 'openai/gpt-4o-mini' })).toMatchObject({
      type: 'done',
    });
  });
});
