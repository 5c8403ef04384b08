import { describe, expect, it } from 'vitest';
import { startTestFleet } from './test-gateway.ts';

describe('createGateway use', () => {
  it('runs each Hono middleware around every route, in order, seeing the matched route after it', async () => {
    const seen: string[] = [];
    await using fleet = await startTestFleet({
      gateway: {
        use: [
          async (c, next) => {
            seen.push(`first ${c.req.path}`);
            await next();
            seen.push(`first done ${c.req.routePath}`);
          },
          async (_c, next) => {
            seen.push('second');
            await next();
          },
        ],
      },
    });
    const chat = await fetch(`${fleet.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(chat.status).toBe(200);
    await chat.json();
    const missing = await fetch(`${fleet.url}/v1/nowhere`);
    expect(missing.status).toBe(404);
    await missing.text();

    expect(seen).toEqual([
      'first /v1/chat/completions',
      'second',
      'first done /v1/chat/completions',
      'first /v1/nowhere',
      'second',
      'first done /*',
    ]);
  });
});
