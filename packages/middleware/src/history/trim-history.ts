import type { Message } from 'ai.matey.core';

export interface TrimOptions {
  maxMessages?: number;
  maxTokens?: number;
  countTokens: (message: Message) => number;
}

/**
 * Splits a conversation (without its system message) into turns: a user message and everything
 * after it up to the next user message. A turn holds an assistant's tool calls together with
 * their results, so dropping whole turns never orphans a tool result, and what is kept always
 * starts with a user message (which Anthropic and Gemini require).
 */
export function splitTurns(messages: readonly Message[]): Message[][] {
  const turns: Message[][] = [];
  for (const message of messages) {
    const current = turns.at(-1);
    if (message.role === 'user' || !current) turns.push([message]);
    else current.push(message);
  }
  return turns;
}

/**
 * Drops the oldest turns until the conversation fits `maxMessages` and `maxTokens`. The system
 * message (first, if any) is always kept and counted; `pinned` messages (the current turn) are
 * never dropped, though they count toward the limits.
 */
export function trimHistory(
  system: Message | undefined,
  history: readonly Message[],
  options: TrimOptions,
  pinned: readonly Message[] = [],
): Message[] {
  const maxMessages = options.maxMessages ?? Number.POSITIVE_INFINITY;
  const maxTokens = options.maxTokens ?? Number.POSITIVE_INFINITY;
  const fixed = [...(system ? [system] : []), ...pinned];
  let count = fixed.length;
  let tokens = 0;
  for (const message of fixed) tokens += options.countTokens(message);

  const turns = splitTurns(history);
  const sizes = turns.map((turn) => turn.reduce((sum, message) => sum + options.countTokens(message), 0));
  for (const [index, turn] of turns.entries()) {
    count += turn.length;
    tokens += sizes[index] ?? 0;
  }
  let first = 0;
  while (first < turns.length && (count > maxMessages || tokens > maxTokens)) {
    count -= turns[first]?.length ?? 0;
    tokens -= sizes[first] ?? 0;
    first++;
  }
  // A stored conversation that begins mid-turn (an assistant or tool message first) cannot be
  // sent as is to every provider: such a leading fragment is dropped with the oldest turns.
  const kept = turns.slice(first).filter((turn, index) => index > 0 || turn[0]?.role === 'user');
  return [...(system ? [system] : []), ...kept.flat()];
}
