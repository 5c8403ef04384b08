import { describe, expect, it } from 'vitest';
import type { AttemptCheck } from '../backend.ts';
import { Bridge } from '../bridge.ts';
import { PermissionDeniedError } from '../errors/permission-denied-error.ts';
import { RateLimitError } from '../errors/rate-limit-error.ts';
import { UpstreamServerError } from '../errors/upstream-server-error.ts';
import type { Middleware } from '../middleware/middleware.ts';
import type { ChatRequest } from '../spec/request.ts';
import { MockBackend } from '../test-support/mock-backend.ts';
import { Router } from './router.ts';

const ask: ChatRequest = { model: 'small', messages: [{ role: 'user', content: 'hi' }] };

/** Lets only the listed `backend/model` pairs through. */
function only(...allowed: string[]): AttemptCheck {
  return ({ backend, model }) =>
    allowed.includes(`${backend}/${model}`)
      ? undefined
      : new PermissionDeniedError({
          message: `may not use '${backend}/${model}'`,
          code: 'model_not_allowed',
        });
}

function fleet() {
  const failing = new MockBackend({
    name: 'primary',
    reply: { error: new UpstreamServerError({ message: 'down', status: 503 }) },
  });
  const fallback = new MockBackend({ name: 'fallback', reply: { text: 'from fallback' } });
  const router = new Router({ defaultBackend: 'primary', fallbackChain: ['fallback/big'] })
    .register('primary', failing)
    .register('fallback', fallback);
  return { router, failing, fallback, bridge: new Bridge({ backend: router }) };
}

describe.each(['execute', 'stream'] as const)('checkAttempt (%s)', (mode) => {
  const call = (bridge: Bridge, checkAttempt?: AttemptCheck) =>
    mode === 'execute'
      ? bridge.execute(ask, checkAttempt ? { checkAttempt } : {})
      : bridge.stream(ask, checkAttempt ? { checkAttempt } : {}).collect();

  it('skips a fallback the check refuses, and says so in the error', async () => {
    const { bridge, fallback } = fleet();
    const error = await call(bridge, only('primary/small')).catch((thrown: unknown) => thrown);
    expect(String((error as Error).message)).toMatch(/fallback: may not use 'fallback\/big'/);
    expect(fallback.calls).toHaveLength(0);
  });

  it('when every fallback is refused, the error is the primary’s own failure, with a note', async () => {
    const { bridge } = fleet();
    const error = await call(bridge, only('primary/small')).catch((thrown: unknown) => thrown);
    // A 503 the caller may retry, not the 403 of a fallback the key was never allowed.
    expect(error).toMatchObject({
      kind: 'upstream-server',
      status: 503,
      routing: { attempts: 1, backend: 'primary' },
    });
    expect((error as Error).message).toBe(
      "down (not tried, not allowed: fallback: may not use 'fallback/big')",
    );
  });

  it('with several real failures, the aggregate’s status is the last real one, not a refusal', async () => {
    const router = new Router({ defaultBackend: 'primary', fallbackChain: ['second', 'fallback/big'] })
      .register(
        'primary',
        new MockBackend({ reply: { error: new UpstreamServerError({ message: 'down', status: 503 }) } }),
      )
      .register(
        'second',
        new MockBackend({
          reply: { error: new RateLimitError({ message: 'slow down', retryAfterMs: 2_000 }) },
        }),
      )
      .register('fallback', new MockBackend({ name: 'fallback' }));
    const error = await call(new Bridge({ backend: router }), only('primary/small', 'second/small')).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({
      kind: 'all-backends-failed',
      status: 429,
      retryAfterMs: 2_000,
      routing: { attempts: 2, backend: 'second' },
    });
    expect((error as Error).message).toMatch(/fallback: may not use 'fallback\/big'/);
  });

  it('lets an allowed fallback serve', async () => {
    const { bridge, fallback } = fleet();
    await expect(call(bridge, only('primary/small', 'fallback/big'))).resolves.toMatchObject({
      provider: expect.any(String),
    });
    expect(fallback.calls.map((request) => request.model)).toEqual(['big']);
  });

  it('is asked again for every retry a middleware makes', async () => {
    const { router, failing } = fleet();
    const retryOnce: Middleware = {
      name: 'retry-once',
      execute: (request, next) => next(request).catch(() => next(request)),
    };
    const bridge = new Bridge({ backend: router, middleware: [retryOnce] });
    const asked: string[] = [];
    const check: AttemptCheck = (attempt) => {
      asked.push(`${attempt.backend}/${attempt.model}`);
      return only('primary/small')(attempt);
    };
    await call(bridge, check).catch(() => undefined);
    expect(asked).toEqual(['primary/small', 'fallback/big', 'primary/small', 'fallback/big']);
    expect(failing.calls).toHaveLength(2);
  });

  it('refuses a single backend the check refuses, before calling it', async () => {
    const single = new MockBackend({ name: 'solo', defaultModel: 'solo-model' });
    const bridge = new Bridge({ backend: single });
    await expect(call(bridge, only('solo/other'))).rejects.toMatchObject({ code: 'model_not_allowed' });
    expect(single.calls).toHaveLength(0);
  });
});
