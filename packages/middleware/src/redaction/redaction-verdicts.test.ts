import { Bridge } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import type { GuardrailVerdictEvent } from '../guardrails/index.ts';
import { createRedactionMiddleware } from './index.ts';

const user = (content: string) => ({ role: 'user' as const, content });
const brief = (events: GuardrailVerdictEvent[]) =>
  events.map(({ guardrail, phase, verdict, reason }) => ({ guardrail, phase, verdict, reason }));

describe('redaction verdicts (onVerdict)', () => {
  it('reports a rewrite of the input and a pass of the output, naming categories but never the data', async () => {
    const events: GuardrailVerdictEvent[] = [];
    const bridge = new Bridge({
      backend: new MockBackend({ reply: { text: 'noted' } }),
      middleware: [createRedactionMiddleware({ redactResponses: true, onVerdict: (e) => events.push(e) })],
    });
    await bridge.execute({
      model: 'gpt-4o-mini',
      messages: [user('I am bob@example.com')],
      metadata: { apiKeyId: 'team-a' },
    });
    expect(brief(events)).toEqual([
      { guardrail: 'pii-redaction', phase: 'input', verdict: 'rewrite', reason: 'personal data (email x1)' },
      { guardrail: 'pii-redaction', phase: 'output', verdict: 'pass', reason: undefined },
    ]);
    expect(events[0]).toMatchObject({ model: 'gpt-4o-mini', keyId: 'team-a', requestId: expect.any(String) });
    expect(JSON.stringify(events)).not.toContain('bob@');
  });

  it('reports a clean input as pass, and no output verdict when replies are not redacted', async () => {
    const events: GuardrailVerdictEvent[] = [];
    const bridge = new Bridge({
      backend: new MockBackend({ reply: { text: 'write to alice@example.org' } }),
      middleware: [createRedactionMiddleware({ onVerdict: (e) => events.push(e) })],
    });
    await bridge.execute({ messages: [user('hello')] });
    expect(brief(events)).toEqual([
      { guardrail: 'pii-redaction', phase: 'input', verdict: 'pass', reason: undefined },
    ]);
  });

  it("reports a streamed reply's rewrite once the stream ends", async () => {
    const events: GuardrailVerdictEvent[] = [];
    const bridge = new Bridge({
      backend: new MockBackend({ reply: { text: 'Call +44 20 7946 0958 now.', chunkSize: 3 } }),
      middleware: [createRedactionMiddleware({ redactResponses: true, onVerdict: (e) => events.push(e) })],
    });
    const stream = bridge.stream({ messages: [user('number?')] });
    let text = '';
    for await (const event of stream) {
      if (event.type === 'text-delta') text += event.delta;
      if (event.type === 'text-delta') expect(events.map((e) => e.phase)).toEqual(['input']);
    }
    expect(text).toBe('Call [PHONE] now.');
    expect(brief(events).at(-1)).toEqual({
      guardrail: 'pii-redaction',
      phase: 'output',
      verdict: 'rewrite',
      reason: 'personal data (phone x1)',
    });
  });

  it('reports a refusal in reject mode as block, and an observer that throws changes nothing', async () => {
    const events: GuardrailVerdictEvent[] = [];
    const bridge = new Bridge({
      backend: new MockBackend(),
      middleware: [
        createRedactionMiddleware({
          action: 'reject',
          onVerdict: (event) => {
            events.push(event);
            throw new Error('observer down');
          },
        }),
      ],
    });
    const error = await bridge.execute({ messages: [user('ssn 123-45-6789')] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'pii_detected' });
    expect(brief(events)).toEqual([
      { guardrail: 'pii-redaction', phase: 'input', verdict: 'block', reason: 'personal data (ssn x1)' },
    ]);
  });
});
