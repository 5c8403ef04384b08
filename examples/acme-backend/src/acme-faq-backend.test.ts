import { Bridge, CancelledError, InvalidRequestError } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { AcmeFaqBackend } from './acme-faq-backend.ts';

const faq = new AcmeFaqBackend({ hours: 'We are open nine to five.', refund: 'Refunds take a week.' });
const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

describe('AcmeFaqBackend (a Backend without HTTP)', () => {
  it('answers from its table, the same through execute and stream', async () => {
    const bridge = new Bridge({ backend: faq });
    const reply = await bridge.execute(ask('What are your hours?'));
    expect(reply.content).toEqual([{ type: 'text', text: 'We are open nine to five.' }]);
    expect(reply).toMatchObject({ provider: 'acme', model: 'faq-1', finishReason: 'stop' });
    const deltas: string[] = [];
    for await (const event of bridge.stream(ask('refund please'))) {
      if (event.type === 'text-delta') deltas.push(event.delta);
    }
    expect(deltas).toEqual(['Refunds ', 'take ', 'a ', 'week.']);
  });

  it('stops when the caller aborts, and refuses what it cannot read with a typed error', async () => {
    const controller = new AbortController();
    const events = faq.stream(ask('hours'), { signal: controller.signal });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of events) {
        seen.push(event.type);
        if (event.type === 'text-delta') controller.abort();
      }
    })();
    await expect(reading).rejects.toBeInstanceOf(CancelledError);
    expect(seen).toEqual(['start', 'text-delta']);
    await expect(faq.execute({ messages: [{ role: 'system', content: 'x' }] })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });
});
