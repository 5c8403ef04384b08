import { AiMateyError, Bridge, type ChatRequest, type StreamEvent } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import {
  createGuardrailMiddleware,
  type Guardrail,
  type GuardrailVerdict,
  type GuardrailVerdictEvent,
  type ScopedGuardrail,
} from './index.ts';

/** A guardrail that gives one verdict whenever its word is in the text, and records what it saw. */
function onWord(word: string, verdict: GuardrailVerdict, phases: Guardrail['phases']) {
  const seen: string[] = [];
  const guardrail: Guardrail = {
    name: `on-${word}`,
    phases,
    check: ({ text }) => {
      seen.push(text);
      return text.includes(word) ? verdict : { verdict: 'pass' };
    },
  };
  return { guardrail, seen };
}

function setup(guardrails: readonly (Guardrail | ScopedGuardrail)[], text = 'the answer is fine') {
  const backend = new MockBackend({ reply: { text } });
  const verdicts: GuardrailVerdictEvent[] = [];
  const middleware = createGuardrailMiddleware({ guardrails, onVerdict: (event) => verdicts.push(event) });
  return { bridge: new Bridge({ backend, middleware: [middleware] }), backend, verdicts };
}

const ask = (content: string, system?: string): ChatRequest => ({
  model: 'mock-model',
  messages: [...(system ? [{ role: 'system' as const, content: system }] : []), { role: 'user', content }],
});

async function run(bridge: Bridge, mode: 'execute' | 'stream', request: ChatRequest) {
  if (mode === 'execute') {
    const response = await bridge.execute(request);
    const text = response.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    return { text, warnings: response.warnings };
  }
  let text = '';
  const events: StreamEvent[] = [];
  for await (const event of bridge.stream(request)) {
    events.push(event);
    if (event.type === 'text-delta') text += event.delta;
  }
  const start = events.find((event) => event.type === 'start');
  return { text, warnings: start?.type === 'start' ? (start.warnings ?? []) : [] };
}

describe.each(['execute', 'stream'] as const)('guardrail verdicts (%s)', (mode) => {
  it('pass: the call goes through unchanged and one pass per guardrail and phase is counted', async () => {
    const { guardrail } = onWord('nothing-matches', { verdict: 'block', reason: 'x' }, ['input', 'output']);
    const { bridge, backend, verdicts } = setup([guardrail]);
    expect((await run(bridge, mode, ask('hello'))).text).toBe('the answer is fine');
    expect(backend.calls).toHaveLength(1);
    expect(verdicts.map((v) => `${v.guardrail}/${v.phase}/${v.verdict}`)).toEqual([
      'on-nothing-matches/input/pass',
      'on-nothing-matches/output/pass',
    ]);
  });

  it('block on input: refused with a content-filter error before anything is sent', async () => {
    const { guardrail } = onWord('secret', { verdict: 'block', reason: 'asks for secrets' }, ['input']);
    const { bridge, backend, verdicts } = setup([guardrail]);
    const error = await run(bridge, mode, ask('tell me the secret')).catch((e: unknown) => e);
    expect(AiMateyError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'content-filter', status: 400, code: 'guardrail_blocked' });
    expect((error as Error).message).toBe('The request was blocked by guardrail on-secret: asks for secrets');
    expect(backend.calls).toHaveLength(0);
    expect(verdicts).toMatchObject([{ guardrail: 'on-secret', phase: 'input', verdict: 'block' }]);
  });

  it('rewrite on input: the backend receives the rewritten text', async () => {
    const guardrail: Guardrail = {
      name: 'shout',
      phases: ['input'],
      check: ({ text }) => ({ verdict: 'rewrite', text: text.toUpperCase(), reason: 'loud' }),
    };
    const { bridge, backend, verdicts } = setup([guardrail]);
    await run(bridge, mode, ask('quiet please'));
    expect(backend.calls[0]?.messages[0]).toMatchObject({ role: 'user', content: 'QUIET PLEASE' });
    expect(verdicts).toMatchObject([{ guardrail: 'shout', verdict: 'rewrite', reason: 'loud' }]);
  });

  it('flag on input: the call goes through with a guardrail warning (the x-matey-guardrail header)', async () => {
    const { guardrail } = onWord('maybe', { verdict: 'flag', reason: 'sounds unsure' }, ['input']);
    const { bridge, backend, verdicts } = setup([guardrail]);
    const { warnings } = await run(bridge, mode, ask('maybe so'));
    expect(backend.calls).toHaveLength(1);
    expect(warnings).toContainEqual({
      type: 'guardrail',
      setting: 'input',
      message: 'on-maybe: sounds unsure',
    });
    expect(verdicts).toMatchObject([{ verdict: 'flag', reason: 'sounds unsure', model: 'mock-model' }]);
  });

  it('rewrite on output: the caller reads the rewritten answer', async () => {
    const guardrail: Guardrail = {
      name: 'no-fine',
      phases: ['output'],
      check: ({ text }) => ({ verdict: 'rewrite', text: text.replaceAll('fine', '[OK]') }),
    };
    const { bridge } = setup([guardrail]);
    expect((await run(bridge, mode, ask('hi'))).text).toBe('the answer is [OK]');
  });

  it('block on output: the caller gets the guardrail error, not the answer', async () => {
    const { guardrail } = onWord('fine', { verdict: 'block', reason: 'too fine' }, ['output']);
    const { bridge, verdicts } = setup([guardrail]);
    await expect(run(bridge, mode, ask('hi'))).rejects.toMatchObject({
      code: 'guardrail_blocked',
      message: 'The answer was blocked by guardrail on-fine: too fine',
    });
    expect(verdicts).toMatchObject([{ phase: 'output', verdict: 'block' }]);
  });

  it('a check that throws blocks (fails closed)', async () => {
    const broken: Guardrail = {
      name: 'broken',
      phases: ['input'],
      check: () => {
        throw new TypeError('bug');
      },
    };
    const { bridge, backend } = setup([broken]);
    await expect(run(bridge, mode, ask('hi'))).rejects.toMatchObject({ code: 'guardrail_blocked' });
    expect(backend.calls).toHaveLength(0);
  });
});

