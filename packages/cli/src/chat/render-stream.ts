import { defaultCatalog } from 'ai.matey.backend';
import { type ChatResponse, StreamAccumulator, type StreamEvent } from 'ai.matey.core';
import type { CliOutput } from '../cli/cli-io.ts';

const DIM = '\u001b[2m';
const UNDIM = '\u001b[22m';

/**
 * Writes a streamed reply to the terminal as it arrives: text deltas to `out`, reasoning dimmed
 * before it on a TTY (left out when piped, so `matey chat … > answer.txt` holds only the
 * answer). Resolves with the whole reply; a stream error is thrown after what arrived is shown.
 */
export async function renderStream(
  events: AsyncIterable<StreamEvent>,
  out: CliOutput,
): Promise<ChatResponse> {
  const accumulator = new StreamAccumulator();
  let inReasoning = false;
  let lastChar = '\n';
  const write = (text: string) => {
    if (text.length === 0) return;
    out.write(text);
    lastChar = text.at(-1) ?? lastChar;
  };
  const endReasoning = () => {
    if (!inReasoning) return;
    inReasoning = false;
    write(`${UNDIM}${lastChar === '\n' ? '' : '\n'}\n`);
  };
  try {
    for await (const event of events) {
      accumulator.push(event);
      if (event.type === 'reasoning-delta' && event.delta && out.isTTY) {
        if (!inReasoning) write(DIM);
        inReasoning = true;
        write(event.delta);
      } else if (event.type === 'text-delta') {
        endReasoning();
        write(event.delta);
      } else if (event.type === 'error') {
        throw event.error;
      }
    }
  } finally {
    endReasoning();
    if (lastChar !== '\n') write('\n');
  }
  return accumulator.response();
}

/** The line `chat` prints on stderr after a reply: who answered, tokens, cost and time. */
export function usageLine(response: ChatResponse, elapsedMs: number): string {
  const { usage } = response;
  const who = response.provider ? `${response.provider}/${response.model}` : response.model;
  const parts = [who, `${usage.inputTokens} in + ${usage.outputTokens} out tokens`];
  if (usage.reasoningTokens) parts.push(`${usage.reasoningTokens} reasoning`);
  const cost = defaultCatalog.price(response.model, usage, response.provider);
  if (cost !== undefined) parts.push(`$${cost.toFixed(6)}`);
  parts.push(`${(elapsedMs / 1000).toFixed(1)} s`);
  return `[${parts.join(' · ')}]`;
}
