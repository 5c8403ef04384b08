/**
 * Cross-site WebSocket hijacking: a browser page from another origin must not drive the gateway.
 * Browser origins are allowed only through `corsOrigins` (the same list as HTTP CORS); a client
 * that sends no `Origin` (a program, not a browser) is not refused for it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../test-gateway.ts';
import { openChatSocket, rawUpgrade } from './security-clients.ts';

let fleet: TestFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

describe('WebSocket origin', () => {
  it('accepts a listed origin and no origin, and refuses any other origin with 403', async () => {
    fleet = await startTestFleet({ gateway: { corsOrigins: ['https://app.example'] } });
    const listed = await openChatSocket(fleet.wsUrl, { origin: 'https://app.example' });
    expect(await listed.chat({ content: 'hi', model: 'openai/gpt-4o-mini' })).toMatchObject({ type: 'done' });
    listed.close();
    const program = await openChatSocket(fleet.wsUrl);
    expect(await program.chat({ content: 'hi', model: 'openai/gpt-4o-mini' })).toMatchObject({
      type: 'done',
    });
    program.close();

    await expect(openChatSocket(fleet.wsUrl, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    // Near misses are other origins too.
    for (const origin of ['https://app.example.evil.example', 'http://app.example', 'null']) {
      const answer = await rawUpgrade(fleet.running.port, '/v1/ws', { origin });
      expect(answer.status).toBe(403);
      expect(answer.body).toMatch(/origin is not allowed/);
    }
    expect(fleet.upstreams.openai.requests.length).toBe(2);
  });

  it('refuses every browser origin when no corsOrigins are configured (the keyless default)', async () => {
    fleet = await startTestFleet();
    await expect(openChatSocket(fleet.wsUrl, { origin: 'http://127.0.0.1:3000' })).rejects.toThrow(/403/);
    await expect(openChatSocket(fleet.wsUrl, { origin: 'https://any.example' })).rejects.toThrow(/403/);
    const program = await openChatSocket(fleet.wsUrl);
    expect(await program.chat({ content: 'hi', model: 'openai/gpt-4o-mini' })).toMatchObject({
      type: 'done',
    });
    program.close();
  });

  it('accepts any origin when corsOrigins is *', async () => {
    fleet = await startTestFleet({ gateway: { corsOrigins: ['*'] } });
    const page = await openChatSocket(fleet.wsUrl, { origin: 'https://any.example' });
    expect(await page.chat({ content: 'hi', model: 'openai/gpt-4o-mini' })).toMatchObject({ type: 'done' });
    page.close();
  });
});
