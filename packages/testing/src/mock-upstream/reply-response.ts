import type { ChatRequest, ChatResponse } from 'ai.matey.core';
import type { WireProtocol } from 'ai.matey.wire';
import { scriptedResponse } from '../scripted-response.ts';
import { personaOf } from './mock-personas.ts';
import type { MockUpstreamReply } from './mock-upstream-reply.ts';

/** What a reply's response needs to know besides the reply itself. */
export interface ReplyResponseContext {
  protocol: WireProtocol;
  provider: string;
  model: string;
  callIndex: number;
  /** Size of the request body in characters (for the default input-token estimate). */
  requestChars: number;
}

// Deterministic filler, so a benchmark asking for 100 chunks gets 100 distinct deltas.
const FILLER = 'the quick brown fox jumps over the lazy dog while the mock upstream streams'.split(' ');

/** The spec response a scripted reply describes (what the codec then encodes). */
export function replyToResponse(
  request: ChatRequest,
  reply: MockUpstreamReply,
  context: ReplyResponseContext,
): ChatResponse {
  const prefixes = personaOf(context.protocol).idPrefixes;
  const scripted = reply.text !== undefined || reply.reasoning !== undefined || reply.toolCalls !== undefined;
  const text = scripted ? (reply.text ?? '') : defaultReplyText(request, reply.chunkCount ?? 0);
  return scriptedResponse(reply, {
    id: `${prefixes.response}${context.callIndex}`,
    model: context.model,
    provider: context.provider,
    text,
    toolCallIdPrefix: `${prefixes.toolCall}_${context.callIndex}`,
    inputChars: context.requestChars,
    outputChars: text.length + (reply.reasoning?.length ?? 0),
  });
}

/**
 * The default answer: `Echo: ` and the last user message's text, lengthened with filler words
 * to at least `minWords` words (so `chunkCount` has pieces to split).
 */
export function defaultReplyText(request: ChatRequest, minWords = 0): string {
  let text = `Echo: ${lastUserText(request)}`;
  let words = text.split(/\s+/).length;
  for (let i = 0; words < minWords; i++, words++) text += ` ${FILLER[i % FILLER.length]}`;
  return text;
}

function lastUserText(request: ChatRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i];
    if (message?.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  }
  return '';
}
