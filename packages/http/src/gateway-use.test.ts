import { secureHeaders } from 'hono/secure-headers';
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

  it('lets Hono middleware see and change every reply: plain, streamed, refused, unknown route', async () => {
    const statuses: number[] = [];
    await using fleet = await startTestFleet({
      gateway: {
        use: [
          secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'none'"] } }),
          async (c, next) => {
            await next();
            statuses.push(c.res.status);
            c.res.headers.set('x-seen-by', 'outer');
          },
        ],
      },
    });
    const chat = (body: Record<string, unknown>) =>
      fetch(`${fleet.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'openai/gpt-4o-mini',
          messages: [{ role: 'user', content: 'hi' }],
          ...body,
        }),
      });
    const replies = [
      await chat({}),
      await chat({ stream: true }),
      await chat({ temperature: 'hot' }),
      await fetch(`${fleet.url}/v1/nowhere`),
    ];
    for (const reply of replies) {
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('content-security-policy')).toBe("default-src 'none'");
      expect(reply.headers.get('x-seen-by')).toBe('outer');
      expect(reply.headers.get('x-request-id')).toMatch(/^req_/);
    }
    expect(replies[1]?.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(await replies[1]?.text()).toContain('data: [DONE]');
    expect(statuses).toEqual([200, 200, 400, 404]);
  });
});
