import { Bridge, type StreamEvent } from 'ai.matey.core';
import { createGuardrailMiddleware } from 'ai.matey.middleware';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { acmeCodenameGuardrail } from './acme-codename-guardrail.ts';
import { createGuardrail } from './acme-plugin.ts';

describe('acmeCodenameGuardrail', () => {
  it('stops a streamed answer at the window that names a code name', async () => {
    const backend = new MockBackend({
      reply: { text: 'Our next launch is Project PELICAN, due in May.', chunkSize: 3 },
    });
    const guardrails = createGuardrailMiddleware({
      guardrails: [acmeCodenameGuardrail({ codenames: ['PELICAN'] })],
      windowChars: 16,
    });
    const bridge = new Bridge({ backend, middleware: [guardrails] });
    let text = '';
    const read = async () => {
      for await (const event of bridge.stream({ messages: [{ role: 'user', content: 'What is next?' }] }))
        if (event.type === 'text-delta') text += event.delta;
    };
    await expect(read()).rejects.toMatchObject({ code: 'guardrail_blocked' });
    expect(text).toBe('Our next launch is Project ');
  });

  it('rewrites a name split across deltas when asked to', async () => {
    const backend = new MockBackend({ reply: { text: 'HERON and PELICAN are late.', chunkSize: 2 } });
    const guardrails = createGuardrailMiddleware({
      guardrails: [acmeCodenameGuardrail({ codenames: ['PELICAN', 'HERON'], action: 'rewrite' })],
      windowChars: 8,
    });
    const events: StreamEvent[] = [];
    const bridge = new Bridge({ backend, middleware: [guardrails] });
    for await (const event of bridge.stream({ messages: [{ role: 'user', content: 'status?' }] }))
      events.push(event);
    const text = events.map((event) => (event.type === 'text-delta' ? event.delta : '')).join('');
    expect(text).toBe('[REDACTED] and [REDACTED] are late.');
  });
});

describe('createGuardrail (the plug-in entry)', () => {
  it('refuses options it cannot use, saying which', () => {
    expect(() => createGuardrail({})).toThrow('options.codenames must be a non-empty list of strings');
    expect(() => createGuardrail({ codenames: ['X'], action: 'shout' })).toThrow(
      "options.action must be 'block' or 'rewrite'",
    );
    expect(createGuardrail({ codenames: ['X'] }).name).toBe('acme-codenames');
  });
});
