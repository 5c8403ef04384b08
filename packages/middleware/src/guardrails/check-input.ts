import type { ChatRequest, Message } from 'ai.matey.core';
import type { Guardrail, GuardrailCheck } from './guardrail.ts';
import { runChecks } from './run-checks.ts';
import type { VerdictTally } from './verdict-tally.ts';

type CallFacts = Pick<GuardrailCheck, 'keyId' | 'signal'>;

/**
 * Runs the input checks on the request's user messages and tool results, text by text (images
 * and files are not text; system and assistant messages are the application's own), and returns
 * the request with any rewrites in place. A block throws before anything is sent.
 */
export async function checkInput(
  request: ChatRequest,
  guardrails: readonly Guardrail[],
  tally: VerdictTally,
  facts: CallFacts,
): Promise<ChatRequest> {
  if (guardrails.length === 0) return request;
  const lastUser = request.messages.findLastIndex((message) => message.role === 'user');
  const messages: Message[] = [];
  for (const [index, message] of request.messages.entries()) {
    const which = guardrails.filter((g) => g.inputScope !== 'last' || index === lastUser);
    const source = message.role === 'tool' ? 'tool' : 'user';
    const judge = (text: string) =>
      runChecks(
        which,
        { phase: 'input', source, messageIndex: index, text, before: '', final: true, request, ...facts },
        tally,
      );
    messages.push(which.length === 0 ? message : await checkMessage(message, judge));
  }
  return { ...request, messages };
}

async function checkMessage(message: Message, judge: (text: string) => Promise<string>): Promise<Message> {
  if (message.role === 'user') {
    if (typeof message.content === 'string') return { ...message, content: await judge(message.content) };
    const content = [];
    for (const part of message.content)
      content.push(part.type === 'text' ? { ...part, text: await judge(part.text) } : part);
    return { ...message, content };
  }
  if (message.role === 'tool') {
    const content = [];
    for (const part of message.content) {
      if (typeof part.content === 'string') {
        content.push({ ...part, content: await judge(part.content) });
        continue;
      }
      const inner = [];
      for (const piece of part.content)
        inner.push(piece.type === 'text' ? { ...piece, text: await judge(piece.text) } : piece);
      content.push({ ...part, content: inner });
    }
    return { ...message, content };
  }
  return message;
}
