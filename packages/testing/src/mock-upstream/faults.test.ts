import { request as httpRequest } from 'node:http';
import { readFixture } from 'ai.matey.fixtures';
import {
  anthropicMessages,
  type BuiltInWireProtocol,
  cohere,
  gemini,
  openaiChat,
  openaiResponses,
  type WireCodec,
} from 'ai.matey.wire';
import { describe, expect, it } from 'vitest';
import { startMockUpstream } from './mock-upstream.ts';
import type { MockErrorKind, MockUpstreamReply } from './mock-upstream-reply.ts';
import { chatCall, parseSseText, sendChat } from './test-requests.ts';

const codecs: Record<BuiltInWireProtocol, WireCodec> = {
  'openai-chat': openaiChat,
  'anthropic-messages': anthropicMessages,
  gemini,
  cohere,
  'openai-responses': openaiResponses,
};
const protocols = Object.keys(codecs) as BuiltInWireProtocol[];

/** Sends a call with node:http and reports what arrived before the connection ended, and how it ended. */
function rawCall(
  baseUrl: string,
  protocol: BuiltInWireProtocol,
  stream: boolean,
): Promise<{ status?: number; received: string; error?: string }> {
  const call = chatCall(protocol, { stream });
  return new Promise((resolve) => {
    let received = '';
    let status: number | undefined;
    const req = httpRequest(
      `${baseUrl}${call.path}`,
      { method: 'POST', headers: { 'content-type': 'application/json', ...call.headers } },
      (res) => {
        status = res.statusCode;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          received += chunk;
        });
        res.on('end', () => resolve({ status, received }));
        res.on('error', (error) => resolve({ status, received, error: error.message }));
      },
    );
    req.on('error', (error) =>
      resolve({ status, received, error: (error as NodeJS.ErrnoException).code ?? error.message }),
    );
    req.end(JSON.stringify(call.body));
  });
}

const streamFixtures: Record<BuiltInWireProtocol, string> = {
  'openai-chat': 'openai-text',
  'anthropic-messages': 'anthropic-text',
  gemini: 'google-stream-tool-call-arguments',
  cohere: 'cohere-chat/cohere-tool-call',
  'openai-responses': 'azure-text.1',
};

