import { AiMateyError, Bridge, type StreamEvent } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { createRedactionMiddleware, type RedactionReport, Redactor } from './index.ts';
import { heldFrom } from './redact-stream.ts';

const redactor = new Redactor();
const redact = (text: string) => redactor.redact(text).text;

describe('Redactor', () => {
  it('redacts emails', () => {
    expect(redact('write to jane.doe+work@mail.example.co.uk today')).toBe('write to [EMAIL] today');
  });

  it('redacts international and US phone numbers', () => {
    expect(redact('London +44 20 7946 0958, NYC (212) 555-0123, SF 415-555-2671, US +1 415 555 2671')).toBe(
      'London [PHONE], NYC [PHONE], SF [PHONE], US [PHONE]',
    );
  });

  it('leaves dates, versions and short numbers alone', () => {
    const text = 'On 2024-01-15 we shipped v1.2.3 to 150 users, build 20240115123045, room 101-555.';
    expect(redact(text)).toBe(text);
  });

  it('redacts only Luhn-valid card numbers of 13 to 19 digits', () => {
    expect(redact('card 4111 1111 1111 1111 ok')).toBe('card [CARD] ok');
    expect(redact('card 4111-1111-1111-1111')).toBe('card [CARD]');
    expect(redact('amex 378282246310005, visa13 4222222222222')).toBe('amex [CARD], visa13 [CARD]');
    // One digit off: fails the Luhn check, so it is not a card (and not anything else).
    expect(redact('ref 4111 1111 1111 1112')).toBe('ref 4111 1111 1111 1112');
    // A card next to another number in the same digit run is still found.
    expect(redact('order 12 4111 1111 1111 1111')).toBe('order 12 [CARD]');
    // 20 digits in one piece: no card has that many.
    expect(redact('tracking 41111111111111111111')).toBe('tracking 41111111111111111111');
  });

  it('redacts US SSNs except in the ranges never issued', () => {
    expect(redact('ssn 123-45-6789')).toBe('ssn [SSN]');
    expect(redact('ssn 123 45 6789')).toBe('ssn [SSN]');
    for (const invalid of [
      '000-12-3456',
      '666-12-3456',
      '912-34-5678',
      '123-00-4567',
      '123-45-0000',
      '078-05-1120',
    ])
      expect(redact(`id ${invalid}`)).toBe(`id ${invalid}`);
  });

  it('redacts UK National Insurance numbers and IBANs that pass their checks', () => {
    expect(redact('NI AB 12 34 56 C and AB123456C')).toBe('NI [NINO] and [NINO]');
    // QQ is a placeholder prefix never issued; BG is excluded.
    expect(redact('NI QQ123456C BG123456A')).toBe('NI QQ123456C BG123456A');
    expect(redact('pay GB82 WEST 1234 5698 7654 32 now')).toBe('pay [IBAN] now');
    expect(redact('pay GB82 WEST 1234 5698 7654 33 now')).toBe('pay GB82 WEST 1234 5698 7654 33 now');
  });

  it('redacts IPv4 addresses only when asked, and takes custom patterns', () => {
    expect(redact('host 192.168.1.20')).toBe('host 192.168.1.20');
    const custom = new Redactor({
      categories: ['ipv4'],
      customPatterns: [{ name: 'employee-id', pattern: /\bEMP-\d{6}\b/ }],
      replacements: { ipv4: '<ip>' },
    });
    expect(custom.redact('EMP-123456 on 192.168.1.20 and 10.0.0.1')).toEqual({
      text: '[EMPLOYEE_ID] on <ip> and <ip>',
      counts: { ipv4: 2, 'employee-id': 1 },
    });
  });
});

describe('heldFrom', () => {
  it('holds back only what could still grow into personal data', () => {
    expect('Hello there, my mail is bob@exa'.slice(heldFrom('Hello there, my mail is bob@exa'))).toBe(
      'bob@exa',
    );
    expect('call +44 20 79'.slice(heldFrom('call +44 20 79'))).toBe('+44 20 79');
    expect('Hello world. '.slice(heldFrom('Hello world. '))).toBe('');
  });
});

describe('redaction middleware', () => {
  const user = (content: string) => ({ role: 'user' as const, content });

  it('sends the backend redacted messages and reports counts on the response', async () => {
    const backend = new MockBackend({ reply: { text: 'noted' } });
    const bridge = new Bridge({ backend, middleware: [createRedactionMiddleware()] });

    const response = await bridge.execute({
      messages: [
        { role: 'system', content: 'Support bot. Escalate to help@company.example.' },
        user('I am bob@example.com, call 415-555-2671, card 4111 1111 1111 1111'),
        {
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: 't1', content: 'customer ssn 123-45-6789' }],
        },
      ],
    });

    const sent = JSON.stringify(backend.calls[0]?.messages);
    expect(sent).toContain('I am [EMAIL], call [PHONE], card [CARD]');
    expect(sent).toContain('customer ssn [SSN]');
    // The system message is the application's own text: left as written.
    expect(sent).toContain('Escalate to help@company.example.');
    expect(sent).not.toMatch(/bob@example\.com|555-2671|4111|6789/);
    expect(response.metadata?.redactions).toEqual({ request: { email: 1, card: 1, ssn: 1, phone: 1 } });
  });

  it('refuses a request holding personal data in reject mode, without sending it', async () => {
    const backend = new MockBackend();
    const bridge = new Bridge({ backend, middleware: [createRedactionMiddleware({ action: 'reject' })] });

    const error = await bridge
      .execute({ messages: [user('hello'), user('my ssn is 123-45-6789')] })
      .catch((e: unknown) => e);

    expect(AiMateyError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'invalid-request', code: 'pii_detected', param: 'messages[1]' });
    expect((error as Error).message).not.toContain('6789');
    expect(backend.calls).toHaveLength(0);
  });

  it('redacts a streamed reply whose email and card straddle deltas, still streaming', async () => {
    const text = 'Sure! Contact alice.smith@example.org or pay with 4111 1111 1111 1111. Thanks.';
    const backend = new MockBackend({ reply: { text, chunkSize: 4 } });
    let report: RedactionReport | undefined;
    const bridge = new Bridge({
      backend,
      middleware: [
        async (request, next, context) => {
          const reply = await next(request);
          report = context.state.get('redactions') as RedactionReport;
          return reply;
        },
        createRedactionMiddleware({ redactResponses: true }),
      ],
    });

    const deltas: string[] = [];
    const events: StreamEvent[] = [];
    for await (const event of bridge.stream({ messages: [user('how do I reach you?')] })) {
      events.push(event);
      if (event.type === 'text-delta') deltas.push(event.delta);
    }

    expect(deltas.join('')).toBe('Sure! Contact [EMAIL] or pay with [CARD]. Thanks.');
    expect(deltas.length).toBeGreaterThan(5);
    for (const delta of deltas) expect(delta).not.toMatch(/@|alice|smith|1111/);
    expect(events.at(-1)?.type).toBe('finish');
    expect(report).toEqual({ request: {}, response: { email: 1, card: 1 } });
  });

  it('redacts the reply of an execute call when asked', async () => {
    const backend = new MockBackend({ reply: { text: 'Her number is +44 20 7946 0958.' } });
    const bridge = new Bridge({
      backend,
      middleware: [createRedactionMiddleware({ redactResponses: true })],
    });
    const response = await bridge.execute({ messages: [user('number?')] });
    expect(response.content).toEqual([{ type: 'text', text: 'Her number is [PHONE].' }]);
    expect(response.metadata?.redactions).toEqual({ request: {}, response: { phone: 1 } });
  });
});
