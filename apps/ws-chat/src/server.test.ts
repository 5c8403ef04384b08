import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ChatApp, startChatApp } from './server.ts';

let app: ChatApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('startChatApp', () => {
  it('serves the page at / and /chat, and nothing else', async () => {
    app = await startChatApp();
    for (const path of ['', 'chat']) {
      const response = await fetch(app.url + path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(await response.text()).toContain('<select id="provider"');
    }
    expect((await fetch(`${app.url}nope`)).status).toBe(404);
    expect((await fetch(app.url, { method: 'POST' })).status).toBe(405);
  });

  it('chats with the demo fleet when given no backends', async () => {
    app = await startChatApp();
    const socket = new WebSocket(`${app.url.replace('http', 'ws')}v1/ws`);
    const welcome = await new Promise<unknown>((resolve, reject) => {
      socket.once('message', (data) => resolve(JSON.parse(data.toString())));
      socket.once('error', reject);
    });
    socket.terminate();
    expect(welcome).toMatchObject({
      type: 'welcome',
      provider: 'openai',
      providers: ['openai', 'anthropic'],
    });
  });

  it("accepts the page's own origin and refuses other sites' (cross-site WebSocket hijacking)", async () => {
    app = await startChatApp();
    const wsUrl = `${app.url.replace('http', 'ws')}v1/ws`;
    const open = (origin: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(wsUrl, { origin });
        socket.once('open', () => {
          socket.terminate();
          resolve(101);
        });
        socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      });
    expect(await open(app.url.slice(0, -1))).toBe(101);
    expect(await open(app.url.slice(0, -1).replace('127.0.0.1', 'localhost'))).toBe(101);
    expect(await open('https://evil.example')).toBe(403);
  });
});
