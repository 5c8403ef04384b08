/**
 * What an error may tell a caller, who may read the gateway's state, and how long a hung
 * upstream may hold a caller (issue 11, item 18): no internal addresses or upstream HTML in
 * errors; `/metrics` and `/health/ready` behind a key when keys are configured; a deadline on the
 * whole call; an error event, not a bare cut, for streams still open when shutdown ends.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../test-gateway.ts';

let fleet: TestFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

function chat(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...body }),
  });
}

describe('error messages', () => {
  it('do not show the address of an upstream that refuses connections', async () => {
    fleet = await startTestFleet();
    const { port } = fleet.upstreams.openai;
    await fleet.upstreams.openai.close();
    for (const stream of [false, true]) {
      const response = await chat(fleet.url, { model: 'gpt-4o-mini', stream });
      const text = await response.text();
      expect(response.status).toBe(502);
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'connection_refused' } });
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain(String(port));
    }
  });

  it('do not pass on an upstream proxy page', async () => {
    fleet = await startTestFleet();
    const page = '<html><head><title>502</title></head><body>nginx/1.25 at 10.0.3.7:8443</body></html>';
    fleet.upstreams.anthropic.setReply({ frames: [page], status: 502 });
    const client = new Anthropic({ apiKey: 'unused', baseURL: fleet.url, maxRetries: 0 });
    const failure = await client.messages
      .create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    const message = (failure as InstanceType<typeof Anthropic.APIError>).message;
    expect(message).toMatch(/HTTP 502 with a body that is not JSON/);
    expect(message).not.toMatch(/html|nginx|10\.0\.3\.7/);
  });
});

describe('gateway state with keys configured', () => {
  it('needs a key for /metrics and /health/ready; /health/live stays open', async () => {
    fleet = await startTestFleet({ gateway: { keys: [{ id: 'ops', key: 'sk-ops-8f2a' }] } });
    const get = (path: string, key?: string) =>
      fetch(`${fleet?.url}${path}`, key ? { headers: { authorization: `Bearer ${key}` } } : {});
    for (const path of ['/metrics', '/health/ready']) {
      const refused = await get(path);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { type: 'authentication_error' } });
      expect((await get(path, 'sk-wrong')).status).toBe(401);
      expect((await get(path, 'sk-ops-8f2a')).status).toBe(200);
    }
    expect((await get('/health/live')).status).toBe(200);
  });

  it('leaves /metrics and /health/ready open when no keys are configured', async () => {
    fleet = await startTestFleet();
    expect((await fetch(`${fleet.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${fleet.url}/health/ready`)).status).toBe(200);
  });
});

describe('a hung upstream', () => {
  it('cannot hold a plain call past the request deadline', async () => {
    fleet = await startTestFleet({ gateway: { requestTimeoutMs: 500 } });
    fleet.upstreams.openai.setReply({ text: 'late', latencyMs: 10_000 });
    const started = Date.now();
    const response = await chat(fleet.url, { model: 'gpt-4o-mini' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ error: { code: 'request_timeout' } });
    expect((await fleet.upstreams.openai.waitForClientAbort()).clientAborted).toBe(true);
  });

  it('cannot hold a stream that never starts past the request deadline', async () => {
    fleet = await startTestFleet({ gateway: { requestTimeoutMs: 500 } });
    fleet.upstreams.anthropic.setReply({ text: 'late', latencyMs: 10_000 });
    const started = Date.now();
    const response = await chat(fleet.url, { model: 'claude-sonnet-4-5', stream: true });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ error: { code: 'request_timeout' } });
    expect((await fleet.upstreams.anthropic.waitForClientAbort()).clientAborted).toBe(true);
  });

  it('cannot keep a started stream open with keep-alive comments alone: it ends with an error event', async () => {
    fleet = await startTestFleet({ gateway: { streamIdleTimeoutMs: 600 } });
    // SSE comments every 100 ms: the socket is never idle, but no event comes.
    fleet.upstreams.anthropic.setReply({ text: 'first words', unending: 'trickle' });
    const started = Date.now();
    const response = await chat(fleet.url, { model: 'claude-sonnet-4-5', stream: true });
    const text = await response.text();
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(text).toContain('first');
    expect(text).toMatch(/"code":"stream_idle_timeout"/);
    expect((await fleet.upstreams.anthropic.waitForClientAbort()).clientAborted).toBe(true);
  });

  it('may stream for longer than the request deadline while events keep coming', async () => {
    fleet = await startTestFleet({ gateway: { requestTimeoutMs: 400, streamIdleTimeoutMs: 400 } });
    fleet.upstreams.openai.setReply({ text: 'a b c d e f g h', chunkCount: 8, chunkDelayMs: 100 });
    const response = await chat(fleet.url, { model: 'gpt-4o-mini', stream: true });
    const text = await response.text();
    expect(text).toContain('[DONE]');
    expect(text).not.toContain('timeout');
  });

  it('gets an error event in the caller format when shutdown ends, not a bare cut', async () => {
    fleet = await startTestFleet({ serve: { shutdownGraceMs: 200 } });
    fleet.upstreams.anthropic.setReply({ text: 'first words', unending: 'silent' });
    const client = new Anthropic({ apiKey: 'unused', baseURL: fleet.url, maxRetries: 0 });
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const outcome = (async () => {
      try {
        for await (const _event of stream) {
          // read until the end
        }
        return 'ended cleanly';
      } catch (error) {
        return error;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await fleet.running.close();
    const error = await outcome;
    // The SDK reads the error event as an APIError (a cut would be a connection error).
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(String((error as Error).message)).toMatch(/shutting down/);
    expect((await fleet.upstreams.anthropic.waitForClientAbort()).clientAborted).toBe(true);
  });
});
