/**
 * Stray upgrades: every `Upgrade: websocket` the server does not accept (another path, a
 * browser origin not allowed, no or a wrong key, a malformed handshake) is answered with a 4xx
 * and a body, and its socket is closed, so no amount of them can hold descriptors open.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../test-gateway.ts';
import { openChatSocket, rawUpgrade } from './security-clients.ts';

const KEY = 'gw-upgrade-7c1d9e2f40';

let fleet: TestFleet;
let port: number;
beforeAll(async () => {
  fleet = await startTestFleet({
    gateway: { keys: [{ id: 'team', key: KEY }], corsOrigins: ['https://app.example'] },
  });
  port = fleet.running.port;
});
afterAll(() => fleet.close());

const authorized = { authorization: `Bearer ${KEY}` };

const STRAY: Array<{ name: string; path: string; headers: Record<string, string>; status: number }> = [
  { name: 'another path', path: '/v1/chat/completions', headers: authorized, status: 404 },
  { name: 'a path that does not exist', path: '/nope', headers: {}, status: 404 },
  {
    name: 'a browser origin not allowed',
    path: '/v1/ws',
    headers: { ...authorized, origin: 'https://evil.example' },
    status: 403,
  },
  { name: 'no API key', path: '/v1/ws', headers: {}, status: 401 },
  { name: 'a wrong API key', path: '/v1/ws', headers: { authorization: 'Bearer gw-wrong-000' }, status: 401 },
  {
    name: 'no Sec-WebSocket-Key',
    path: '/v1/ws',
    headers: { ...authorized, 'sec-websocket-key': '' },
    status: 400,
  },
  {
    name: 'a malformed Sec-WebSocket-Key',
    path: '/v1/ws',
    headers: { ...authorized, 'sec-websocket-key': 'not-a-key' },
    status: 400,
  },
];

function openDescriptors(): number {
  return readdirSync('/proc/self/fd').length;
}

function serverConnections(): Promise<number> {
  return new Promise((resolve, reject) =>
    fleet.running.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

async function settle(check: () => Promise<boolean> | boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('stray WebSocket upgrades', () => {
  it.each(STRAY)('answers $name with $status and a body, then closes the socket', async (stray) => {
    const answer = await rawUpgrade(port, stray.path, stray.headers);
    expect(answer.status).toBe(stray.status);
    expect(answer.body.trim()).not.toBe('');
    expect(answer.body).not.toContain(KEY);
  });

  it('holds no descriptor or connection after 300 stray upgrades', async () => {
    await settle(async () => (await serverConnections()) === 0);
    const descriptorsBefore = openDescriptors();
    const connectionsBefore = await serverConnections();
    for (let batch = 0; batch < 3; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, index) => {
          const stray = STRAY[index % STRAY.length] as (typeof STRAY)[number];
          return rawUpgrade(port, stray.path, stray.headers);
        }),
      );
      for (const answer of answers) expect(answer.status).toBeGreaterThanOrEqual(400);
    }
    await settle(async () => (await serverConnections()) === connectionsBefore);
    expect(await serverConnections()).toBe(connectionsBefore);
    await settle(() => openDescriptors() <= descriptorsBefore + 2);
    // A little slack for descriptors the runtime opens on its own (timers, the test runner).
    expect(openDescriptors()).toBeLessThanOrEqual(descriptorsBefore + 2);
    // The endpoint still serves after the storm.
    const client = await openChatSocket(fleet.wsUrl, { headers: authorized });
    expect(await client.chat({ content: 'still there?', model: 'openai/gpt-4o-mini' })).toMatchObject({
      type: 'done',
    });
    client.close();
  });
});
