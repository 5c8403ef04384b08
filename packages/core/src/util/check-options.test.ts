import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend.ts';
import { Bridge } from '../bridge.ts';
import { CircuitBreaker } from '../circuit-breaker.ts';
import { Middleware, type NextFunction } from '../middleware/middleware.ts';
import { Router } from '../router/router.ts';
import type { ChatRequest } from '../spec/request.ts';
import { emptyUsage } from '../spec/response.ts';
import { checkOptions, type OptionShape } from './check-options.ts';
import { UnknownOptionError } from './unknown-option-error.ts';

// A backend that answers with the text it was sent, so the tests depend on nothing outside core.
const echo: Backend = {
  metadata: {
    name: 'echo',
    provider: 'echo',
    capabilities: { streaming: true, tools: false, vision: false, reasoning: false, jsonSchema: false },
  },
  async execute(request) {
    const last = request.messages.at(-1)?.content;
    return {
      id: 'r1',
      model: 'echo',
      provider: 'echo',
      content: [{ type: 'text', text: `echo: ${typeof last === 'string' ? last : ''}` }],
      finishReason: 'stop',
      usage: emptyUsage(),
      warnings: [],
    };
  },
  async *stream() {},
};

/** The error `work` throws, which must be an UnknownOptionError. */
function unknownOption(work: () => unknown): UnknownOptionError {
  try {
    work();
  } catch (error) {
    if (error instanceof UnknownOptionError) return error;
    throw error;
  }
  throw new Error('expected an UnknownOptionError');
}

describe('checkOptions', () => {
  it('rejects a misspelt Bridge option, naming it and the one meant, before anything runs', () => {
    const error = unknownOption(() => new Bridge({ backend: echo, timeout: 5_000 } as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.option).toBe('timeout');
    expect(error.suggestion).toBe('timeoutMs');
    expect(error.message).toBe(
      "new Bridge: unknown option 'timeout'. Did you mean 'timeoutMs'? Known: backend, middleware, timeoutMs, maxAttempts.",
    );
  });

  it('looks into nested options: a Router circuit breaker with a typo fails at construction', () => {
    const error = unknownOption(() => new Router({ circuitBreaker: { failureTreshold: 3 } as never }));
    expect(error.option).toBe('circuitBreaker.failureTreshold');
    expect(error.suggestion).toBe('circuitBreaker.failureThreshold');
    expect(() => new Router({ circuitBreaker: false })).not.toThrow();
    expect(() => new Router({ circuitBreaker: { failureThreshold: 3 } })).not.toThrow();
  });

  it('checks router.register and CircuitBreaker options, and offers no suggestion when none is close', () => {
    const router = new Router();
    const error = unknownOption(() => router.register('echo', echo, { priority: 1 } as never));
    expect(error.option).toBe('priority');
    expect(error.suggestion).toBeUndefined();
    expect(error.message).toContain('Known: weight, models.');
    expect(unknownOption(() => new CircuitBreaker({ cooldown: 5 } as never)).suggestion).toBe('cooldownMs');
  });

  it('leaves values it does not look into alone: class instances, arrays, functions, records', () => {
    class Catalog {
      extra = 1;
      find() {
        return undefined;
      }
    }
    const shape: OptionShape<{ catalog?: Catalog; list?: string[]; table?: Record<string, number> }> = {
      catalog: { extra: true, find: true },
      list: true,
      table: true,
    };
    expect(() =>
      checkOptions('test', { catalog: new Catalog(), list: ['a'], table: { anything: 1 } }, shape),
    ).not.toThrow();
    expect(() => checkOptions('test', undefined, shape)).not.toThrow();
  });

  it('checks options made without a prototype too', () => {
    const options = Object.assign(Object.create(null) as object, { backend: echo, middlewares: [] });
    expect(unknownOption(() => new Bridge(options as never)).suggestion).toBe('middleware');
  });
});

describe('Middleware', () => {
  it('is a value (an abstract class) that `implements` and `extends` both satisfy', async () => {
    class Upper implements Middleware {
      async execute(request: ChatRequest, next: NextFunction) {
        const last = request.messages.at(-1);
        const content = typeof last?.content === 'string' ? last.content.toUpperCase() : '';
        return next({ ...request, messages: [{ role: 'user', content }] });
      }
    }
    class Stamp extends Middleware {
      override readonly name = 'stamp';
      async execute(request: ChatRequest, next: NextFunction) {
        const reply = await next(request);
        return 'content' in reply ? { ...reply, metadata: { stamped: true } } : reply;
      }
    }
    expect(typeof Middleware).toBe('function');
    const bridge = new Bridge({ backend: echo }).use(new Stamp()).use(new Upper());
    const reply = await bridge.execute({ messages: [{ role: 'user', content: 'hi' }] });
    expect(reply.content).toEqual([{ type: 'text', text: 'echo: HI' }]);
    expect(reply.metadata).toEqual({ stamped: true });
    expect(bridge.middleware.map((m) => m.name)).toEqual(['stamp', undefined]);
  });
});