describe.each(protocols)('faults (%s)', (protocol) => {
  const codec = codecs[protocol];
  const kinds: Array<[MockErrorKind, number]> = [
    ['rate-limited', 429],
    ['overloaded', protocol === 'anthropic-messages' ? 529 : 503],
    ['authentication', 401],
    ['invalid-request', 400],
    ['context-length-exceeded', 400],
    ['model-not-found', 404],
    ['upstream-server', 500],
  ];

  it.each(kinds)(
    'answers %s with status %i and a body the codec reads back as that kind',
    async (kind, status) => {
      // Context-length errors are told apart by the provider's own wording, so keep the default message.
      const errorMessage = kind === 'context-length-exceeded' ? undefined : `mock ${kind}`;
      await using upstream = await startMockUpstream({ reply: { error: kind, errorMessage } });
      const res = await sendChat(upstream.url, protocol);
      expect(res.status).toBe(status);
      const error = codec.decodeError(res.status, JSON.parse(res.text), res.headers);
      expect(error.kind).toBe(kind);
      if (errorMessage) expect(error.message).toContain(errorMessage);
    },
  );

  it('sends retry-after (seconds) and retry-after-ms with a rate-limit error, streaming or not', async () => {
    await using upstream = await startMockUpstream({
      reply: { error: 'rate-limited', retryAfter: 7, retryAfterMs: 6500 },
    });
    for (const stream of [false, true]) {
      const res = await sendChat(upstream.url, protocol, { stream });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(res.headers.get('retry-after-ms')).toBe('6500');
      expect(codec.decodeError(429, JSON.parse(res.text), res.headers).retryAfterMs).toBe(6500);
    }
  });

  it('turns a bare status into the matching error', async () => {
    await using upstream = await startMockUpstream({ reply: { status: 503 } });
    const res = await sendChat(upstream.url, protocol);
    expect(res.status).toBe(503);
    expect(codec.decodeError(503, JSON.parse(res.text)).isRetryable).toBe(true);
  });

  it('resets the connection before any header', async () => {
    await using upstream = await startMockUpstream({ reply: { reset: 'before-headers' } });
    const result = await rawCall(upstream.url, protocol, true);
    expect(result.status).toBeUndefined();
    expect(result.error).toBe('ECONNRESET');
    expect(upstream.requests[0]?.clientAborted).toBe(false);
  });

  it('resets the connection right after the first SSE event', async () => {
    await using upstream = await startMockUpstream({ reply: { fixture: streamFixtures[protocol] } });
    upstream.enqueue(
      { reset: 'after-first-event' },
      { reset: 'after-first-event', fixture: streamFixtures[protocol] },
    );
    for (let i = 0; i < 2; i++) {
      const result = await rawCall(upstream.url, protocol, true);
      expect(result.status).toBe(200);
      expect(result.error).toBeDefined();
      expect(parseSseText(result.received)).toHaveLength(1);
    }
    // A non-streamed body is cut in the middle.
    upstream.enqueue({ reset: 'after-first-event' });
    const json = await rawCall(upstream.url, protocol, false);
    expect(json.error).toBeDefined();
    expect(() => JSON.parse(json.received)).toThrow();
  });

  it('cuts a stream cleanly after N events, without the terminator', async () => {
    const [folder, name] = streamFixtures[protocol].includes('/')
      ? (streamFixtures[protocol].split('/') as [string, string])
      : [protocol, streamFixtures[protocol]];
    const chunks = readFixture(folder, name).chunks ?? [];
    await using upstream = await startMockUpstream({
      reply: { fixture: streamFixtures[protocol], cutAfterEvents: 2 },
    });
    const res = await sendChat(upstream.url, protocol, { stream: true });
    expect(res.status).toBe(200);
    expect(parseSseText(res.text).map((event) => event.data)).toEqual(chunks.slice(0, 2));
    // A scripted stream: 3 events, none of them the protocol's end.
    upstream.setReply({ text: 'one two three four five six', cutAfterEvents: 3 });
    const scripted = parseSseText((await sendChat(upstream.url, protocol, { stream: true })).text);
    expect(scripted).toHaveLength(3);
    expect(scripted.map((event) => event.data)).not.toContain('[DONE]');
    expect(scripted.map((event) => event.event)).not.toContain('message_stop');
    expect(scripted.map((event) => event.data).join('')).not.toMatch(/finish_reason":"stop|"STOP"/);
  });

  it('sends a garbage event in a stream, and a JSON body that does not parse', async () => {
    await using upstream = await startMockUpstream({ reply: { malformed: true } });
    const events = parseSseText((await sendChat(upstream.url, protocol, { stream: true })).text);
    const broken = events.filter((event) => {
      try {
        JSON.parse(event.data);
        return false;
      } catch {
        return event.data !== '[DONE]';
      }
    });
    expect(broken).toHaveLength(1);
    expect(events.indexOf(broken[0] as (typeof events)[number])).toBe(1);
    const json = await sendChat(upstream.url, protocol);
    expect(json.status).toBe(200);
    expect(() => JSON.parse(json.text)).toThrow();
  });

  it('sends the in-band error event after N events of a 200 stream', async () => {
    const replies: MockUpstreamReply[] = [
      { text: 'alpha beta gamma delta', errorEventAfter: 2, error: 'rate-limited' },
      // No kind given: an overloaded provider, the usual mid-stream failure.
      { fixture: streamFixtures[protocol], errorEventAfter: 1 },
    ];
    await using upstream = await startMockUpstream({ replies });
    for (const reply of replies) {
      const res = await sendChat(upstream.url, protocol, { stream: true });
      expect(res.status).toBe(200);
      const events = parseSseText(res.text);
      const count = reply.errorEventAfter ?? 0;
      expect(events.map((event) => event.data)).not.toContain('[DONE]');
      const decoder = codec.createStreamDecoder({ provider: 'test' });
      const batches = events.map((event) => decoder.push(event));
      // The error comes right after the N events; a protocol may then close the stream as it
      // does on failure (Responses: `response.failed`), repeating it.
      expect(batches.findIndex((batch) => batch.some((event) => event.type === 'error'))).toBe(count);
      const decoded = batches.flat();
      expect(decoded.filter((event) => event.type === 'error')).toHaveLength(1);
      const error = decoded.at(-1);
      expect(error?.type).toBe('error');
      if (error?.type !== 'error') continue;
      expect(error.error.isRetryable).toBe(true);
      if (reply.error) expect(error.error.kind).toBe(reply.error);
    }
  });

  it('hangs without answering, then drops the connection', async () => {
    await using upstream = await startMockUpstream({ reply: { hangMs: 10_000 } });
    const call = chatCall(protocol);
    const hung = fetch(upstream.url + call.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...call.headers },
      body: JSON.stringify(call.body),
      signal: AbortSignal.timeout(150),
    });
    await expect(hung).rejects.toThrow(/timeout|aborted/i);
    upstream.setReply({ hangMs: 30 });
    const dropped = await rawCall(upstream.url, protocol, false);
    expect(dropped.status).toBeUndefined();
    expect(dropped.error).toBeDefined();
  });
});
