import type { FilePart, ImagePart, Message } from 'ai.matey.core';

/** One piece of a message that token estimates count: a text, or an attachment. */
export type MessagePiece =
  | { type: 'text'; text: string }
  | { type: 'attachment'; part: ImagePart | FilePart; inToolResult: boolean };

/**
 * Walks a message's content in order: texts (text and reasoning parts, a tool call's name and
 * arguments, a tool result's text) and attachments (images and files, those inside tool results
 * marked). Every token estimate reads a message through this one walk.
 */
export function* messagePieces(message: Message): Generator<MessagePiece> {
  if (typeof message.content === 'string') {
    yield { type: 'text', text: message.content };
    return;
  }
  for (const part of message.content) {
    switch (part.type) {
      case 'text':
      case 'reasoning':
        yield { type: 'text', text: part.text };
        break;
      case 'tool-call':
        yield { type: 'text', text: part.toolName };
        yield { type: 'text', text: part.arguments };
        break;
      case 'tool-result':
        if (typeof part.content === 'string') yield { type: 'text', text: part.content };
        else
          for (const inner of part.content) {
            if (inner.type === 'text') yield { type: 'text', text: inner.text };
            else yield { type: 'attachment', part: inner, inToolResult: true };
          }
        break;
      default:
        yield { type: 'attachment', part, inToolResult: false };
    }
  }
}
