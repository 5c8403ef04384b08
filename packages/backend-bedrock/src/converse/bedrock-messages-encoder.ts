import type { Message, Warning } from 'ai.matey.core';
import {
  cachePointAfter,
  encodeAssistantPart,
  encodeToolResult,
  encodeUserPart,
} from './bedrock-content-encoder.ts';
import type { BedrockContentBlock, BedrockMessage } from './bedrock-types.ts';

export interface EncodedBedrockMessages {
  system: BedrockContentBlock[];
  messages: BedrockMessage[];
  /** The conversation holds tool calls or results (Bedrock then requires a `toolConfig`). */
  hasToolBlocks: boolean;
}

/**
 * Spec messages as Converse's `system` and `messages`. Converse takes the system prompt apart,
 * wants turns to alternate and tool results in a user turn, first: consecutive same-role turns
 * merge, with `toolResult` blocks leading, as in Anthropic's API that Converse mirrors.
 */
export function encodeBedrockMessages(input: Message[], warnings: Warning[]): EncodedBedrockMessages {
  const system: BedrockContentBlock[] = [];
  const messages: BedrockMessage[] = [];
  let hasToolBlocks = false;
  let movedSystem = false;
  let droppedName = false;

  const push = (role: 'user' | 'assistant', content: BedrockContentBlock[]): void => {
    if (content.length === 0) return;
    const last = messages.at(-1);
    if (last?.role === role) last.content.push(...content);
    else messages.push({ role, content });
  };

  for (const message of input) {
    switch (message.role) {
      case 'system':
        if (messages.length > 0) movedSystem = true;
        if (typeof message.content === 'string') {
          if (message.content !== '') system.push({ text: message.content });
        } else {
          for (const part of message.content) {
            if (part.text !== '') system.push({ text: part.text });
            system.push(...cachePointAfter(part.providerMetadata));
          }
        }
        break;
      case 'user':
        if (message.name !== undefined) droppedName = true;
        push(
          'user',
          typeof message.content === 'string'
            ? message.content === ''
              ? []
              : [{ text: message.content }]
            : message.content.flatMap((part) => encodeUserPart(part)),
        );
        break;
      case 'assistant':
        if (message.name !== undefined) droppedName = true;
        if (typeof message.content !== 'string' && message.content.some((part) => part.type === 'tool-call'))
          hasToolBlocks = true;
        push(
          'assistant',
          typeof message.content === 'string'
            ? message.content === ''
              ? []
              : [{ text: message.content }]
            : message.content.flatMap((part) => encodeAssistantPart(part, warnings)),
        );
        break;
      case 'tool':
        hasToolBlocks = true;
        push('user', message.content.map(encodeToolResult));
        break;
    }
  }

  for (const turn of messages) {
    if (turn.role !== 'user') continue;
    turn.content = [
      ...turn.content.filter((block) => block.toolResult !== undefined),
      ...turn.content.filter((block) => block.toolResult === undefined),
    ];
  }
  if (movedSystem)
    warnings.push({
      type: 'unsupported-content',
      setting: 'messages',
      message: 'Bedrock takes system messages only before the conversation; later ones were moved there.',
    });
  if (droppedName)
    warnings.push({
      type: 'unsupported-setting',
      setting: 'messages.name',
      message: 'Bedrock has no per-message name; it was left out.',
    });
  return { system, messages, hasToolBlocks };
}
