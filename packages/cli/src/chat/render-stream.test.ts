import { ChatStream, type StreamEvent, UpstreamServerError } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { renderStream, usageLine } from './render-stream.ts';

const usage = { inputTokens: 1_000, outputTokens: 500, totalTokens: 1_500 };
const events: StreamEvent[] = [
  { type: 'start', id: 'r1', model: 'gpt-4o-mini', provider: 'openai' },
  { type: 'reasoning-delta', index: 0, delta: 'thinking…' },
  { type: 'text-delta', index: 1, delta: 'Hello' },
  { type: 'text-delta', index: 1, delta: ', world' },
  { type: 'finish', finishReason: 'stop', usage },
];

function terminal(isTTY: boolean) {
  let text = '';
  return { out: { isTTY, write: (chunk: string) => (text += chunk) }, text: () => text };
}

describe('renderStream', () => {
  it('dims reasoning on a terminal, then writes the text and ends the line', async () => {
    const screen = terminal(true);
    const response = await renderStream(ChatStream.from(events), screen.out);
    expect(screen.text()).toBe('\u001b[2mthinking…\u001b[22m\n\nHello, world\n');
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'thinking…' },
      { type: 'text', text: 'Hello, world' },
    ]);
  });

  it('writes only the answer when piped', async () => {
    const pipe = terminal(false);
    await renderStream(ChatStream.from(events), pipe.out);
    expect(pipe.text()).toBe('Hello, world\n');
  });

  it('shows what arrived before a stream error, then throws it', async () => {
    const pipe = terminal(false);
    const failing = ChatStream.from([
      events[0] as StreamEvent,
      { type: 'text-delta', index: 0, delta: 'Half an ans' },
      { type: 'error', error: new UpstreamServerError({ message: 'upstream died', provider: 'openai' }) },
    ]);
    await expect(renderStream(failing, pipe.out)).rejects.toThrow('upstream died');
    expect(pipe.text()).toBe('Half an ans\n');
  });
});

describe('usageLine', () => {
  it('names the provider and model, the tokens, the catalog price and the time', () => {
    const response = {
      id: 'r',
      model: 'gpt-4o-mini',
      provider: 'openai',
      content: [],
      finishReason: 'stop' as const,
      usage,
      warnings: [],
    };
    // 1,000 in at $0.15/M + 500 out at $0.60/M.
    expect(usageLine(response, 1_234)).toBe(
      '[openai/gpt-4o-mini · 1000 in + 500 out tokens · $0.000450 · 1.2 s]',
    );
    expect(usageLine({ ...response, model: 'unknown-model' }, 0)).toBe(
      '[openai/unknown-model · 1000 in + 500 out tokens · 0.0 s]',
    );
  });
});
