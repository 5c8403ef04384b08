/** The faults a stream reader must stop itself: a huge event, a body that never ends, raw frames. */
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
import { chatCall, parseSseText, sendChat } from './test-requests.ts';

const codecs: Record<BuiltInWireProtocol, WireCodec> = {
  'openai-chat': openaiChat,
  'anthropic-messages': anthropicMessages,
  gemini,
  cohere,
  'openai-responses': openaiResponses,
};

describe.each(Object.keys(codecs) as BuiltInWireProtocol[])('%s stream faults', (protocol) => {
  it('sends one valid text delta of the asked size after the first one, then ends as usual', async () => {
    await using upstream = await startMockUpstream({ reply: { text: 'hi', hugeEventBytes: 300_000 } });
    const reply = await sendChat(upstream.url, protocol, { stream: true });
    const decoder = codecs[protocol].createStreamDecoder({ provider: 'test' });
    const deltas = parseSseText(reply.text)
      .flatMap((sse) => decoder.push(sse))
      .filter((event) => event.type === 'text-delta')
      .map((event) => (event.type === 'text-delta' ? event.delta : ''));
    expect(deltas).toContain('x'.repeat(300_000));
    expect(deltas.join('')).toBe(`hi${'x'.repeat(300_000)}`);
  });

  it('keeps a trickling body open until the client leaves', async () => {
    await using upstream = await startMockUpstream({ reply: { text: 'hi', unending: 'trickle' } });
    const call = chatCall(protocol, { stream: true });
    const controller = new AbortController();
    const response = await fetch(upstream.url + call.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...call.headers },
      body: JSON.stringify(call.body),
      signal: controller.signal,
    });
    const reader = response.body?.getReader();
    let text = '';
    const started = Date.now();
    while (Date.now() - started < 400) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) throw new Error('the unending body ended');
      text += new TextDecoder().decode(chunk.value);
    }
    expect(text).toContain(': still here');
    controller.abort();
    expect((await upstream.waitForClientAbort()).clientAborted).toBe(true);
  });
});

it('sends raw frames verbatim and nothing else', async () => {
  const frames = ['event: message_start\ndata: {"type":"message_start"}\n\n', 'data: not json\n\n'];
  await using upstream = await startMockUpstream({ reply: { frames } });
  const reply = await sendChat(upstream.url, 'anthropic-messages', { stream: true });
  expect(reply.text).toBe(frames.join(''));
});

it('sends raw frames as a plain body with the status, for a non-streamed call', async () => {
  const page = '<html><body><h1>502 Bad Gateway</h1>nginx at 10.0.3.7</body></html>';
  await using upstream = await startMockUpstream({ reply: { frames: [page], status: 502 } });
  const reply = await sendChat(upstream.url, 'openai-chat');
  expect(reply.status).toBe(502);
  expect(reply.headers.get('content-type')).toBe('text/html');
  expect(reply.text).toBe(page);
});
