import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useMockProviders } from './harness/mock-providers.ts';

const providers = useMockProviders();

/** The next JSON message of a socket. */
function nextMessage(socket: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

describe('guide pattern 5: WebSocket real-time streaming', () => {
  it('welcomes a client, streams a chat as chunks then done, and acknowledges a provider switch', async () => {
    const { clients, wss } = await import('./blocks/05-websocket-streaming.ts');
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
      const welcome = await nextMessage(socket);
      expect(welcome).toMatchObject({ type: 'welcome', clientId: expect.stringMatching(/^client-\d+$/) });

      const received: Array<Record<string, unknown>> = [];
      const done = new Promise<void>((resolve) => {
        socket.on('message', (data) => {
          const message = JSON.parse(data.toString()) as Record<string, unknown>;
          received.push(message);
          if (message.type === 'done' || message.type === 'error') resolve();
        });
      });
      socket.send(JSON.stringify({ type: 'chat', content: 'Tell me about sockets' }));
      await done;
      expect(received.at(-1)).toEqual({ type: 'done' });
      const events = received
        .filter((m) => m.type === 'chunk')
        .map((m) => m.data as { type: string; delta?: string });
      expect(events[0]?.type).toBe('start');
      expect(events.at(-1)?.type).toBe('finish');
      const text = events
        .filter((e) => e.type === 'text-delta')
        .map((e) => e.delta)
        .join('');
      expect(text).toBe('Echo: Tell me about sockets');
      expect(providers.upstream.openai.requests.filter((r) => r.stream)).toHaveLength(1);
      expect([...clients.values()][0]?.history).toHaveLength(1);

      socket.send(JSON.stringify({ type: 'switch_provider', provider: 'groq' }));
      expect(await nextMessage(socket)).toEqual({ type: 'provider_switched', provider: 'groq' });

      socket.close();
      await new Promise((resolve) => socket.once('close', resolve));
      await expect.poll(() => clients.size).toBe(0);
    } finally {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
    }
  });
});
