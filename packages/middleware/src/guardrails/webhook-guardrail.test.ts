import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bridge } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuardrailCheck } from './guardrail.ts';
import { createGuardrailMiddleware } from './index.ts';
import { webhookGuardrail } from './webhook-guardrail.ts';

/** A moderation service on a real socket: its answer depends on the text it is sent. */
let server: Server;
let url: string;
const received: unknown[] = [];

beforeAll(async () => {
  server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const call = JSON.parse(body) as { text: string };
    received.push(call);
    const reply = (status: number, json: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(json));
    };
    if (call.text.includes('slow')) return setTimeout(() => reply(200, { verdict: 'pass' }), 1_000);
    if (call.text.includes('broken')) return reply(500, { error: 'oops' });
    if (call.text.includes('weird')) return reply(200, { verdict: 'maybe' });
    if (call.text.includes('forbidden')) return reply(200, { verdict: 'block', reason: 'forbidden word' });
    if (call.text.includes('iffy')) return reply(200, { verdict: 'flag', reason: 'iffy' });
    if (call.text.includes('name'))
      return reply(200, { verdict: 'rewrite', text: call.text.replace('Ann', '[NAME]') });
    reply(200, { verdict: 'pass' });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/check`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const check = (text: string): GuardrailCheck => ({
  phase: 'input',
  text,
  before: '',
  final: true,
  request: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] },
  keyId: 'team-a',
  signal: new AbortController().signal,
});

describe('webhookGuardrail', () => {
  it('posts { text, phase, model, key } and returns the service verdict', async () => {
    const guardrail = webhookGuardrail({ url });
    received.length = 0;
    expect(await guardrail.check(check('all good'))).toEqual({ verdict: 'pass' });
    expect(received).toEqual([{ text: 'all good', phase: 'input', model: 'gpt-4o-mini', key: 'team-a' }]);
    expect(await guardrail.check(check('a forbidden thing'))).toEqual({
      verdict: 'block',
      reason: 'forbidden word',
    });
    expect(await guardrail.check(check('iffy stuff'))).toEqual({ verdict: 'flag', reason: 'iffy' });
    expect(await guardrail.check(check('my name is Ann'))).toEqual({
      verdict: 'rewrite',
      text: 'my name is [NAME]',
    });
  });

  it('fails closed by default: a timeout, a 500 or a wrong answer blocks', async () => {
    const guardrail = webhookGuardrail({ url, timeoutMs: 100 });
    const started = performance.now();
    expect(await guardrail.check(check('slow one'))).toEqual({
      verdict: 'block',
      reason: 'webhook unavailable (no answer in 100 ms)',
    });
    expect(performance.now() - started).toBeLessThan(900);
    expect(await guardrail.check(check('broken'))).toMatchObject({ verdict: 'block', reason: /status 500/ });
    expect(await guardrail.check(check('weird'))).toMatchObject({ verdict: 'block', reason: /wrong shape/ });
  });

  it('fails open when configured: the text goes through, flagged', async () => {
    const guardrail = webhookGuardrail({ url, timeoutMs: 100, failOpen: true, name: 'acme-webhook' });
    expect(await guardrail.check(check('slow one'))).toEqual({
      verdict: 'flag',
      reason: 'acme-webhook unavailable (no answer in 100 ms), let through',
    });
    const closed = webhookGuardrail({ url: 'http://127.0.0.1:9/nothing', failOpen: true });
    expect(await closed.check(check('hi'))).toMatchObject({ verdict: 'flag', reason: /unreachable/ });
  });

  it('blocks a request through the middleware before the backend sees it', async () => {
    const backend = new MockBackend({ reply: { text: 'ok' } });
    const middleware = createGuardrailMiddleware({
      guardrails: [webhookGuardrail({ url, phases: ['input'] })],
    });
    const bridge = new Bridge({ backend, middleware: [middleware] });
    await expect(
      bridge.execute({ messages: [{ role: 'user', content: 'something forbidden' }] }),
    ).rejects.toMatchObject({ message: 'The request was blocked by guardrail webhook: forbidden word' });
    expect(backend.calls).toHaveLength(0);
  });
});
