import type { ChatRequest } from 'ai.matey.core';
import { cacheKey } from 'ai.matey.middleware';

/** What the semantic cache compares: the last user turn's text, and a hash of all around it. */
export interface SemanticPrompt {
  /** The text of the conversation's last user turn: what is embedded. */
  text: string;
  /**
   * SHA-256 over everything else that decides the answer (the scope, model, system prompt,
   * earlier turns, tools, sampling settings): only prompts of equal context share an answer.
   */
  context: string;
}

/**
 * Splits a request into the text to embed and the hash of its context, or undefined when the
 * last message is not a user turn of text alone (an image or a tool result cannot be compared by
 * a text embedding, so such a request is never served from the semantic cache).
 *
 * With `matchNumbers`, the numbers written in the turn (`5`, `1969`, `4.5`) are part of the
 * context: embeddings place "convert 5 miles" and "convert 50 miles" almost together, and
 * their answers differ.
 *
 * @example
 * const prompt = await semanticPrompt({ model: 'gpt-4o-mini', messages }, 'openai');
 * // { text: 'How do I reset my password?', context: '9f2c…' }
 */
export async function semanticPrompt(
  request: ChatRequest,
  scope: string,
  options: { matchNumbers?: boolean } = {},
): Promise<SemanticPrompt | undefined> {
  const last = request.messages.at(-1);
  if (last?.role !== 'user') return undefined;
  let text: string;
  if (typeof last.content === 'string') text = last.content;
  else {
    const pieces: string[] = [];
    for (const part of last.content) {
      if (part.type !== 'text') return undefined;
      pieces.push(part.text);
    }
    text = pieces.join('\n');
  }
  if (text.trim() === '') return undefined;
  const earlier = request.messages.slice(0, -1);
  // The turn's author name changes who is asking, so it is context too.
  const asker = last.name === undefined ? '' : `\nname:${last.name}`;
  const numbers =
    options.matchNumbers === false ? '' : `\nnumbers:${(text.match(/\d+(?:[.,]\d+)*/g) ?? []).join(' ')}`;
  const context = await cacheKey({ ...request, messages: earlier }, `semantic\n${scope}${asker}${numbers}`);
  return { text, context };
}
