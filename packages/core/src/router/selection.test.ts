import { describe, expect, it } from 'vitest';
import { ModelNotFoundError } from '../errors/model-not-found-error.ts';
import type { ChatRequest } from '../spec/request.ts';
import { MockBackend } from '../test-support/mock-backend.ts';
import { fallbackCandidates } from './fallback-candidates.ts';
import { createRegistration, type Registration } from './registration.ts';
import { selectBackend } from './selection.ts';
import type { Strategy } from './strategies/index.ts';

const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'x' }],
  ...extra,
});

function registered(...names: string[]): Map<string, Registration> {
  return new Map(
    names.map((name) => [
      name,
      createRegistration(name, new MockBackend({ name, capabilities: { tools: name !== 'plain' } }), {}, {}),
    ]),
  );
}

/** A strategy that records the pool it was offered and picks its first entry. */
function firstOfPool(offered: string[][]): Strategy {
  return (_request, { pool }) => {
    offered.push(pool.map((r) => r.name));
    return { name: pool[0]?.name, reason: 'first of pool' };
  };
}

const base = {
  defaultBackend: undefined,
  modelMapping: undefined,
  catalog: undefined,
  customStrategy: undefined,
};

describe('selectBackend', () => {
  it('offers the strategy only backends that can serve the request, all of them when none can', () => {
    const registrations = registered('plain', 'tooled');
    const offered: string[][] = [];
    const tools: ChatRequest['tools'] = [{ name: 'f', inputSchema: { type: 'object' } }];
    const selection = selectBackend(ask({ tools }), firstOfPool(offered), { ...base, registrations });
    expect(selection.primary.name).toBe('tooled');
    expect(selection.allowFallback).toBe(true);
    selectBackend(ask(), firstOfPool(offered), { ...base, registrations: registered('plain') });
    expect(offered).toEqual([['tooled'], ['plain']]);
  });

  it('a provider/model prefix of a registered backend selects it, strips the prefix, and allows no fallback', () => {
    const registrations = registered('groq', 'openai');
    const selection = selectBackend(ask({ model: 'groq/groq/compound' }), firstOfPool([]), {
      ...base,
      registrations,
    });
    expect(selection).toMatchObject({
      reason: "model prefix 'groq/'",
      allowFallback: false,
      modelResolved: true,
    });
    expect(selection.primary.name).toBe('groq');
    expect(selection.request.model).toBe('groq/compound');
    const unprefixed = selectBackend(ask({ model: 'meta/llama' }), firstOfPool([]), {
      ...base,
      registrations,
    });
    expect(unprefixed).toMatchObject({ request: { model: 'meta/llama' }, modelResolved: false });
  });

  it('names the missing backend precisely', () => {
    const registrations = registered('a');
    expect(() =>
      selectBackend(ask({ metadata: { provider: 'b' } }), firstOfPool([]), { ...base, registrations }),
    ).toThrow(/No backend named 'b' is registered/);
    const none: Strategy = () => ({ name: undefined, reason: '' });
    expect(() => selectBackend(ask({ model: 'm' }), none, { ...base, registrations })).toThrow(
      ModelNotFoundError,
    );
  });
});

describe('fallbackCandidates', () => {
  it('yields the primary, then registered chain entries, swapping the model for backend/model entries', () => {
    const registrations = registered('a', 'b', 'c');
    const selection = selectBackend(ask({ model: 'm' }), () => ({ name: 'b', reason: 'test' }), {
      ...base,
      registrations,
    });
    const candidates = [
      ...fallbackCandidates(selection, ['b', 'missing', 'c/other-model', 'a'], registrations),
    ];
    expect(candidates.map((c) => [c.registration.name, c.request.model, c.modelResolved])).toEqual([
      ['b', 'm', false],
      ['c', 'other-model', true],
      ['a', 'm', false],
    ]);
  });

  it('yields only the primary when the request named its backend', () => {
    const registrations = registered('a', 'b');
    const selection = selectBackend(ask({ model: 'a/m' }), firstOfPool([]), { ...base, registrations });
    expect([...fallbackCandidates(selection, ['b'], registrations)]).toHaveLength(1);
  });
});
