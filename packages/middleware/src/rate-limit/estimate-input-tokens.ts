import type { ChatRequest } from 'ai.matey.core';
import { messagePieces } from '../shared/message-pieces.ts';

/** Tokens counted for each image or file part, whose size in tokens depends on the provider. */
const ATTACHMENT_TOKENS = 256;

/**
 * A quick estimate of a request's input tokens, before any provider counted them: one token
 * per four characters of the messages' text (text parts, reasoning, tool-call arguments, tool
 * results) and of the tool definitions, plus a flat 256 per image or file. It is meant for
 * limits decided before a call (rate limits, `maxInputTokens`), where a tokenizer per model
 * would cost more than the precision is worth; rate limits correct it with the real usage.
 *
 * @example
 * estimateInputTokens({ messages: [{ role: 'user', content: 'Hello there' }] }); // 3
 */
export function estimateInputTokens(request: ChatRequest): number {
  let characters = 0;
  let attachments = 0;
  for (const message of request.messages) {
    for (const piece of messagePieces(message)) {
      if (piece.type === 'text') characters += piece.text.length;
      else attachments++;
    }
  }
  if (request.tools) characters += JSON.stringify(request.tools).length;
  return Math.ceil(characters / 4) + attachments * ATTACHMENT_TOKENS;
}
