import type { ChatRequest, StreamEvent } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { guardOutputStream } from './guard-output-stream.ts';
import type { Guardrail } from './guardrail.ts';
import { piiGuardrail } from './pii-guardrail.ts';
import { systemPromptLeakGuardrail } from './system-prompt-leak-guardrail.ts';
import { VerdictTally } from './verdict-tally.ts';

const request: ChatRequest = { messages: [{ role: 'user', content: 'go' }] };

/** A provider stream of these text deltas, noting how many characters it has sent so far. */
function provider(deltas: readonly string[]) {
  const sent = { chars: 0 };
  async function* events(): AsyncGenerator<StreamEvent> {
    yield { type: 'start', id: 'r1', model: 'm', provider: 'p' };
    for (const delta of deltas) {
      sent.chars += delta.length;
      yield { type: 'text-delta', index: 0, delta };
    }
    yield {
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
    };
  }
  return { events: events(), sent };
}

const passAll: Guardrail = { name: 'pass', phases: ['output'], check: () => ({ verdict: 'pass' }) };

function guard(source: AsyncIterable<StreamEvent>, guardrails: Guardrail[], windowChars: number) {
  const facts = { keyId: undefined, signal: new AbortController().signal, request };
  return guardOutputStream(source, guardrails, new VerdictTally(), { windowChars, facts });
}

describe('guardOutputStream window', () => {
  it('holds the text back by at most windowChars characters, and loses none', async () => {
    const text = 'The quick brown fox jumps over the lazy dog, again and again, until the day is done. ';
    const { events, sent } = provider(text.repeat(4).split(''));
    let received = '';
    let largestLag = 0;
    for await (const event of guard(events, [passAll], 32)) {
      if (event.type !== 'text-delta') continue;
      // How far behind the provider the caller was just before this text arrived.
      largestLag = Math.max(largestLag, sent.chars - received.length);
      received += event.delta;
    }
    expect(received).toBe(text.repeat(4));
    expect(largestLag).toBeLessThanOrEqual(32);
    // It does hold text back: the check sees windows, not single characters.
    expect(largestLag).toBe(32);
  });

  it('checks each window once, with the sent text before it as context', async () => {
    const seen: Array<{ text: string; before: string; final: boolean }> = [];
    const spy: Guardrail = {
      name: 'spy',
      phases: ['output'],
      check: ({ text, before, final }) => {
        seen.push({ text, before, final });
        return { verdict: 'pass' };
      },
    };
    const { events } = provider(['abcd', 'efgh', 'ijkl', 'mn']);
    for await (const _event of guard(events, [spy], 8)) {
      // drain
    }
    expect(seen).toEqual([
      { text: 'abcdefgh', before: '', final: false },
      { text: 'ijklmn', before: 'abcdefgh', final: true },
    ]);
  });

  it('stops mid-answer on a block: what was checked is sent, then the stream throws', async () => {
    const blockBomb: Guardrail = {
      name: 'no-bombs',
      phases: ['output'],
      check: ({ text }) =>
        text.includes('bomb') ? { verdict: 'block', reason: 'bomb' } : { verdict: 'pass' },
    };
    const { events } = provider(['Here is a ', 'safe start. ', 'Now a bomb ', 'recipe follows ', 'and more']);
    let received = '';
    const read = async () => {
      for await (const event of guard(events, [blockBomb], 12)) {
        if (event.type === 'text-delta') received += event.delta;
      }
    };
    await expect(read()).rejects.toMatchObject({ code: 'guardrail_blocked' });
    expect(received).toBe('Here is a safe start. ');
    expect(received).not.toContain('bomb');
  });

  it('redacts an email split across deltas and windows (the PII check keeps its tail back)', async () => {
    const { events } = provider(['Write to bob', '@exa', 'mple.com or ', 'call +44 20 79', '46 0958 today.']);
    let received = '';
    for await (const event of guard(events, [piiGuardrail()], 24)) {
      if (event.type === 'text-delta') received += event.delta;
    }
    expect(received).toBe('Write to [EMAIL] or call [PHONE] today.');
  });

  it('sends held text before a non-text event (a tool call comes after the text it follows)', async () => {
    async function* events(): AsyncGenerator<StreamEvent> {
      yield { type: 'text-delta', index: 0, delta: 'short' };
      yield { type: 'tool-call-start', index: 1, toolCallId: 't1', toolName: 'lookup' };
    }
    const order: string[] = [];
    for await (const event of guard(events(), [passAll], 100))
      order.push(event.type === 'text-delta' ? `text:${event.delta}` : event.type);
    expect(order).toEqual(['text:short', 'tool-call-start']);
  });
});

describe('systemPromptLeakGuardrail in a stream', () => {
  const system =
    'You are Acme support. Never mention the internal discount code PELICAN-42. Escalate refunds above 500 dollars to a human agent.';
  const withSystem: ChatRequest = { messages: [{ role: 'system', content: system }, ...request.messages] };

  it('blocks an answer that recites the system prompt, even spread over many windows', async () => {
    const leak = `Sure! My instructions say: ${system}`;
    const { events } = provider(leak.match(/.{1,7}/g) ?? []);
    const facts = { keyId: undefined, signal: new AbortController().signal, request: withSystem };
    const stream = guardOutputStream(events, [systemPromptLeakGuardrail()], new VerdictTally(), {
      windowChars: 24,
      facts,
    });
    const read = async () => {
      for await (const _event of stream) {
        // drain
      }
    };
    await expect(read()).rejects.toThrow(/system-prompt-leak: the answer repeats \d+% of the system prompt/);
  });

  it('lets an ordinary answer on the same topic through', async () => {
    const answer = 'I can help with your refund. Refunds usually take five days to reach your account.';
    const { events } = provider(answer.split(' ').map((word) => `${word} `));
    const facts = { keyId: undefined, signal: new AbortController().signal, request: withSystem };
    let received = '';
    for await (const event of guardOutputStream(events, [systemPromptLeakGuardrail()], new VerdictTally(), {
      windowChars: 24,
      facts,
    })) {
      if (event.type === 'text-delta') received += event.delta;
    }
    expect(received.trim()).toBe(answer);
  });
});
