import { Bridge, OverloadedError, Router } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { createRetryMiddleware } from '../retry/index.ts';
import { createLoggingMiddleware } from './index.ts';

describe('logging middleware: attempts', () => {
  it('counts every upstream call of the request, retries and Router fallbacks together', async () => {
    const raw: string[] = [];
    const busy = () => new OverloadedError({ message: 'busy' });
    const a = new MockBackend({ name: 'a', replies: [{ error: busy() }, { text: 'a at last' }] });
    const b = new MockBackend({ name: 'b', reply: { error: busy() } });
    const router = new Router({ defaultBackend: 'a', fallbackChain: ['b'] })
      .register('a', a)
      .register('b', b);
    const bridge = new Bridge({
      backend: router,
      middleware: [
        createLoggingMiddleware({ destination: { write: (line: string) => void raw.push(line) } }),
        createRetryMiddleware({ sleep: async () => {} }),
      ],
    });
    const response = await bridge.execute({ messages: [{ role: 'user', content: 'hi' }] });
    // a failed, its fallback b failed, the retry found a well: three calls.
    expect(response.routing?.attempts).toBe(3);
    expect(JSON.parse(raw[0] ?? '{}')).toMatchObject({ attempts: 3, backend: 'a' });
  });
});
