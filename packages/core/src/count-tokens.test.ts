import { describe, expect, it } from 'vitest';
import type { AttemptCheck, Backend, BackendCallOptions } from './backend.ts';
import { Bridge } from './bridge.ts';
import { TOKEN_COUNT_UNSUPPORTED } from './count-tokens.ts';
import { ModelNotFoundError } from './errors/model-not-found-error.ts';
import { PermissionDeniedError } from './errors/permission-denied-error.ts';
import { UnsupportedFeatureError } from './errors/unsupported-feature-error.ts';
import { Router } from './router/router.ts';
import type { ChatRequest } from './spec/request.ts';
import { MockBackend } from './test-support/mock-backend.ts';

const ask: ChatRequest = { model: 'm-1', messages: [{ role: 'user', content: 'count me' }] };

/** A backend that counts 42 for anything, and notes what it was asked. */
function counting(name: string) {
  const asked: Array<{ request: ChatRequest; options: BackendCallOptions | undefined }> = [];
  const backend: Backend = Object.assign(new MockBackend({ name }), {
    countTokens: async (request: ChatRequest, options?: BackendCallOptions) => {
      asked.push({ request, options });
      return { inputTokens: 42, exact: true, provider: name, model: request.model ?? 'default' };
    },
  });
  return { backend, asked };
}

const refuseAll: AttemptCheck = ({ backend }) =>
  new PermissionDeniedError({ message: `not ${backend}`, code: 'model_not_allowed' });

describe('bridge.countTokens', () => {
  it("returns the backend's exact count, running no middleware", async () => {
    const { backend, asked } = counting('counter');
    const bridge = new Bridge({
      backend,
      middleware: [
        () => {
          throw new Error('a count must not run chat middleware');
        },
      ],
    });
    expect(await bridge.countTokens(ask)).toEqual({
      inputTokens: 42,
      exact: true,
      provider: 'counter',
      model: 'm-1',
    });
    expect(asked).toHaveLength(1);
  });

  it('estimates where the backend cannot count, and fails without an estimator', async () => {
    const bridge = new Bridge({ backend: new MockBackend({ name: 'plain' }) });
    const seen: Array<string | undefined> = [];
    const count = await bridge.countTokens(ask, {
      estimate: (request, provider) => {
        seen.push(provider);
        return request.messages.length * 7;
      },
    });
    expect(count).toEqual({ inputTokens: 7, exact: false, provider: 'plain', model: 'm-1' });
    expect(seen).toEqual(['plain']);
    const error = await bridge.countTokens(ask).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    expect(error).toMatchObject({ code: TOKEN_COUNT_UNSUPPORTED });
  });

  it('asks the attempt check first; a refusal reaches no backend and no estimate', async () => {
    const { backend, asked } = counting('counter');
    const bridge = new Bridge({ backend });
    const error = await bridge
      .countTokens(ask, { checkAttempt: refuseAll, estimate: () => 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(asked).toHaveLength(0);
  });

  it('refuses a request without messages', async () => {
    const bridge = new Bridge({ backend: counting('counter').backend });
    await expect(bridge.countTokens({} as ChatRequest)).rejects.toThrow(/messages/);
  });
});

describe('Router.countTokens', () => {
  function routed() {
    const first = counting('first');
    const router = new Router({ routingStrategy: 'model-based', modelMapping: { 'm-*': 'first' } })
      .register('first', first.backend)
      .register('plain', new MockBackend({ name: 'plain' }));
    return { router, first, bridge: new Bridge({ backend: router }) };
  }

  it('counts with the backend a provider/ prefix names, the prefix taken off', async () => {
    const { bridge, first } = routed();
    const count = await bridge.countTokens({ ...ask, model: 'first/m-9' });
    expect(count).toMatchObject({ inputTokens: 42, exact: true, provider: 'first' });
    expect(first.asked[0]?.request.model).toBe('m-9');
    expect(first.asked[0]?.options?.modelResolved).toBe(true);
  });

  it("counts with the strategy's choice, and estimates for a backend that cannot count", async () => {
    const { bridge, first } = routed();
    expect(await bridge.countTokens(ask)).toMatchObject({ exact: true, provider: 'first' });
    expect(first.asked).toHaveLength(1);
    const estimated = await bridge.countTokens({ ...ask, model: 'plain/x' }, { estimate: () => 5 });
    expect(estimated).toMatchObject({ inputTokens: 5, exact: false, provider: 'plain' });
  });

  it('checks the attempt on the chosen backend, and names an unknown model', async () => {
    const { bridge, first } = routed();
    const checked: string[] = [];
    const check: AttemptCheck = (attempt) => {
      checked.push(`${attempt.backend}/${attempt.model}`);
      return refuseAll(attempt);
    };
    await expect(bridge.countTokens(ask, { checkAttempt: check })).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    expect(checked).toEqual(['first/m-1']);
    expect(first.asked).toHaveLength(0);
    await expect(bridge.countTokens({ ...ask, model: 'zz-unknown' })).rejects.toBeInstanceOf(
      ModelNotFoundError,
    );
  });
});
