import { request as httpRequest } from 'node:http';
import { anthropicMessages } from 'ai.matey.wire';
import { describe, expect, it } from 'vitest';
import { MockUpstream, startMockUpstream } from './mock-upstream.ts';
import type { MockReplyContext } from './mock-upstream-reply.ts';
import { REDACTED } from './request-log.ts';
import { chatCall, parseSseText, sendChat } from './test-requests.ts';

describe('MockUpstream', () => {
  it('logs each request with secrets redacted, the parsed body and the decoded spec request', async () => {
    await using upstream = await startMockUpstream();
    await sendChat(upstream.url, 'anthropic-messages', {
      text: 'first',
      headers: { 'x-api-key': 'sk-ant-secret', 'anthropic-version': '2023-06-01' },
    });
    await sendChat(upstream.url, 'openai-chat', { headers: { authorization: 'Bearer sk-secret-1' } }).catch(
      () => {},
    );
    const gemini = chatCall('gemini');
    await fetch(`${upstream.url}${gemini.path}?key=AIza-secret&x=1`, {
      method: 'POST',
      headers: { 'x-goog-api-key': 'AIza-secret-2' },
      body: JSON.stringify(gemini.body),
    });
    const [anthropic, openai, google] = upstream.requests;
    expect(anthropic).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      protocol: 'anthropic-messages',
      model: 'claude-sonnet-4-5',
      stream: false,
      callIndex: 0,
      status: 200,
      clientAborted: false,
      body: { model: 'claude-sonnet-4-5', max_tokens: 256 },
      request: { messages: [{ role: 'user', content: 'first' }], maxOutputTokens: 256 },
    });
    expect(anthropic?.headers['x-api-key']).toBe(REDACTED);
    expect(anthropic?.headers['anthropic-version']).toBe('2023-06-01');
    expect(anthropic?.time).toBeLessThanOrEqual(anthropic?.completedAt ?? 0);
    expect(openai?.headers.authorization).toBe(REDACTED);
    expect(google?.path).toBe(`${gemini.path}?key=${REDACTED}&x=1`);
    expect(google?.headers['x-goog-api-key']).toBe(REDACTED);
    expect(JSON.stringify(upstream.requests)).not.toMatch(/secret/);
  });

  it('gives reply functions the decoded request and call context; queued replies go first', async () => {
    const contexts: MockReplyContext[] = [];
    await using upstream = await startMockUpstream({
      replies: [{ text: 'queued' }],
      reply: (request, context) => {
        contexts.push(context);
        const last = request.messages.at(-1);
        return { text: `fn ${context.callIndex} ${typeof last?.content === 'string' ? last.content : ''}` };
      },
    });
    upstream.enqueue({ text: 'queued later' });
    const texts: string[] = [];
    for (const text of ['a', 'b', 'c']) {
      const res = await sendChat(upstream.url, 'anthropic-messages', { text });
      texts.push(
        anthropicMessages
          .decodeResponse(JSON.parse(res.text), { provider: 'anthropic' })
          .content.map((part) => (part.type === 'text' ? part.text : ''))
          .join(''),
      );
    }
    expect(texts).toEqual(['queued', 'queued later', 'fn 2 c']);
    expect(contexts).toEqual([
      expect.objectContaining({
        protocol: 'anthropic-messages',
        model: 'claude-sonnet-4-5',
        stream: false,
        callIndex: 2,
      }),
    ]);
    expect(contexts[0]?.headers['x-api-key']).toBe('test-key');
  });

  it('echoes the last user message by default and splits it into chunkCount deltas', async () => {
    await using upstream = await startMockUpstream();
    const plain = await sendChat(upstream.url, 'anthropic-messages', { text: 'ping' });
    expect(JSON.parse(plain.text).content).toEqual([
      expect.objectContaining({ type: 'text', text: 'Echo: ping' }),
    ]);
    upstream.setReply({ chunkCount: 40 });
    const streamed = await sendChat(upstream.url, 'anthropic-messages', { stream: true, text: 'ping' });
    const decoder = anthropicMessages.createStreamDecoder({ provider: 'anthropic' });
    const deltas = parseSseText(streamed.text)
      .flatMap((event) => decoder.push(event))
      .filter((event) => event.type === 'text-delta');
    expect(deltas).toHaveLength(40);
  });

  it('marks a request whose client went away before the reply ended', async () => {
    await using upstream = await startMockUpstream({ reply: { text: 'a b c d e f g h', chunkDelayMs: 200 } });
    const call = chatCall('anthropic-messages', { stream: true });
    const req = httpRequest(`${upstream.url}${call.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...call.headers },
    });
    req.on('error', () => {});
    const firstBytes = new Promise<void>((resolve) =>
      req.on('response', (res) => res.once('data', () => resolve())),
    );
    req.end(JSON.stringify(call.body));
    await firstBytes;
    const closedAt = Date.now();
    req.destroy();
    const aborted = await upstream.waitForClientAbort(2000);
    expect(aborted.clientAborted).toBe(true);
    expect(aborted.clientAbortedAt).toBeGreaterThanOrEqual(closedAt);
    expect(aborted.completedAt).toBeUndefined();

    // Also while the mock is still waiting to answer (before any header).
    upstream.reset();
    upstream.setReply({ latencyMs: 10_000 });
    const waiting = sendChat(upstream.url, 'anthropic-messages', { headers: {} });
    const controller = new AbortController();
    const call2 = chatCall('gemini');
    const pending = fetch(upstream.url + call2.path, {
      method: 'POST',
      body: JSON.stringify(call2.body),
      signal: controller.signal,
    });
    await upstream.waitForRequests(2);
    controller.abort();
    await expect(pending).rejects.toThrow();
    const seen = await upstream.waitForClientAbort(2000);
    expect(seen.protocol).toBe('gemini');
    await upstream.close();
    await expect(waiting).rejects.toThrow();
  });

  it('waits for requests, and says how many arrived when they do not', async () => {
    await using upstream = await startMockUpstream();
    const waiting = upstream.waitForRequests(2, 2000);
    await sendChat(upstream.url, 'gemini');
    await sendChat(upstream.url, 'gemini', { stream: true });
    expect((await waiting).map((entry) => entry.stream)).toEqual([false, true]);
    await expect(upstream.waitForRequests(3, 50)).rejects.toThrow(/2 of 3/);
    upstream.reset();
    expect(upstream.requests).toHaveLength(0);
    await sendChat(upstream.url, 'gemini');
    expect(upstream.requests[0]?.callIndex).toBe(0);
  });

  it('checks API keys wherever each provider sends them', async () => {
    await using upstream = await startMockUpstream({ apiKeys: ['good-key'] });
    const bad = await sendChat(upstream.url, 'anthropic-messages', { headers: { 'x-api-key': 'bad-key' } });
    expect(bad.status).toBe(401);
    expect(JSON.parse(bad.text)).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(bad.text).not.toContain('bad-key');
    expect(
      (await sendChat(upstream.url, 'anthropic-messages', { headers: { 'x-api-key': 'good-key' } })).status,
    ).toBe(200);
    expect(
      (await sendChat(upstream.url, 'gemini', { headers: { 'x-goog-api-key': 'good-key' } })).status,
    ).toBe(200);
    const call = chatCall('gemini');
    const byQuery = await fetch(`${upstream.url}${call.path}?key=good-key`, {
      method: 'POST',
      body: JSON.stringify(call.body),
    });
    expect(byQuery.status).toBe(200);
    const models = await fetch(`${upstream.url}/v1beta/models`, { headers: { 'x-goog-api-key': 'nope' } });
    expect(models.status).toBe(401);
  });

  it('answers 404 for unknown routes and 400 in the provider format for bodies it cannot read', async () => {
    await using upstream = await startMockUpstream();
    expect((await fetch(`${upstream.url}/v2/unknown`, { method: 'POST', body: '{}' })).status).toBe(404);
    const res = await fetch(`${upstream.url}/v1/messages`, { method: 'POST', body: '{not json' });
    expect(res.status).toBe(400);
    expect(anthropicMessages.decodeError(400, await res.json()).kind).toBe('invalid-request');
    expect(upstream.requests[1]?.body).toBe('{not json');
  });

  it('closes on `await using`, and close() drops in-flight replies', async () => {
    let url = '';
    let pending: Promise<unknown> | undefined;
    {
      await using upstream = await startMockUpstream({ reply: { hangMs: 60_000 } });
      url = upstream.url;
      pending = sendChat(url, 'gemini');
      await upstream.waitForRequests(1);
    }
    await expect(pending).rejects.toThrow();
    await expect(fetch(`${url}/v1beta/models`)).rejects.toThrow();
  });

  it('listens on a fixed port when asked, and says so before listen()', async () => {
    const probe = await startMockUpstream();
    const port = probe.port;
    await probe.close();
    await using fixed = await startMockUpstream({ port });
    expect(fixed.url).toBe(`http://127.0.0.1:${port}`);
    expect(() => new MockUpstream().url).toThrow(/listen/);
  });
});