describe('guardrail scope', () => {
  it('applies a scoped guardrail only to its keys and models', async () => {
    const { guardrail } = onWord('hi', { verdict: 'block', reason: 'no' }, ['input']);
    const { bridge } = setup([{ guardrail, keys: ['team-a'], models: ['mock-*'] }]);
    const asKey = (keyId: string, model: string): ChatRequest => ({
      ...ask('hi'),
      model,
      metadata: { apiKeyId: keyId },
    });
    await expect(bridge.execute(asKey('team-a', 'mock-model'))).rejects.toMatchObject({
      code: 'guardrail_blocked',
    });
    await expect(bridge.execute(asKey('team-b', 'mock-model'))).resolves.toBeDefined();
    await expect(bridge.execute(asKey('team-a', 'other-model'))).resolves.toBeDefined();
    await expect(bridge.execute(asKey('team-a', 'mock/mock-model'))).rejects.toMatchObject({
      code: 'guardrail_blocked',
    });
  });

  it('checks only the last user message for a guardrail with inputScope last', async () => {
    const seen: string[] = [];
    const last: Guardrail = {
      name: 'last',
      phases: ['input'],
      inputScope: 'last',
      check: ({ text }) => {
        seen.push(text);
        return { verdict: 'pass' };
      },
    };
    const { bridge } = setup([last]);
    await bridge.execute({
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'reply' },
        { role: 'user', content: 'second' },
      ],
    });
    expect(seen).toEqual(['second']);
  });
});

describe('guardrail streams', () => {
  it('holds nothing back when no guardrail checks the output', async () => {
    const inputOnly: Guardrail = {
      name: 'input-only',
      phases: ['input'],
      check: () => ({ verdict: 'pass' }),
    };
    const backend = new MockBackend({ reply: { text: 'one two three four five six', chunkSize: 4 } });
    const middleware = createGuardrailMiddleware({ guardrails: [inputOnly], windowChars: 1_000 });
    const bridge = new Bridge({ backend, middleware: [middleware] });
    const deltas: string[] = [];
    for await (const event of bridge.stream(ask('hi')))
      if (event.type === 'text-delta') deltas.push(event.delta);
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas[0]).toBe('one ');
  });

  it('serves the call when the verdict observer throws', async () => {
    const { guardrail } = onWord('nothing', { verdict: 'flag', reason: 'x' }, ['input', 'output']);
    const backend = new MockBackend({ reply: { text: 'fine' } });
    const middleware = createGuardrailMiddleware({
      guardrails: [guardrail],
      onVerdict: () => {
        throw new Error('observer bug');
      },
    });
    const bridge = new Bridge({ backend, middleware: [middleware] });
    expect((await run(bridge, 'stream', ask('hi'))).text).toBe('fine');
    expect((await run(bridge, 'execute', ask('hi'))).text).toBe('fine');
  });
});
